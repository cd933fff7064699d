// Flattening a type into its scalar leaves with byte offsets: what every classification
// algorithm walks (SysV eightbytes, AAPCS64 homogeneous aggregates).

import type { CType, CompilerId, Field, FloatType, RecordType } from '../model';

export type Leaf =
  | { readonly kind: 'int'; readonly offset: number; readonly size: number; readonly unnamedBitField?: boolean }
  | { readonly kind: 'float'; readonly offset: number; readonly size: number; readonly format: FloatType['format'] };

/** Scalar leaves of `type` placed at `base`, in offset order for structs (union members overlap). */
export function leavesOf(type: CType, base = 0): Leaf[] {
  const out: Leaf[] = [];
  collect(type, base, out);
  return out;
}

function collect(type: CType, base: number, out: Leaf[]): void {
  switch (type.kind) {
    case 'void':
    case 'function':
      return;
    case 'int':
    case 'pointer':
      out.push({ kind: 'int', offset: base, size: type.size });
      return;
    case 'float':
      out.push({ kind: 'float', offset: base, size: type.size, format: type.format });
      return;
    case 'complex': {
      const half = type.size / 2;
      for (const offset of [base, base + half]) {
        if (type.elem.kind === 'float') out.push({ kind: 'float', offset, size: type.elem.size, format: type.elem.format });
        else out.push({ kind: 'int', offset, size: type.elem.size });
      }
      return;
    }
    case 'array':
      for (let i = 0; i < type.count; i++) collect(type.elem, base + i * type.elem.size, out);
      return;
    case 'record':
      collectRecord(type, base, out);
      return;
  }
}

function collectRecord(record: RecordType, base: number, out: Leaf[]): void {
  for (const field of record.fields) {
    if (field.bitWidth === undefined) collect(field.type, base + field.offset, out);
    else {
      const leaf = bitFieldLeaf(record, field, base);
      if (leaf) out.push(leaf);
    }
  }
}

/**
 * The bytes a bit-field touches, as integer data. gcc classifies a zero-width bit-field inside a
 * union as integer data at its offset (clang ignores it, like every unnamed bit-field); in a
 * struct both ignore it.
 */
export function bitFieldLeaf(record: RecordType, field: Field, base: number): Leaf | null {
  const width = field.bitWidth ?? 0;
  if (width === 0) return record.tag === 'union' ? { kind: 'int', offset: base + field.offset, size: 1, unnamedBitField: true } : null;
  const firstBit = field.offset * 8 + (field.bitOffset ?? 0);
  const first = Math.floor(firstBit / 8);
  const last = Math.floor((firstBit + width - 1) / 8);
  return { kind: 'int', offset: base + first, size: last - first + 1, unnamedBitField: field.name === null };
}

/**
 * True when a packed record puts something off its alignment, which sends the whole value to
 * memory. clang checks every member (records included) and every array element; gcc checks
 * only scalars (and a union's unnamed bit-fields), and only the first element of an array.
 */
export function hasMisalignedMember(type: CType, compiler: CompilerId, base = 0): boolean {
  if (type.kind === 'array') {
    const count = compiler === 'clang' ? type.count : Math.min(type.count, 1);
    for (let i = 0; i < count; i++) if (hasMisalignedMember(type.elem, compiler, base + i * type.elem.size)) return true;
    return false;
  }
  if (type.kind !== 'record') return base % type.align !== 0;
  return type.fields.some((field) => {
    const at = base + field.offset;
    // gcc classifies a union's unnamed bit-fields as whole scalars of their declared type, so
    // they too must sit at that type's alignment (seen with gcc 12; named and zero-width ones do not count).
    if (field.bitWidth !== undefined) return compiler === 'gcc' && type.tag === 'union' && field.name === null && field.bitWidth > 0 && at % field.type.align !== 0;
    if (field.type.size === 0) return false; // empty members are not classified at all
    return (compiler === 'clang' && at % field.type.align !== 0) || hasMisalignedMember(field.type, compiler, at);
  });
}

/**
 * A record with no data members: nothing inside but unnamed bit-fields and such records, whatever
 * its size. Both compilers treat these specially: clang passes them like an empty struct (no
 * register, no stack); gcc lets them take a register but no stack space.
 */
export function isMemberlessRecord(type: CType): boolean {
  if (type.kind === 'array') return type.count === 0 || isMemberlessRecord(type.elem);
  if (type.kind !== 'record') return false;
  return type.fields.every((f) => (f.bitWidth !== undefined ? f.name === null : isMemberlessRecord(f.type)));
}
