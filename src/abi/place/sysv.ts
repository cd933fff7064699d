// x86-64 System V: classify each eightbyte, then hand out rdi…r9 and xmm0…xmm7, with
// whole arguments falling back to the stack when their registers run out.

import type { CType, CompilerId } from '../model';
import { bitFieldLeaf, hasMisalignedMember, isMemberlessRecord, leavesOf, type Leaf } from './leaves';
import type { ArgPlacement, CallPlacement, Piece } from './placement';
import { StackArea, alignUp, callArguments, describeClasses, type CallSite } from './common';

type Class = 'NO_CLASS' | 'INTEGER' | 'SSE' | 'SSEUP' | 'X87' | 'X87UP' | 'COMPLEX_X87' | 'MEMORY';

const GPRS = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'] as const;
const XMMS = ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7'] as const;

function merge(a: Class, b: Class): Class {
  if (a === b) return a;
  if (a === 'NO_CLASS') return b;
  if (b === 'NO_CLASS') return a;
  if (a === 'MEMORY' || b === 'MEMORY') return 'MEMORY';
  if (a === 'INTEGER' || b === 'INTEGER') return 'INTEGER';
  if ([a, b].some((c) => c === 'X87' || c === 'X87UP' || c === 'COMPLEX_X87')) return 'MEMORY';
  return 'SSE';
}

/** The ABI's classification of `type`: one class per eightbyte, or ['MEMORY']. */
export function classify(type: CType, compiler: CompilerId): Class[] {
  if (type.size === 0) return [];
  if (type.kind === 'float' && type.format === 'x87') return ['X87', 'X87UP'];
  if (type.kind === 'float' && type.format === 'f128') return ['SSE', 'SSEUP'];
  if (type.kind === 'complex' && type.elem.kind === 'float' && type.elem.format === 'x87') return ['COMPLEX_X87'];
  if (type.size > 16 || hasMisalignedMember(type, compiler)) return ['MEMORY'];
  // clang 14 passes any aggregate holding a __float128 in memory; gcc uses xmm registers.
  if (compiler === 'clang' && type.kind !== 'float' && holdsFloat128(type)) return ['MEMORY'];
  const classes: Class[] = new Array<Class>(Math.ceil(type.size / 8)).fill('NO_CLASS');
  mergeMember(type, 0, classes, compiler);
  return postMerge(classes);
}

/**
 * Merges the classes of a member at byte `base` into `into`. Both compilers classify a nested
 * record on its own first and merge its result into the enclosing one; the merge is not
 * associative once x87 classes meet others, so flattening to scalars would answer differently.
 */
function mergeMember(type: CType, base: number, into: Class[], compiler: CompilerId): void {
  if (type.kind === 'array') {
    for (let i = 0; i < type.count; i++) mergeMember(type.elem, base + i * type.elem.size, into, compiler);
    return;
  }
  if (type.kind !== 'record') {
    for (const leaf of leavesOf(type, base)) mergeLeaf(leaf, into);
    return;
  }
  const own: Class[] = into.map(() => 'NO_CLASS');
  for (const field of type.fields) {
    if (field.bitWidth === undefined) {
      // An empty member (a union holding only `int :0`, say) contributes nothing.
      if (field.type.size > 0) mergeMember(field.type, base + field.offset, own, compiler);
      continue;
    }
    const leaf = bitFieldLeaf(type, field, base);
    // gcc classifies the bytes of unnamed bit-fields as integer data; clang ignores them.
    if (leaf && !(leaf.kind === 'int' && leaf.unnamedBitField && compiler === 'clang')) mergeLeaf(leaf, own);
  }
  // Each nested record gets the final clean-up of its own: an x87 half alone sends it all to memory.
  const cleaned = postMerge(own);
  if (cleaned[0] === 'MEMORY') into.fill('MEMORY');
  else cleaned.forEach((cls, i) => (into[i] = merge(into[i] ?? 'NO_CLASS', cls)));
}

function mergeLeaf(leaf: Leaf, into: Class[]): void {
  const first = Math.floor(leaf.offset / 8);
  leafClass(leaf).forEach((cls, i) => (into[first + i] = merge(into[first + i] ?? 'NO_CLASS', cls)));
}

