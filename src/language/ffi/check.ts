// FFI mismatch diagnostics: a koffi or ctypes declaration compared with the C prototype of
// the same function, type by type as the target lays them out. A mismatch here is the classic
// polyglot crash (a double read from an integer register, a struct one field short).

import { parseC } from '../../abi/c';
import { placeRequest } from '../../abi/contract';
import { AbiInputError, TARGET_IDS, type CType, type FunctionDecl, type TargetId } from '../../abi/model';
import type { CallPlacement, ValuePlacement } from '../../abi/place/placement';
import { dataModel } from '../../abi/targets';
import { ctypesDeclaration, type CtypesDeclaration } from '../ctypes/spelling';
import { boundedPlacement } from './hover';
import type { FfiFunction, Range } from './model';

/**
 * `error`: on the selected target the two declarations put a value somewhere else (another
 * register class, size, stack slot, hidden return pointer) or lay a record passed by value out
 * differently — the call reads garbage. `hint`: the bytes travel the same way but mean something
 * else (signedness of the same size, `char` for `uint8_t`, what a pointer points to).
 */
export type MismatchSeverity = 'error' | 'hint';

export interface FfiMismatch {
  readonly function: string;
  /** Where to show it: the foreign declaration. */
  readonly range: Range;
  /** Each exact difference, for people. */
  readonly differences: readonly string[];
  readonly severity: MismatchSeverity;
  /** The modelled targets on which the call breaks (empty for a hint on every target). */
  readonly breaksOn: readonly TargetId[];
  /** The foreign declaration as C, next to the C prototype it should match. */
  readonly foreignPrototype: string;
  /** The C prototype the declaration should match, for a quick fix. */
  readonly cPrototype: string;
  /** For a ctypes declaration: `argtypes` and `restype` spelled from the C prototype, when ctypes can say them. */
  readonly ctypes?: CtypesDeclaration | null;
}

function resolve(fn: FfiFunction, target: TargetId): FunctionDecl {
  if (!fn.prototype) throw new AbiInputError(fn.problems.join('; ') || 'no prototype');
  const prototype = fn.prototype;
  return boundedPlacement(() => parseC(fn.decls, dataModel(target)).prototype(prototype));
}

function kindOf(type: CType): string {
  switch (type.kind) {
    case 'int':
      return type.isBool ? 'boolean' : `${type.signed ? 'signed' : 'unsigned'} integer`;
    case 'float':
      return 'floating point';
    case 'pointer':
      return 'pointer';
    case 'record':
      return type.tag;
    default:
      return type.kind;
  }
}

function describe(type: CType): string {
  return `\`${type.spelling}\` (${type.size} byte${type.size === 1 ? '' : 's'}, ${kindOf(type)})`;
}

/** Why two types are not interchangeable at a call, or null when they are. */
export function typeDifference(foreign: CType, c: CType, depth = 0): string | null {
  if (depth > 8) return null; // self-referential records through pointers
  if (foreign.kind === 'array' && c.kind === 'array') return typeDifference(foreign.elem, c.elem, depth + 1) ?? (foreign.count !== c.count ? `${foreign.count} elements instead of ${c.count}` : null);
  if (foreign.kind === 'record' && c.kind === 'record' && foreign.tag === c.tag) {
    // A base class laid out as a leading member (ctypes), an anonymous member: the bytes decide, not the nesting.
    if (foreign.size === c.size && foreign.align === c.align && sameLeaves(leaves(foreign), leaves(c))) return null;
    return recordDifference(foreign, c, depth) ?? (foreign.size !== c.size ? `${describe(foreign)} where C has ${describe(c)}` : `the members of ${describe(foreign)} lie differently from C's \`${c.spelling}\``);
  }
  if (kindOf(foreign) !== kindOf(c) || foreign.size !== c.size) return `${describe(foreign)} where C has ${describe(c)}`;
  if (foreign.kind === 'pointer' && c.kind === 'pointer') {
    const [a, b] = [foreign.pointee, c.pointee];
    // void pointers and opaque records match anything; otherwise the pointees must agree.
    if (a.kind === 'void' || b.kind === 'void' || a.kind === 'function' || (a.kind === 'record' && a.size === 0) || (b.kind === 'record' && b.size === 0)) return null;
    const inner = typeDifference(a, b, depth + 1);
    return inner ? `points to ${inner}` : null;
  }
  return null;
}

