// FFI mismatch diagnostics: a koffi or ctypes declaration compared with the C prototype of
// the same function, type by type as the target lays them out. A mismatch here is the classic
// polyglot crash (a double read from an integer register, a struct one field short).

import { parseC } from '../../abi/c';
import { AbiInputError, type CType, type FunctionDecl, type TargetId } from '../../abi/model';
import { dataModel } from '../../abi/targets';
import { ctypesDeclaration, type CtypesDeclaration } from '../ctypes/spelling';
import type { FfiFunction, Range } from './model';

export interface FfiMismatch {
  readonly function: string;
  /** Where to show it: the foreign declaration. */
  readonly range: Range;
  /** Each exact difference, for people. */
  readonly differences: readonly string[];
  /** The C prototype the declaration should match, for a quick fix. */
  readonly cPrototype: string;
  /** For a ctypes declaration: `argtypes` and `restype` spelled from the C prototype, when ctypes can say them. */
  readonly ctypes?: CtypesDeclaration | null;
}

function resolve(fn: FfiFunction, target: TargetId): FunctionDecl {
  if (!fn.prototype) throw new AbiInputError(fn.problems.join('; ') || 'no prototype');
  return parseC(fn.decls, dataModel(target)).prototype(fn.prototype);
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
    return recordDifference(foreign, c, depth) ?? (foreign.size !== c.size ? `${describe(foreign)} where C has ${describe(c)}` : null);
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

/** The differences between a foreign declaration and the C prototype, on one target. */
export function compareDeclarations(foreign: FfiFunction, c: FfiFunction, target: TargetId): FfiMismatch | null {
  let mine: FunctionDecl;
  let theirs: FunctionDecl;
  try {
    [mine, theirs] = [resolve(foreign, target), resolve(c, target)];
  } catch (err) {
    if (err instanceof AbiInputError) return null; // unreadable declarations get their own problems
    throw err;
  }
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
  const ctypes = foreign.source === 'ctypes' ? ctypesDeclaration(theirs) : undefined;
  return { function: foreign.name, range: foreign.range, differences, cPrototype: c.prototype ?? '', ...(ctypes !== undefined && { ctypes }) };
}