function leafClass(leaf: Leaf): Class[] {
  if (leaf.kind === 'int') {
    // Integer data is INTEGER in every eightbyte it touches; a packed bit-field may straddle two.
    const eightbytes = Math.floor((leaf.offset + leaf.size - 1) / 8) - Math.floor(leaf.offset / 8) + 1;
    return new Array<Class>(eightbytes).fill('INTEGER');
  }
  if (leaf.format === 'x87') return ['X87', 'X87UP'];
  if (leaf.format === 'f128') return ['SSE', 'SSEUP'];
  return ['SSE'];
}

function postMerge(classes: Class[]): Class[] {
  if (classes.includes('MEMORY')) return ['MEMORY'];
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === 'X87UP' && classes[i - 1] !== 'X87') return ['MEMORY'];
    if (classes[i] === 'SSEUP' && classes[i - 1] !== 'SSE' && classes[i - 1] !== 'SSEUP') classes[i] = 'SSE';
  }
  // An eightbyte of nothing but padding stays NO_CLASS: it takes no register.
  return classes;
}

function holdsFloat128(type: CType): boolean {
  return leavesOf(type).some((leaf) => leaf.kind === 'float' && leaf.format === 'f128');
}

/**
 * Registers handed out so far. clang 14 decides in its front end whether an argument fits in
 * registers, then its back end assigns every eightbyte on its own: a bare `__float128` is not
 * counted by the front end, and a scalar that does not fit is split between the last register
 * and the stack (`__int128` with only r9 left). gcc keeps each argument whole.
 */
interface RegisterFile {
  gpr: number;
  sse: number;
  /** Registers clang's front end believes are used. */
  frontendGpr: number;
  frontendSse: number;
}

function isFloat128(type: CType): boolean {
  return type.kind === 'float' && type.format === 'f128';
}

function isAggregate(type: CType): boolean {
  return type.kind === 'record' || type.kind === 'array' || type.kind === 'complex';
}

/** Register pieces for the eightbytes of `type`; one that finds no register goes to the stack. */
function assignEightbytes(type: CType, classes: Class[], regs: RegisterFile, stack: StackArea): Piece[] {
  const pieces: Piece[] = [];
  classes.forEach((cls, i) => {
    if (cls !== 'INTEGER' && cls !== 'SSE') return;
    const offset = i * 8;
    const wide = cls === 'SSE' && classes[i + 1] === 'SSEUP';
    const size = wide ? 16 : scalarSize(type, Math.min(8, type.size - offset));
    const register = cls === 'INTEGER' ? (regs.gpr < GPRS.length ? GPRS[regs.gpr++] : undefined) : regs.sse < XMMS.length ? XMMS[regs.sse++] : undefined;
    // clang's back end widens a spilled pair of floats (<2 x float>) to a 16-byte vector slot.
    const slot = wide || (cls === 'SSE' && isFloatPair(type, offset)) ? 16 : 8;
    pieces.push({ offset, size, loc: register ?? stack.take(slot, slot) });
  });
  return mergeStackPieces(pieces);
}

function isFloatPair(type: CType, offset: number): boolean {
  const floats = leavesOf(type).filter((l) => l.kind === 'float' && l.format === 'f32').map((l) => l.offset);
  return floats.includes(offset) && floats.includes(offset + 4);
}

/** Consecutive stack pieces of one value are one piece (the contract's "stack: the whole argument"). */
function mergeStackPieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (last && last.loc.startsWith('stack+') && piece.loc.startsWith('stack+') && last.offset + last.size === piece.offset) {
      out[out.length - 1] = { offset: last.offset, size: last.size + piece.size, loc: last.loc };
    } else {
      out.push(piece);
    }
  }
  return out;
}

/** A scalar in a register covers its sizeof; aggregates use min(8, sizeof - offset). */
function scalarSize(type: CType, eightbyteSize: number): number {
  return type.kind === 'int' || type.kind === 'float' || type.kind === 'pointer' ? Math.min(type.size, eightbyteSize) : eightbyteSize;
}

