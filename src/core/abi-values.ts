// Argument values read back from where the ABI put them: the pieces of a placement gathered from
// register and stack contents into the value's memory image, then decoded as its C type. Pure:
// the contents come in as plain data, so the decoding is tested without a process.

import type { CType } from '../abi/model';

export interface PieceLike {
  readonly offset: number;
  readonly size: number;
  /** A register name or `stack+N`. */
  readonly loc: string;
  readonly indirect?: boolean;
}

/** What was in the machine at the call: registers, the incoming stack argument area, pointed-to bytes. */
export interface MachineContents {
  registers: ReadonlyMap<string, bigint>;
  /** The bytes of the incoming argument area, from `stack+0` on. */
  stack: Uint8Array;
  /** The bytes behind each pointer value a by-reference argument carried (keyed by the pointer). */
  pointees: ReadonlyMap<bigint, Uint8Array>;
}

const REGISTER_BYTES = (name: string): number => (/^(xmm|v)\d+$/.test(name) ? 16 : 8);

export function registerBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** The bytes at one location (a register's low bytes, or the stack area at an offset); null when unknown. */
export function bytesAt(loc: string, size: number, contents: MachineContents): Uint8Array | null {
  const stack = /^stack\+(\d+)$/.exec(loc);
  if (stack) {
    const at = Number(stack[1]);
    return at + size <= contents.stack.length ? contents.stack.slice(at, at + size) : null;
  }
  const value = contents.registers.get(loc);
  return value === undefined ? null : registerBytes(value, REGISTER_BYTES(loc)).slice(0, size);
}

/** The pointer a by-reference piece carries, or null when its location is unknown. */
export function pointerIn(piece: PieceLike, contents: MachineContents): bigint | null {
  const bytes = bytesAt(piece.loc, 8, contents);
  return bytes ? littleEndian(bytes) : null;
}

/** The value's memory image assembled from its pieces, or null when any piece is unknown. */
export function assemble(size: number, pieces: readonly PieceLike[], contents: MachineContents): Uint8Array | null {
  const image = new Uint8Array(size);
  for (const piece of pieces) {
    if (piece.indirect) {
      const pointer = pointerIn(piece, contents);
      const pointee = pointer === null ? undefined : contents.pointees.get(pointer);
      if (!pointee || pointee.length < size) return null;
      image.set(pointee.slice(0, size));
      continue;
    }
    // A scalar in a wider register (float in xmm0, x87 in st0) is its low `size` bytes.
    const bytes = bytesAt(piece.loc, Math.min(piece.size, size - piece.offset), contents);
    if (!bytes) return null;
    image.set(bytes, piece.offset);
  }
  return image;
}

const MAX_ELEMENTS = 16;

/** `bytes` (at least `type.size` of them) as gdb would print the value. */
export function decodeValue(type: CType, bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type.kind) {
    case 'int': {
      const raw = littleEndian(bytes.slice(0, type.size));
      if (type.isBool) return raw === 0n ? 'false' : 'true';
      const value = type.signed ? BigInt.asIntN(type.size * 8, raw) : raw;
      if (type.size === 1 && /\bchar\b/.test(type.spelling) && value >= 32n && value < 127n) return `${value} '${String.fromCharCode(Number(value))}'`;
      return value.toString();
    }
    case 'float':
      if (type.format === 'f32') return formatFloat32(view.getFloat32(0, true));
      if (type.format === 'f64') return formatFloat(view.getFloat64(0, true));
      return `0x${littleEndian(bytes.slice(0, type.size)).toString(16)} (raw ${type.format})`;
    case 'pointer':
      return `0x${littleEndian(bytes.slice(0, type.size)).toString(16)}`;
    case 'record': {
      const fields = type.fields.filter((f) => f.name !== null || f.type.kind === 'record');
      const parts = fields.map((field) => {
        const inner = bytes.slice(field.offset, field.offset + Math.max(field.type.size, 1));
        const text = field.bitWidth !== undefined ? decodeBits(field.type, inner, field.bitOffset ?? 0, field.bitWidth) : decodeValue(field.type, inner);
        return field.name === null ? text : `${field.name} = ${text}`;
      });
      return `{${parts.join(', ')}}`;
    }
    case 'array': {
      const shown = Math.min(type.count, MAX_ELEMENTS);
      const size = type.elem.size;
      const items = Array.from({ length: shown }, (_, i) => decodeValue(type.elem, bytes.slice(i * size, (i + 1) * size)));
      return `{${items.join(', ')}${type.count > shown ? ', …' : ''}}`;
    }
    case 'complex': {
      const half = type.size / 2;
      return `${decodeValue(type.elem, bytes.slice(0, half))} + ${decodeValue(type.elem, bytes.slice(half))}i`;
    }
    default:
      return type.kind === 'void' ? 'void' : `(${type.spelling})`;
  }
}

function decodeBits(type: CType, bytes: Uint8Array, bitOffset: number, width: number): string {
  const storage = littleEndian(bytes);
  const raw = (storage >> BigInt(bitOffset)) & ((1n << BigInt(width)) - 1n);
  const signed = type.kind === 'int' && type.signed && !type.isBool;
  return (signed ? BigInt.asIntN(width, raw) : raw).toString();
}

/** A float's shortest text that reads back to the same float (not the double it widens to). */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return formatFloat(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return formatFloat(Number(text));
  }
  return formatFloat(value);
}

/** Shortest text that reads back to the same number, as JS prints it (and gdb nearly does). */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}
