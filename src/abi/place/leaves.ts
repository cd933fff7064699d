// Flattening a type into its scalar leaves with byte offsets: what every classification
// algorithm walks (SysV eightbytes, AAPCS64 homogeneous aggregates).

import type { CType, FloatType, RecordType } from '../model';

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
    if (field.bitWidth !== undefined) {
      if (field.bitWidth === 0) continue;
      // A bit-field occupies the bytes its bits touch; classification sees them as integer data.
      const firstBit = field.offset * 8 + (field.bitOffset ?? 0);
      const first = Math.floor(firstBit / 8);
      const last = Math.floor((firstBit + field.bitWidth - 1) / 8);
      out.push({ kind: 'int', offset: base + first, size: last - first + 1, unnamedBitField: field.name === null });
      continue;
    }
    collect(field.type, base + field.offset, out);
  }
}

/** True when some scalar member does not sit at a multiple of its own alignment (packed records). */
export function hasMisalignedMember(type: CType, base = 0): boolean {
  if (type.kind === 'array') return type.count > 0 && hasMisalignedMember(type.elem, base);
  if (type.kind !== 'record') return false;
  return type.fields.some((field) => {
    if (field.bitWidth !== undefined) return false;
    const at = base + field.offset;
    return at % field.type.align !== 0 || hasMisalignedMember(field.type, at);
  });
}