function fitsInRegisters(type: CType, classes: Class[], regs: RegisterFile, compiler: CompilerId): boolean {
  const needGpr = classes.filter((c) => c === 'INTEGER').length;
  const needSse = classes.filter((c) => c === 'SSE').length;
  const [usedGpr, usedSse] = compiler === 'clang' ? [regs.frontendGpr, regs.frontendSse] : [regs.gpr, regs.sse];
  return usedGpr + needGpr <= GPRS.length && usedSse + needSse <= XMMS.length;
}

function placeArgument(type: CType, regs: RegisterFile, stack: StackArea, compiler: CompilerId): { pieces: Piece[]; classes: Class[] } {
  const classes = classify(type, compiler);
  if (classes.every((c) => c === 'NO_CLASS')) return { pieces: [], classes };
  const inMemory = classes[0] === 'MEMORY' || classes[0] === 'X87' || classes[0] === 'COMPLEX_X87';
  if (!inMemory && fitsInRegisters(type, classes, regs, compiler)) {
    regs.frontendGpr += classes.filter((c) => c === 'INTEGER').length;
    if (!isFloat128(type)) regs.frontendSse += classes.filter((c) => c === 'SSE').length;
    return { pieces: assignEightbytes(type, classes, regs, stack), classes };
  }
  // clang passes a scalar that does not fit "directly" anyway; its back end splits it.
  if (!inMemory && compiler === 'clang' && !isAggregate(type)) return { pieces: assignEightbytes(type, classes, regs, stack), classes };
  // gcc gives a record without data members no stack space (it may still take a register above).
  if (compiler === 'gcc' && isMemberlessRecord(type)) return { pieces: [], classes };
  return { pieces: [{ offset: 0, size: type.size, loc: stack.take(type.size, Math.max(8, type.align)) }], classes };
}

function placeReturn(type: CType, compiler: CompilerId): { pieces: Piece[]; classes: Class[]; memory: boolean } {
  const classes = classify(type, compiler);
  if (classes[0] === 'MEMORY') return { pieces: [{ offset: 0, size: type.size, loc: 'rdi', indirect: true }], classes, memory: true };
  if (classes[0] === 'X87') return { pieces: [{ offset: 0, size: 16, loc: 'st0' }], classes, memory: false };
  if (classes[0] === 'COMPLEX_X87') {
    return { pieces: [{ offset: 0, size: 16, loc: 'st0' }, { offset: 16, size: 16, loc: 'st1' }], classes, memory: false };
  }
  const ints = ['rax', 'rdx'];
  const sses = ['xmm0', 'xmm1'];
  const pieces: Piece[] = [];
  classes.forEach((cls, i) => {
    const offset = i * 8;
    const size = Math.min(8, type.size - offset);
    if (cls === 'INTEGER') pieces.push({ offset, size: scalarSize(type, size), loc: ints.shift()! });
    else if (cls === 'SSE') pieces.push({ offset, size: classes[i + 1] === 'SSEUP' ? 16 : scalarSize(type, size), loc: sses.shift()! });
  });
  return { pieces, classes, memory: false };
}

export function placeSysV(call: CallSite, compiler: CompilerId): CallPlacement {
  const regs: RegisterFile = { gpr: 0, sse: 0, frontendGpr: 0, frontendSse: 0 };
  const stack = new StackArea(0);
  const ret = placeReturn(call.decl.type.ret, compiler);
  if (ret.memory) regs.gpr = regs.frontendGpr = 1;
  const params: ArgPlacement[] = callArguments(call).map((arg) => {
    const placed = placeArgument(arg.type, regs, stack, compiler);
    return { ...arg, pieces: placed.pieces, classification: describeClasses(placed.classes) };
  });
  return {
    target: 'x86_64-sysv',
    compiler,
    functionName: call.decl.name,
    params,
    ret: { type: call.decl.type.ret, pieces: ret.pieces, classification: describeClasses(ret.classes) },
    sret: ret.memory ? { loc: 'rdi', returnedIn: 'rax' } : null,
    al: call.decl.type.variadic ? regs.sse : null,
    stackBytes: alignUp(stack.used, 16),
    disagreements: [],
  };
}