interface Leaf {
  readonly offset: number;
  readonly bitOffset: number | undefined;
  readonly bitWidth: number | undefined;
  readonly kind: string;
  readonly size: number;
}

/** The scalar members of a record at their absolute offsets, nested records and arrays opened up. */
function leaves(type: CType, base = 0, out: Leaf[] = [], depth = 0): Leaf[] {
  if (out.length > 4096 || depth > 32) return out;
  if (type.kind === 'record') {
    for (const field of type.fields) {
      if (field.bitWidth !== undefined && field.bitWidth !== null) out.push({ offset: base + field.offset, bitOffset: field.bitOffset, bitWidth: field.bitWidth, kind: kindOf(field.type), size: field.type.size });
      else leaves(field.type, base + field.offset, out, depth + 1);
    }
  } else if (type.kind === 'array' && type.count !== null) {
    for (let i = 0; i < type.count && out.length <= 4096; i++) leaves(type.elem, base + i * type.elem.size, out, depth + 1);
  } else {
    out.push({ offset: base, bitOffset: undefined, bitWidth: undefined, kind: kindOf(type), size: type.size });
  }
  return out;
}

function sameLeaves(a: readonly Leaf[], b: readonly Leaf[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return x.offset === y.offset && x.bitOffset === y.bitOffset && x.bitWidth === y.bitWidth && x.kind === y.kind && x.size === y.size;
  });
}

function recordDifference(foreign: Extract<CType, { kind: 'record' }>, c: Extract<CType, { kind: 'record' }>, depth: number): string | null {
  if (foreign.fields.length !== c.fields.length) return `\`${foreign.spelling}\` has ${foreign.fields.length} members where C's \`${c.spelling}\` has ${c.fields.length}`;
  for (let i = 0; i < c.fields.length; i++) {
    const [a, b] = [foreign.fields[i]!, c.fields[i]!];
    const name = b.name ?? `#${i + 1}`;
    // The member's own type first: a wrong type is usually why later offsets move.
    const inner = typeDifference(a.type, b.type, depth + 1);
    if (inner) return `member \`${name}\` of \`${c.spelling}\`: ${inner}`;
    if (a.offset !== b.offset || a.bitOffset !== b.bitOffset || a.bitWidth !== b.bitWidth) {
      return `member \`${name}\` of \`${c.spelling}\` is at byte ${a.offset} where C puts it at byte ${b.offset}`;
    }
  }
  if (foreign.align !== c.align) return `\`${foreign.spelling}\` is aligned to ${foreign.align} where C's \`${c.spelling}\` is aligned to ${c.align}`;
  return null;
}

/** The differences between a foreign declaration and the C prototype, on one target; null when they agree or cannot be read. */
export function compareDeclarations(foreign: FfiFunction, c: FfiFunction, target: TargetId): FfiMismatch | null {
  const outcome = compareOrExplain(foreign, c, target);
  return 'mismatch' in outcome ? outcome.mismatch : null;
}

/** Either the comparison's result (null: they agree), or why the two could not be compared. */
export function compareOrExplain(foreign: FfiFunction, c: FfiFunction, target: TargetId): { mismatch: FfiMismatch | null } | { unreadable: string } {
  let mine: FunctionDecl;
  let theirs: FunctionDecl;
  try {
    mine = resolve(foreign, target);
  } catch (err) {
    if (err instanceof AbiInputError) return { unreadable: err.message };
    throw err;
  }
  try {
    theirs = resolve(c, target);
  } catch (err) {
    if (err instanceof AbiInputError) return { unreadable: `its C prototype: ${err.message}` };
    throw err;
  }
  return { mismatch: differencesOf(foreign, c, target, mine, theirs) };
}

