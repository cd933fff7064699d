// What record layout needs to know about a struct/union body, what it produces, and the
// parts both layout families share (bit-field storage units, padding holes).

import type { CType, Field, Hole } from '../model';
import type { DataModel } from '../targets';
import { layoutItanium } from './layout-itanium';
import { layoutMingw } from './layout-mingw';
import { layoutMs } from './layout-ms';

export interface MemberInput {
  /** null for unnamed bit-fields and anonymous structs/unions. */
  readonly name: string | null;
  readonly type: CType;
  readonly bitWidth?: number;
  /** `__attribute__((packed))` on the member itself. */
  readonly packed: boolean;
  /** `__attribute__((aligned(N)))` or `_Alignas(N)` on the member, in bytes. */
  readonly aligned?: number;
}

export interface RecordInput {
  readonly tag: 'struct' | 'union';
  readonly members: readonly MemberInput[];
  /** `__attribute__((packed))` on the record. */
  readonly packed: boolean;
  /** `__attribute__((aligned(N)))` on the record, in bytes. */
  readonly aligned?: number;
  /** The `#pragma pack` value in effect, in bytes (undefined: none). */
  readonly pack?: number;
}

export interface RecordLayout {
  readonly size: number;
  readonly align: number;
  readonly fields: readonly Field[];
  /**
   * The alignment the Microsoft layout must respect even under packing: from aligned
   * attributes on the record, its members or their typedefs. Only the ms layout sets it.
   */
  readonly requiredAlign?: number;
}

export function layoutRecord(input: RecordInput, model: DataModel): RecordLayout {
  if (model.recordLayout === 'itanium') return layoutItanium(input, model);
  // On Win64 `gcc` is mingw-w64, whose -mms-bitfields layout is GCC's own take on MSVC's.
  return model.compiler === 'gcc' ? layoutMingw(input, model) : layoutMs(input, model);
}

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** A bit-field as the model reports it: offset of a storage unit of its type, bit offset within. */
export function bitField(member: MemberInput, bitPosition: number, unitBytes: number): Field {
  const offset = Math.floor(bitPosition / (unitBytes * 8)) * unitBytes;
  return { name: member.name, type: member.type, offset, bitWidth: member.bitWidth ?? 0, bitOffset: bitPosition - offset * 8 };
}

/**
 * Bytes of [0, size) that no member occupies. A byte partly used by a named bit-field is
 * occupied; unnamed bit-fields are padding by definition, so they do not occupy anything.
 */
export function holesOf(fields: readonly Field[], size: number): Hole[] {
  const used = new Uint8Array(size);
  for (const field of fields) {
    let first: number;
    let end: number;
    if (field.bitWidth !== undefined) {
      if (field.name === null || field.bitWidth === 0) continue;
      const firstBit = field.offset * 8 + (field.bitOffset ?? 0);
      first = Math.floor(firstBit / 8);
      end = Math.floor((firstBit + field.bitWidth - 1) / 8) + 1;
    } else {
      first = field.offset;
      end = field.offset + field.type.size;
    }
    used.fill(1, first, Math.min(end, size));
  }
  const holes: Hole[] = [];
  for (let i = 0; i < size; i++) {
    if (used[i]) continue;
    const start = i;
    while (i < size && !used[i]) i++;
    holes.push({ offset: start, size: i - start });
  }
  return holes;
}
