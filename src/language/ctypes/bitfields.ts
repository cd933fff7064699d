// ctypes before Python 3.13 (CPython gh-97588) lays out bit-fields on non-Windows platforms
// with its own rules, not GCC's/Clang's: a bit-field never shares bytes with a preceding
// non-bit-field member, a wider bit-field "expands" the open storage unit in place, and
// `_pack_` does not let bit-fields straddle units. When that layout differs from what a C
// compiler does with the same declaration, Python and C disagree on the struct's bytes: worth
// a warning. This module replays the old ctypes algorithm over the engine's resolved types.

import { parseC } from '../../abi/c';
import type { RecordType } from '../../abi/model';
import { dataModel } from '../../abi/targets';

interface Placed {
  readonly name: string | null;
  /** Bit position from the start of the record. */
  readonly bit: number;
}

/** Positions and size per old ctypes (3.12 and earlier, GCC-style platforms) for a struct. */
export function legacyCtypesLayout(record: RecordType, pack: number | null): { fields: Placed[]; size: number } {
  let size = 0;
  let align = 1;
  let fieldBits = 0; // bits of the open bit-field storage unit, 0 when none is open
  let bitOffset = 0;
  const fields: Placed[] = [];
  for (const f of record.fields) {
    const typeSize = f.type.size;
    const width = f.bitWidth;
    const typeBits = typeSize * 8;
    if (width !== undefined && fieldBits && typeBits <= fieldBits && bitOffset + width <= fieldBits) {
      // Continue the open unit; ctypes counts the field's offset back from the unit's end.
      fields.push({ name: f.name, bit: (size - typeSize) * 8 + bitOffset });
      bitOffset += width;
    } else if (width !== undefined && fieldBits && typeBits >= fieldBits && bitOffset + width <= typeBits) {
      // Expand the open unit in place to the wider type, without realigning anything.
      size += typeSize - fieldBits / 8;
      fieldBits = typeBits;
      fields.push({ name: f.name, bit: (size - typeSize) * 8 + bitOffset });
      bitOffset += width;
    } else {
      const fieldAlign = pack ? Math.min(pack, f.type.align) : f.type.align;
      size = Math.ceil(size / fieldAlign) * fieldAlign;
      fields.push({ name: f.name, bit: size * 8 });
      size += typeSize;
      align = Math.max(align, fieldAlign);
      [fieldBits, bitOffset] = width !== undefined ? [typeBits, width] : [0, 0];
    }
  }
  return { fields, size: Math.ceil(size / align) * align };
}

/**
 * Why old ctypes would lay out `tag` (declared in `decl`) differently from a C compiler on
 * x86-64 Linux, or null when they agree (or the declaration cannot be laid out).
 */
export function legacyBitfieldMismatch(decl: string, tag: string, pack: number | null): string | null {
  let record: RecordType | undefined;
  try {
    record = parseC(decl, dataModel('x86_64-sysv')).records.get(tag);
  } catch {
    return null;
  }
  if (!record || record.tag !== 'struct' || !record.fields.some((f) => f.bitWidth !== undefined)) return null;
  const old = legacyCtypesLayout(record, pack);
  const where = (bit: number) => (bit % 8 ? `byte ${Math.floor(bit / 8)} bit ${bit % 8}` : `byte ${bit / 8}`);
  for (const [i, f] of record.fields.entries()) {
    const cBit = f.offset * 8 + (f.bitOffset ?? 0);
    const pyBit = old.fields[i]!.bit;
    if (cBit !== pyBit) {
      return `ctypes before Python 3.13 lays out these bit-fields differently from GCC/Clang (CPython gh-97588): '${f.name ?? '?'}' is at ${where(pyBit)} in ctypes, ${where(cBit)} in C`;
    }
  }
  if (old.size !== record.size) {
    return `ctypes before Python 3.13 lays out these bit-fields differently from GCC/Clang (CPython gh-97588): sizeof is ${old.size} in ctypes, ${record.size} in C`;
  }
  return null;
}