function differencesOf(foreign: FfiFunction, c: FfiFunction, target: TargetId, mine: FunctionDecl, theirs: FunctionDecl): FfiMismatch | null {
  const differences: string[] = [];
  const [a, b] = [mine.type.params, theirs.type.params];
  if (a.length !== b.length) differences.push(`${a.length} argument${a.length === 1 ? '' : 's'} where C has ${b.length}`);
  if (mine.type.variadic !== theirs.type.variadic) differences.push(theirs.type.variadic ? 'C is variadic (`...`), the declaration is not' : 'the declaration is variadic, C is not');
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = typeDifference(a[i]!.type, b[i]!.type);
    if (difference) differences.push(`argument ${i + 1} (\`${b[i]!.name}\`): ${difference}`);
  }
  const ret = typeDifference(mine.type.ret, theirs.type.ret);
  if (ret) differences.push(`return value: ${ret}`);
  if (foreign.convention !== c.convention && foreign.convention !== 'default' && c.convention !== 'default') {
    differences.push(`calling convention ${foreign.convention} where C uses ${c.convention}`);
  }
  if (differences.length === 0) return null;
  const breaksOn = TARGET_IDS.filter((t) => (t === target ? callBreaks(foreign, c, t, mine, theirs) : callBreaks(foreign, c, t)));
  const severity: MismatchSeverity = breaksOn.includes(target) ? 'error' : 'hint';
  const ctypes = foreign.source === 'ctypes' ? ctypesDeclaration(theirs) : undefined;
  return {
    function: foreign.name, range: foreign.range, differences, severity, breaksOn,
    foreignPrototype: foreign.prototype ?? '', cPrototype: c.prototype ?? '', ...(ctypes !== undefined && { ctypes }),
  };
}

/** Where each byte of a value goes, as one comparable string: `8:rdi` pieces, the class. */
function where(value: ValuePlacement): string {
  return `${value.type.size}|${value.pieces.map((p) => `${p.offset}+${p.size}@${p.loc}${p.indirect ? '&' : ''}`).join(',')}`;
}

function place(fn: FfiFunction, target: TargetId): CallPlacement {
  return boundedPlacement(() => placeRequest({ target, decls: fn.decls, proto: fn.prototype ?? '' }).placement);
}

/**
 * Whether calling the C function through the foreign declaration goes wrong on `target`: an
 * argument or the result in another place or of another size, another hidden return pointer or
 * stack area, another variadic-ness or calling convention, or a record passed by value whose
 * members lie differently.
 */
function callBreaks(foreign: FfiFunction, c: FfiFunction, target: TargetId, mine?: FunctionDecl, theirs?: FunctionDecl): boolean {
  let a: CallPlacement;
  let b: CallPlacement;
  try {
    [a, b] = [place(foreign, target), place(c, target)];
    mine ??= resolve(foreign, target);
    theirs ??= resolve(c, target);
  } catch (err) {
    if (err instanceof AbiInputError) return false;
    throw err;
  }
  if (a.params.length !== b.params.length || mine.type.variadic !== theirs.type.variadic) return true;
  if (a.params.some((p, i) => where(p) !== where(b.params[i]!))) return true;
  if (where(a.ret) !== where(b.ret) || (a.sret === null) !== (b.sret === null) || a.stackBytes !== b.stackBytes) return true;
  const byValue = [...mine.type.params.map((p) => p.type), mine.type.ret];
  const cByValue = [...theirs.type.params.map((p) => p.type), theirs.type.ret];
  if (byValue.some((t, i) => t.kind === 'record' && cByValue[i]?.kind === 'record' && !sameLeaves(leaves(t).map(sizeOnly), leaves(cByValue[i]!).map(sizeOnly)))) return true;
  return conventionBreaks(foreign.convention, c.convention, target);
}

/** Member kinds aside (signedness is a hint), the offsets and sizes of a record's members. */
function sizeOnly(leaf: Leaf): Leaf {
  return { ...leaf, kind: leaf.kind === 'floating point' ? 'float' : 'bits' };
}

/** On 64-bit targets `stdcall`, `cdecl`, `fastcall` and `thiscall` mean the one convention; `win64`/`sysv` choose another. */
function conventionBreaks(a: FfiFunction['convention'], b: FfiFunction['convention'], target: TargetId): boolean {
  const effective = (c: FfiFunction['convention']) => (c === 'win64' ? 'x86_64-win64' : c === 'sysv' ? 'x86_64-sysv' : target);
  return target.startsWith('x86_64') && effective(a) !== effective(b);
}
