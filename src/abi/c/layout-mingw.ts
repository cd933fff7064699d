// GCC's Microsoft-compatible layout (-mms-bitfields, the default for mingw-w64). Bit-fields
// follow MSVC's unit rules, but alignment follows GCC: typedef alignments count as written,
// #pragma pack caps every member, and an empty struct has size 0.

import type { Field } from '../model';
import type { DataModel } from '../targets';
import { roundUp, type MemberInput, type RecordInput, type RecordLayout } from './layout';
import { desugaredAlign } from './types';

/** The run of bit-fields being packed into units of one type size. */
interface Run {
  /** Start of the current unit, in bytes. */
  offset: number;
  /** Size of the declared type of the run, in bytes. */
  size: number;
  /** Bits still free in the current unit. */
  remaining: number;
}

export function layoutMingw(input: RecordInput, _model: DataModel): RecordLayout {
  const union = input.tag === 'union';
  const fields: Field[] = [];
  let size = 0;
  let align = 1;
  let run: Run | null = null;
  /** The previous member was a bit-field of non-zero width. */
  let afterBitField = false;

  for (const member of input.members) {
    const packed = input.packed || member.packed;
    const width = member.bitWidth;
    const fieldAlign = memberAlign(member, packed, input.pack);
    if (width === undefined) {
      if (run && !union) size = run.offset + run.size;
      run = null;
      afterBitField = false;
      const offset = union ? 0 : roundUp(size, fieldAlign);
      fields.push({ name: member.name, type: member.type, offset, align: fieldAlign });
      size = Math.max(size, offset + member.type.size);
      align = Math.max(align, fieldAlign);
      continue;
    }
    const typeSize = member.type.size;
    if (width === 0) {
      // It ends the run of bit-fields. Right after one (in structs only) it raises the
      // record's alignment to its type's, even when packed, and moves the next member to
      // the smaller of the type's alignment and its natural one (a typedef'd `aligned`
      // larger than natural does not move it; measured with mingw-w64 GCC 12).
      if (run && !union) size = run.offset + run.size;
      if (afterBitField && !union) {
        const own = member.aligned ?? 1;
        align = Math.max(align, capped(Math.max(member.type.align, own), input.pack));
        const natural = packed ? 1 : Math.min(member.type.align, desugaredAlign(member.type));
        const moveTo = capped(Math.max(natural, own), input.pack);
        size = roundUp(size, moveTo);
      } else if (!union && member.aligned !== undefined) {
        // An `aligned` on the zero-width field itself moves the next member even outside a
        // run, without raising the record's alignment.
        size = roundUp(size, capped(member.aligned, input.pack));
      }
      fields.push(bitField(member, union ? 0 : size, 0));
      run = null;
      afterBitField = false;
      continue;
    }
    if (!packed) align = Math.max(align, fieldAlign);
    afterBitField = true;
    if (union) {
      // GCC sizes a union by the bytes its bit-fields touch, not by their units.
      fields.push(bitField(member, 0, 0));
      size = Math.max(size, Math.ceil(width / 8));
      continue;
    }
    if (run && run.size === typeSize && width <= run.remaining) {
      fields.push(bitField(member, run.offset, typeSize * 8 - run.remaining));
      run.remaining -= width;
      continue;
    }
    if (run && run.size === typeSize) {
      // Out of bits in a run of one type size: the next unit follows directly, moved only
      // by an `aligned` on the member itself.
      run.offset = roundUp(run.offset + run.size, capped(member.aligned ?? 1, input.pack));
      run.remaining = typeSize * 8 - width;
      fields.push(bitField(member, run.offset, 0));
      size = run.offset + typeSize;
      continue;
    }
    if (run) size = run.offset + run.size;
    const offset = roundUp(size, fieldAlign);
    run = { offset, size: typeSize, remaining: typeSize * 8 - width };
    fields.push(bitField(member, offset, 0));
    size = offset + typeSize;
  }
  if (run && !union) size = Math.max(size, run.offset + run.size);
  align = Math.max(align, input.aligned ?? 1);
  return { size: roundUp(size, align), align, fields };
}

function capped(align: number, pack: number | undefined): number {
  return pack === undefined ? align : Math.min(align, pack);
}

/** GCC's member alignment: packing drops the type's, keeps the member's own `aligned`. */
function memberAlign(member: MemberInput, packed: boolean, pack: number | undefined): number {
  const own = member.aligned ?? 1;
  return capped(packed ? own : Math.max(member.type.align, own), pack);
}

function bitField(member: MemberInput, unitOffset: number, bitOffset: number): Field {
  return { name: member.name, type: member.type, offset: unitOffset, bitWidth: member.bitWidth ?? 0, bitOffset };
}
