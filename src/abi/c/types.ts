// Constructors for resolved types and the bookkeeping the model has no room for: which
// records are complete yet, and which types are typedef names (they print as written).

import type { ArrayType, CType, FunctionType, Param, PointerType, RecordType } from '../model';

/** A record while it is being declared; completed in place so earlier pointers see the body. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type MutableRecord = Mutable<RecordType>;

const completeRecords = new WeakSet<RecordType>();
/** Typedef names and builtin aliases such as `size_t`: printed by their own spelling. */
const namedTypes = new WeakSet<CType>();
/** Where a typedef of a record points, so completeness follows the record. */
const aliasTargets = new WeakMap<CType, RecordType>();

export function newRecord(tag: 'struct' | 'union', name: string | null): MutableRecord {
  const spelling = `${tag} ${name ?? '<anonymous>'}`;
  return { kind: 'record', tag, name, spelling, size: 0, align: 1, fields: [], holes: [] };
}

export function markComplete(record: RecordType): void {
  completeRecords.add(record);
}

/** False for `void`, functions, arrays of unknown size and records declared but not defined. */
export function isComplete(type: CType): boolean {
  if (type.kind === 'void' || type.kind === 'function') return false;
  if (type.kind === 'record') return completeRecords.has(aliasTargets.get(type) ?? type);
  return true;
}

export function isNamed(type: CType): boolean {
  return namedTypes.has(type);
}

/**
 * The type a typedef name stands for. Records are aliased through getters, so a typedef of
 * a struct that is completed later (`typedef struct Node Node; struct Node {…};`) sees it.
 */
export function namedAlias(type: CType, name: string, align?: number): CType {
  let alias: CType;
  if (type.kind === 'record') {
    const target = aliasTargets.get(type) ?? type;
    const forward = (key: keyof RecordType) => ({ enumerable: true, get: () => target[key] });
    alias = Object.defineProperties({} as RecordType, {
      kind: { enumerable: true, value: 'record' },
      tag: forward('tag'),
      name: forward('name'),
      spelling: { enumerable: true, value: name },
      size: forward('size'),
      // An aligned typedef of a typedef keeps the inner override unless it sets its own.
      align: align === undefined ? { enumerable: true, get: () => type.align } : { enumerable: true, value: align },
      fields: forward('fields'),
      holes: forward('holes'),
      packed: forward('packed'),
      hasFlexibleArray: forward('hasFlexibleArray'),
    });
    aliasTargets.set(alias, target);
  } else {
    alias = { ...type, spelling: name, align: align ?? type.align } as CType;
  }
  namedTypes.add(alias);
  aliasUnderlying.set(alias, type);
  if (align !== undefined) alignAttributed.add(alias);
  return alias;
}

/** The same type spelled differently, e.g. with qualifiers: `const char`. */
export function respelled(type: CType, spelling: string): CType {
  return type.spelling === spelling ? type : namedAlias(type, spelling);
}

export function pointerTo(pointee: CType, shape: { size: number; align: number }, qualifiers = ''): PointerType {
  const type: Mutable<PointerType> = { kind: 'pointer', pointee, size: shape.size, align: shape.align, spelling: '' };
  if (qualifiers) pointerQualifiers.set(type, qualifiers);
  type.spelling = spell(type, '');
  return type;
}

export function arrayOf(elem: CType, count: number, flexible: boolean): ArrayType {
  const type: ArrayType = { kind: 'array', elem, count, size: elem.size * count, align: elem.align, spelling: '' };
  if (flexible) return { ...type, flexible: true, spelling: spell({ ...type, flexible: true }, '') };
  return { ...type, spelling: spell(type, '') };
}

export function functionOf(ret: CType, params: readonly Param[], variadic: boolean): FunctionType {
  const type: FunctionType = { kind: 'function', ret, params, variadic, size: 1, align: 1, spelling: '' };
  return { ...type, spelling: spell(type, '') };
}

/** `* const` and the like, which only the spelling of a pointer shows. */
const pointerQualifiers = new WeakMap<CType, string>();

/**
 * C's inside-out declarator printing. `inner` is what already surrounds the (absent) name:
 * `*` for a pointer, `[3]` for an array. Pointers to arrays and functions get parentheses.
 */
function spell(type: CType, inner: string): string {
  if (isNamed(type)) return join(type.spelling, inner);
  switch (type.kind) {
    case 'pointer': {
      const quals = pointerQualifiers.get(type);
      const star = quals ? `* ${quals}${inner ? ' ' : ''}` : '*';
      const pointee = type.pointee;
      const wrap = !isNamed(pointee) && (pointee.kind === 'array' || pointee.kind === 'function');
      return spell(pointee, wrap ? `(${star}${inner})` : star + inner);
    }
    case 'array':
      return spell(type.elem, `${inner}[${type.flexible ? '' : type.count}]`);
    case 'function': {
      const list = [...type.params.map((p) => p.type.spelling), ...(type.variadic ? ['...'] : [])];
      return spell(type.ret, `${inner}(${list.length ? list.join(', ') : 'void'})`);
    }
    default:
      return join(type.spelling, inner);
  }
}

/** `int` + `*` → `int *`; `int` + `[4]` → `int[4]`; `int` + `(*)(int)` → `int (*)(int)`. */
function join(base: string, inner: string): string {
  if (inner === '') return base;
  if (inner.startsWith('[') || (inner.startsWith('(') && !inner.startsWith('(*'))) return base + inner;
  return `${base} ${inner}`;
}

/** What a typedef name or qualified spelling stands for, for looking through sugar. */
const aliasUnderlying = new WeakMap<CType, CType>();
/** Types that carry an `aligned` attribute themselves: typedefs with one, records with one. */
const alignAttributed = new WeakSet<CType>();
/** Microsoft layout only: what a record's own layout insists on (`RequiredAlignment`). */
const recordRequiredAligns = new WeakMap<CType, number>();

export function markAlignAttributed(type: CType): void {
  alignAttributed.add(type);
}

export function setRecordRequiredAlign(record: RecordType, align: number): void {
  recordRequiredAligns.set(record, align);
}

/** Alignment of the type with typedef `aligned` attributes looked through (arrays keep theirs). */
export function desugaredAlign(type: CType): number {
  let t = type;
  for (let u = aliasUnderlying.get(t); u; u = aliasUnderlying.get(t)) t = u;
  return t.align;
}

/** Whether the type's alignment comes from an `aligned` attribute (so packing cannot lower it). */
export function isAlignmentRequired(type: CType): boolean {
  if (alignAttributed.has(type)) return true;
  if (type.kind === 'array') return isAlignmentRequired(type.elem);
  const underlying = aliasUnderlying.get(type) ?? aliasTargets.get(type);
  return underlying ? isAlignmentRequired(underlying) : false;
}

/** The Microsoft `RequiredAlignment` of the record inside `type` (through arrays), or 1. */
export function recordRequiredAlign(type: CType): number {
  let t = type;
  while (t.kind === 'array') t = t.elem;
  if (t.kind !== 'record') return 1;
  return recordRequiredAligns.get(aliasTargets.get(t) ?? t) ?? 1;
}
