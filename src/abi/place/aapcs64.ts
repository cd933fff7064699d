// AArch64 procedure call standard (AAPCS64) and Apple's arm64 variant of it. Homogeneous
// floating-point aggregates go to v registers member by member, other aggregates of up to
// 16 bytes to x registers, bigger ones by reference; x8 carries the address of a returned
// aggregate that does not fit in registers.

import type { CType, CompilerId, TargetId } from '../model';
import { isMemberlessRecord } from './leaves';
import type { ArgPlacement, CallPlacement, Piece } from './placement';
import { StackArea, alignUp, callArguments, type CallSite } from './common';

const REGISTER_COUNT = 8;

interface Homogeneous {
  readonly count: number;
  readonly memberSize: number;
}

/**
 * A homogeneous floating-point aggregate (or a lone float / complex): 1 to 4 members of one
 * floating-point type, with no other data. Returns null for anything else.
 */
export function homogeneousFloat(type: CType, compiler: CompilerId): Homogeneous | null {
  if (type.kind === 'float') return { count: 1, memberSize: type.size };
  if (type.kind !== 'record' && type.kind !== 'array' && type.kind !== 'complex') return null;
  const members: FloatMember[] = [];
  if (!collectFloatMembers(type, 0, compiler, members)) return null;
  const first = members[0];
  if (!first || !members.every((m) => m.format === first.format)) return null;
  // Union members overlap; count distinct member slots, which must tile the type exactly.
  const count = new Set(members.map((m) => m.offset)).size;
  if (count > 4 || count * first.size !== type.size) return null;
  return { count, memberSize: first.size };
}

interface FloatMember {
  readonly offset: number;
  readonly size: number;
  readonly format: string;
}

/**
 * The floating-point members of `type`, or false when it holds anything else. Bit-fields are
 * data that is not floating point, with two exceptions: gcc skips a zero-width one in a struct,
 * and clang skips members that are records without data members ("empty" to it).
 */
function collectFloatMembers(type: CType, base: number, compiler: CompilerId, out: FloatMember[]): boolean {
  switch (type.kind) {
    case 'float':
      out.push({ offset: base, size: type.size, format: type.format });
      return true;
    case 'complex':
      return type.elem.kind === 'float' && collectFloatMembers(type.elem, base, compiler, out) && collectFloatMembers(type.elem, base + type.elem.size, compiler, out);
    case 'array':
      for (let i = 0; i < type.count; i++) if (!collectFloatMembers(type.elem, base + i * type.elem.size, compiler, out)) return false;
      return true;
    case 'record':
      return type.fields.every((field) => {
        if (field.bitWidth !== undefined) return field.bitWidth === 0 && compiler === 'gcc' && type.tag === 'struct';
        if (field.type.size === 0 || (compiler === 'clang' && isMemberlessRecord(field.type))) return true;
        return collectFloatMembers(field.type, base + field.offset, compiler, out);
      });
    default:
      return false;
  }
}

interface Registers {
  ngrn: number;
  nsrn: number;
}

interface Convention {
  readonly target: TargetId;
  readonly compiler: CompilerId;
  /** Apple: stack arguments are packed at their natural alignment instead of 8-byte slots. */
  readonly packedStack: boolean;
  /** Apple: everything passed through `...` goes on the stack in 8-byte slots. */
  readonly variadicOnStack: boolean;
  /** AAPCS64: a 16-byte-aligned value in two x registers starts at an even one; Apple does not pair them. */
  readonly evenPairs: boolean;
}

/**
 * The alignment AAPCS64 uses for a composite: that of its members, ignoring an `aligned`
 * attribute on the composite itself (gcc and clang agree; `struct { float f; }
 * __attribute__((aligned(16)))` does not start at an even register).
 */
function naturalAlignment(type: CType): number {
  if (type.kind === 'array') return naturalAlignment(type.elem);
  if (type.kind !== 'record') return type.align;
  return type.fields.reduce((max, f) => Math.max(max, f.align ?? f.type.align), 1);
}

function isComposite(type: CType): boolean {
  return type.kind === 'record' || type.kind === 'array' || type.kind === 'complex';
}

/** Where one argument is headed: the register counters, the stack, and the call it is part of. */
interface ArgContext {
  readonly regs: Registers;
  readonly stack: StackArea;
  readonly conv: Convention;
  /** This argument is passed through `...`. */
  readonly variadic: boolean;
  /** The callee is variadic (this argument may be a fixed one). */
  readonly inVariadicCall: boolean;
}

/** clang aligns a stacked homogeneous aggregate to its members even when packed; gcc uses the natural alignment. */
function stackAlignment(type: CType, compiler: CompilerId): number {
  const hfa = compiler === 'clang' && isComposite(type) ? homogeneousFloat(type, compiler) : null;
  return Math.max(naturalAlignment(type), hfa?.memberSize ?? 1);
}

function onStack(type: CType, ctx: ArgContext): Piece[] {
  return [{ offset: 0, size: type.size, loc: stackSlot(type, ctx) }];
}

