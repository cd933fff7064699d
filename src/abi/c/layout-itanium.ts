// Record layout of GCC and Clang on Unix-like targets ("Itanium" / PCC bit-field rules).
// Everything is tracked in bits because bit-fields share storage with their neighbours.

import type { Field } from '../model';
import type { DataModel } from '../targets';
import { bitField, roundUp, type MemberInput, type RecordInput, type RecordLayout } from './layout';

interface State {
  /** Next free bit (structs) or the largest member so far (unions). */
  bits: number;
  /** Record alignment in bytes. */
  align: number;
  readonly fields: Field[];
}

/**
 * AAPCS64 (GCC and Clang on Linux) lets unnamed bit-fields, zero-width ones included, raise
 * the record's alignment; x86-64 and Apple arm64 ignore them for that.
 */
function unnamedBitFieldsAlign(model: DataModel): boolean {
  return model.target === 'aarch64-aapcs64';
}

export function layoutItanium(input: RecordInput, model: DataModel): RecordLayout {
  const state: State = { bits: 0, align: 1, fields: [] };
  const union = input.tag === 'union';
  for (const member of input.members) {
    if (member.bitWidth === undefined) placeField(state, member, input, union);
    else placeBitField(state, member, input, union, model);
  }
  const align = Math.max(state.align, input.aligned ?? 1);
  const size = roundUp(Math.ceil(state.bits / 8), align);
  return { size, align, fields: state.fields };
}

function placeField(state: State, member: MemberInput, input: RecordInput, union: boolean): void {
  const packed = input.packed || member.packed;
  // Packing drops the type's alignment but not an alignment written on the member itself.
  let align = packed ? (member.aligned ?? 1) : Math.max(member.type.align, member.aligned ?? 1);
  if (input.pack !== undefined) align = Math.min(align, input.pack);
  const offset = union ? 0 : roundUp(state.bits, align * 8) / 8;
  state.fields.push({ name: member.name, type: member.type, offset, align });
  state.bits = Math.max(state.bits, (offset + member.type.size) * 8);
  state.align = Math.max(state.align, align);
}

function placeBitField(state: State, member: MemberInput, input: RecordInput, union: boolean, model: DataModel): void {
  const width = member.bitWidth ?? 0;
  const type = member.type;
  const packed = input.packed || member.packed;
  const pack = input.pack;
  const start = union ? 0 : bitFieldStart(state.bits, member, packed, pack, model);
  state.fields.push(bitField(member, start, type.size));

  if (member.name !== null || unnamedBitFieldsAlign(model)) {
    // #pragma pack caps even an explicit `aligned` on a non-zero-width bit-field.
    const explicit = member.aligned ?? 1;
    // GCC turns a byte-aligned 8/16/32/64/128-bit field into an ordinary integer member,
    // which aligns the record to that integer's size even if its typedef says less.
    const integerMode = model.compiler === 'gcc' && isIntegerModeField(start, width, packed);
    let align = Math.max(type.align, explicit, integerMode ? width / 8 : 1);
    if (width !== 0 && pack !== undefined) align = Math.min(align, pack);
    else if (width !== 0 && packed) align = explicit;
    state.align = Math.max(state.align, align);
  }
  if (union) state.bits = Math.max(state.bits, roundUp(width, 8));
  else state.bits = start + width;
}

/** First bit of a bit-field that would otherwise start at bit `next`. */
function bitFieldStart(next: number, member: MemberInput, packed: boolean, pack: number | undefined, model: DataModel): number {
  const width = member.bitWidth ?? 0;
  const type = member.type;
  const explicit = member.aligned ?? 0;
  // A zero-width bit-field aligns the next member to its type (and any `aligned` on it);
  // neither packing nor #pragma pack weakens that.
  if (width === 0) return roundUp(next, Math.max(type.align, explicit) * 8);
  if (model.compiler === 'clang') {
    // Clang checks the span before honouring `aligned`, and ignores an `aligned` that
    // #pragma pack would have to cap.
    const fieldAlignBits = packed ? Math.max(1, explicit * 8) : Math.max(type.align, explicit) * 8;
    if (pack === undefined && (next % fieldAlignBits) + width > type.size * 8) return roundUp(next, fieldAlignBits);
    if (explicit && (pack === undefined || explicit <= pack)) return roundUp(next, explicit * 8);
    return next;
  }
  // GCC honours `aligned` (capped by #pragma pack) first, then moves the field to the next
  // unit of its type's alignment if it would straddle more units than the type has.
  let start = next;
  const capped = pack !== undefined && explicit ? Math.min(explicit, pack) : explicit;
  if (capped) start = roundUp(start, capped * 8);
  // A field of exactly 8/16/32/64/128 bits that already sits on such a boundary becomes an
  // ordinary integer member in GCC, so the straddling rule does not apply to it.
  const integerMode = isIntegerModeField(start, width, packed);
  if (!packed && pack === undefined && !integerMode && gccSpansTooFar(start, width, type.size, type.align)) {
    start = roundUp(start, type.align * 8);
  }
  return start;
}

/** GCC's rule: the field may not span more alignment units of its type than the type has. */
function gccSpansTooFar(start: number, width: number, size: number, align: number): boolean {
  const alignBits = align * 8;
  return Math.ceil(((start % alignBits) + width) / alignBits) > Math.floor(size / align);
}

/** A GCC bit-field that is exactly an integer mode wide and sits on a boundary of that mode. */
function isIntegerModeField(start: number, width: number, packed: boolean): boolean {
  return [8, 16, 32, 64, 128].includes(width) && start % width === 0 && !(packed && width > 8);
}
