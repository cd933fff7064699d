// Microsoft record layout (MSVC, clang-cl / `--target=*-windows-msvc`, and mingw's
// -mms-bitfields). Bit-fields take whole units of their declared type and only share a
// unit with neighbours of the same type size; alignment attributes are "required"
// alignments that packing cannot lower.

import type { Field } from '../model';
import type { DataModel } from '../targets';
import { roundUp, type MemberInput, type RecordInput, type RecordLayout } from './layout';
import { desugaredAlign, isAlignmentRequired, recordRequiredAlign } from './types';

interface ElementInfo {
  readonly size: number;
  /** Where the member may start, after packing and required alignment. */
  readonly align: number;
  /** Alignment that `aligned`/`__declspec(align)` demand; packing cannot lower it. */
  readonly required: number;
}

/** The bit-field unit being filled: its start, its size, and the bits still free. */
interface OpenUnit {
  offset: number;
  size: number;
  remaining: number;
}

export function layoutMs(input: RecordInput, model: DataModel): RecordLayout {
  const union = input.tag === 'union';
  const maxFieldAlign = maxFieldAlignment(input, model);
  const fields: Field[] = [];
  let size = 0;
  let align = 1;
  let required = 1;
  let unit: OpenUnit | null = null;

  for (const member of input.members) {
    const info = elementInfo(member, maxFieldAlign, model);
    const width = member.bitWidth;
    if (width === undefined) {
      unit = null;
      required = Math.max(required, info.required);
      align = Math.max(align, info.align);
      const offset = union ? 0 : roundUp(size, info.align);
      fields.push({ name: member.name, type: member.type, offset, align: info.align });
      size = Math.max(size, offset + info.size);
    } else if (width === 0) {
      // A zero-width bit-field only matters right after a non-zero-width one.
      if (!unit) {
        fields.push(bitField(member, union ? 0 : size, 0));
        continue;
      }
      unit = null;
      if (union) {
        fields.push(bitField(member, 0, 0));
        size = Math.max(size, info.size);
      } else {
        const offset = roundUp(size, info.align);
        fields.push(bitField(member, offset, 0));
        size = offset;
        align = Math.max(align, info.align);
      }
    } else if (!union && unit && unit.size === info.size && width <= unit.remaining) {
      fields.push(bitField(member, unit.offset, unit.size * 8 - unit.remaining));
      unit.remaining -= width;
    } else if (union) {
      // MSVC ignores bit-field alignment in unions.
      unit = { offset: 0, size: info.size, remaining: 0 };
      fields.push(bitField(member, 0, 0));
      size = Math.max(size, info.size);
    } else {
      const offset = roundUp(size, info.align);
      unit = { offset, size: info.size, remaining: info.size * 8 - width };
      fields.push(bitField(member, offset, 0));
      size = offset + info.size;
      align = Math.max(align, info.align);
    }
  }

  size = roundUp(size, align);
  required = Math.max(required, input.aligned ?? 1);
  align = Math.max(align, required);
  const rounding = Math.max(maxFieldAlign ? Math.min(align, maxFieldAlign) : align, required);
  size = roundUp(size, rounding);
  // C (not C++) gives an empty record 4 bytes, or its alignment when `aligned` asks for more.
  if (size === 0) size = required >= 4 ? align : 4;
  return { size, align, fields, requiredAlign: required };
}

/** `#pragma pack` caps member alignment (values above the pointer size are ignored); `packed` makes it 1. */
function maxFieldAlignment(input: RecordInput, model: DataModel): number {
  if (input.packed) return 1;
  if (input.pack !== undefined && input.pack <= model.pointer.size) return input.pack;
  return 0;
}

function elementInfo(member: MemberInput, maxFieldAlign: number, _model: DataModel): ElementInfo {
  const type = member.type;
  let required = member.aligned ?? 1;
  if (isAlignmentRequired(type)) required = Math.max(required, type.align);
  if (member.bitWidth === undefined) required = Math.max(required, recordRequiredAlign(type));
  let align = desugaredAlign(type);
  if (maxFieldAlign) align = Math.min(align, maxFieldAlign);
  if (member.packed) align = 1;
  return { size: type.size, align: Math.max(align, required), required };
}

function bitField(member: MemberInput, unitOffset: number, bitOffset: number): Field {
  return { name: member.name, type: member.type, offset: unitOffset, bitWidth: member.bitWidth ?? 0, bitOffset };
}