function stackSlot(type: CType, { stack, conv, variadic, inVariadicCall }: ArgContext): string {
  if (conv.packedStack && !(variadic && conv.variadicOnStack)) {
    // Apple packs scalars and homogeneous float aggregates at their natural alignment; in a
    // variadic function clang widens the small integers among the fixed ones to 4 bytes first.
    if (type.kind === 'int' && type.size < 4 && inVariadicCall) return stack.take(4, 4);
    if (!isComposite(type)) return stack.take(type.size, type.align);
    // A homogeneous aggregate keeps at least its members' alignment, even when packed.
    const hfa = homogeneousFloat(type, conv.compiler);
    if (hfa) return stack.take(type.size, Math.max(type.align, hfa.memberSize));
  }
  // Apple puts a homogeneous float aggregate passed through `...` in 8-byte-aligned slots
  // whatever its declared alignment; other composites keep theirs (up to 16).
  const appleVariadicHfa = conv.variadicOnStack && variadic && isComposite(type) && homogeneousFloat(type, conv.compiler) !== null;
  const naturalAlign = appleVariadicHfa ? 8 : Math.min(conv.packedStack ? type.align : stackAlignment(type, conv.compiler), 16);
  return stack.take(alignUp(type.size, 8), Math.max(8, naturalAlign));
}

function xPieces(size: number, first: number): Piece[] {
  const pieces: Piece[] = [];
  for (let offset = 0, reg = first; offset < size; offset += 8, reg++) {
    pieces.push({ offset, size: Math.min(8, size - offset), loc: `x${reg}` });
  }
  return pieces;
}

function vPieces(hfa: Homogeneous, first: number): Piece[] {
  return Array.from({ length: hfa.count }, (_, i) => ({ offset: i * hfa.memberSize, size: hfa.memberSize, loc: `v${first + i}` }));
}

function classificationOf(type: CType, compiler: CompilerId): string {
  const hfa = homogeneousFloat(type, compiler);
  if (hfa && isComposite(type)) return `HFA of ${hfa.count} × ${hfa.memberSize}-byte float`;
  if (hfa) return 'floating point (v register)';
  if (isComposite(type)) return type.size > 16 ? 'composite > 16 bytes, by reference' : 'composite, general registers';
  return 'integer';
}

function placeArgument(type: CType, ctx: ArgContext): Piece[] {
  const { regs, stack, conv } = ctx;
  if (type.size === 0 || (conv.compiler === 'clang' && isMemberlessRecord(type))) return [];
  const byReference = isComposite(type) && type.size > 16 && !homogeneousFloat(type, conv.compiler);
  if (ctx.variadic && conv.variadicOnStack) {
    return byReference ? [{ offset: 0, size: type.size, loc: stack.take(8, 8), indirect: true }] : onStack(type, ctx);
  }
  const hfa = homogeneousFloat(type, conv.compiler);
  if (hfa) {
    if (regs.nsrn + hfa.count <= REGISTER_COUNT) {
      const pieces = vPieces(hfa, regs.nsrn);
      regs.nsrn += hfa.count;
      return pieces;
    }
    regs.nsrn = REGISTER_COUNT;
    return onStack(type, ctx);
  }
  if (byReference) {
    // Copied by the caller; the copy's address travels like a pointer argument.
    const loc = regs.ngrn < REGISTER_COUNT ? `x${regs.ngrn++}` : stack.take(8, 8);
    return [{ offset: 0, size: type.size, loc, indirect: true }];
  }
  const needed = Math.ceil(type.size / 8);
  if (conv.evenPairs && naturalAlignment(type) === 16 && needed === 2) regs.ngrn = alignUp(regs.ngrn, 2);
  if (regs.ngrn + needed <= REGISTER_COUNT) {
    const pieces = isComposite(type) ? xPieces(type.size, regs.ngrn) : scalarPieces(type, regs.ngrn);
    regs.ngrn += needed;
    return pieces;
  }
  regs.ngrn = REGISTER_COUNT;
  return onStack(type, ctx);
}

function scalarPieces(type: CType, first: number): Piece[] {
  return type.size <= 8 ? [{ offset: 0, size: type.size, loc: `x${first}` }] : xPieces(type.size, first);
}

function placeReturn(type: CType, compiler: CompilerId): { pieces: Piece[]; memory: boolean; classification: string } {
  if (type.size === 0) return { pieces: [], memory: false, classification: type.kind === 'void' ? 'void' : 'empty' };
  const hfa = homogeneousFloat(type, compiler);
  const classification = classificationOf(type, compiler);
  if (hfa) return { pieces: vPieces(hfa, 0), memory: false, classification };
  if (type.size > 16) return { pieces: [{ offset: 0, size: type.size, loc: 'x8', indirect: true }], memory: true, classification: 'returned through memory (x8)' };
  return { pieces: isComposite(type) ? xPieces(type.size, 0) : scalarPieces(type, 0), memory: false, classification };
}

function place(call: CallSite, compiler: CompilerId, conv: Convention): CallPlacement {
  const regs: Registers = { ngrn: 0, nsrn: 0 };
  const stack = new StackArea(0);
  const params: ArgPlacement[] = callArguments(call).map((arg) => ({
    ...arg,
    pieces: placeArgument(arg.type, { regs, stack, conv, variadic: arg.variadic, inVariadicCall: call.decl.type.variadic }),
    classification: classificationOf(arg.type, compiler),
  }));
  const ret = placeReturn(call.decl.type.ret, compiler);
  return {
    target: conv.target,
    compiler,
    functionName: call.decl.name,
    params,
    ret: { type: call.decl.type.ret, pieces: ret.pieces, classification: ret.classification },
    sret: ret.memory ? { loc: 'x8', returnedIn: null } : null,
    al: null,
    stackBytes: alignUp(stack.used, 16),
    disagreements: [],
  };
}

export function placeAapcs64(call: CallSite, compiler: CompilerId): CallPlacement {
  return place(call, compiler, { target: 'aarch64-aapcs64', compiler, packedStack: false, variadicOnStack: false, evenPairs: true });
}

export function placeAppleArm64(call: CallSite, compiler: CompilerId): CallPlacement {
  return place(call, compiler, { target: 'arm64-apple', compiler, packedStack: true, variadicOnStack: true, evenPairs: false });
}
