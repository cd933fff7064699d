// The ABI picture of one C frame while stopped: each argument's locations with the bytes that were
// there at the call and the value they decode to, the return address, the canonical frame address
// and the stack area. Values come from the frame's entry snapshot, or straight from the registers
// when the frame sits on its first instruction. This is what the live hover, the frame view, the
// annotated Registers scope and the self-check read.

import type { ValuePlacement } from '../abi/place/placement';
import { formatRecordLayout, recordsIn } from '../abi/format';
import { assemble, bytesAt, decodeValue, pointerIn, type MachineContents } from './abi-values';
import type { NativeEnginePort } from './engine-ports';
import { HOST_MACHINE, readEntry, type EntrySnapshot, type EntrySnapshots } from './entry-snapshots';
import type { PlacedFunction } from './function-abi';
import type { StackItem } from './stitch';

export interface LivePiece {
  offset: number;
  size: number;
  loc: string;
  indirect?: boolean;
  /** Hex bytes found at the location (for by-reference pieces: the pointer). */
  bytes?: string;
  /** For by-reference pieces: where the object is. */
  pointer?: string;
}

export interface LiveValue {
  name: string;
  type: string;
  size: number;
  classification: string;
  pieces: LivePiece[];
  /** The value decoded from the pieces, when they were all known. */
  value?: string;
}

export interface FrameAbi {
  function: string;
  prototype: string;
  target: string;
  /** Where the values come from; `none` when only the static placement is known. */
  source: 'entry' | 'snapshot' | 'none';
  /** For people: why values are missing, or where they come from. */
  note: string;
  cfa?: string;
  returnAddress?: string;
  params: LiveValue[];
  ret: Omit<LiveValue, 'name' | 'value'>;
  sret: { loc: string; returnedIn: string | null; pointer?: string } | null;
  stackBytes: number;
  layouts: string[];
}

const hex = (value: bigint): string => `0x${value.toString(16)}`;
const hexBytes = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** The static placement with the values of `contents` (when known) filled in. */
export function describeFrame(placed: PlacedFunction, contents: (MachineContents & { cfa?: bigint; returnAddress?: bigint }) | null, source: FrameAbi['source'], note: string): FrameAbi {
  const { placement, fn } = placed;
  const live = (value: ValuePlacement, name: string, withValue: boolean): LiveValue => {
    const pieces = value.pieces.map((piece): LivePiece => {
      const out: LivePiece = { offset: piece.offset, size: piece.size, loc: piece.loc, ...(piece.indirect && { indirect: true }) };
      if (!contents) return out;
      const raw = bytesAt(piece.loc, piece.indirect ? 8 : piece.size, contents);
      if (raw) out.bytes = hexBytes(raw);
      const pointer = piece.indirect ? pointerIn(piece, contents) : null;
      if (pointer !== null) out.pointer = hex(pointer);
      return out;
    });
    const image = contents && withValue && value.type.size > 0 ? assemble(value.type.size, value.pieces, contents) : null;
    return {
      name,
      type: value.type.spelling,
      size: value.type.size,
      classification: value.classification,
      pieces,
      ...(image && { value: decodeValue(value.type, image) }),
    };
  };
  const sretPointer = placement.sret && contents ? pointerIn({ offset: 0, size: 8, loc: placement.sret.loc }, contents) : null;
  const { name: _n, value: _v, ...ret } = live(placement.ret, 'return', false);
  return {
    function: fn.name,
    prototype: fn.prototype ?? '',
    target: placement.target,
    source,
    note,
    ...(contents?.cfa !== undefined && { cfa: hex(contents.cfa) }),
    ...(contents?.returnAddress !== undefined && { returnAddress: hex(contents.returnAddress) }),
    params: placement.params.map((p) => live(p, p.name, true)),
    ret,
    sret: placement.sret ? { loc: placement.sret.loc, returnedIn: placement.sret.returnedIn, ...(sretPointer !== null && { pointer: hex(sretPointer) }) } : null,
    stackBytes: placement.stackBytes,
    layouts: recordsIn([...placement.params.map((p) => p.type), placement.ret.type]).map(formatRecordLayout),
  };
}

/** The ABI picture of a C frame of the current stop, or null for frames we cannot place. */
export async function frameAbi(native: NativeEnginePort, snapshots: EntrySnapshots, frame: Extract<StackItem, { kind: 'c' }>): Promise<FrameAbi | null> {
  const placed = await snapshots.placements.place(frame.name, frame.path);
  if (!placed) return null;
  if (frame.level === undefined || !HOST_MACHINE) return describeFrame(placed, null, 'none', 'Values are read when this frame is the one stopped in C.');
  const thread = native.mainThreadId;
  const entry = await entryAddress(native, thread, frame.level, frame.name);
  if (entry !== undefined && BigInt(frame.pc) === entry) {
    const snapshot = await readEntry(native, thread, frame.level, frame.name, placed);
    if (snapshot) return describeFrame(placed, snapshot, 'entry', 'Stopped on the first instruction: the registers are the arguments.');
  }
  const snapshot = await snapshotOf(native, snapshots, thread, frame);
  if (snapshot) return describeFrame(placed, snapshot, 'snapshot', 'As they were at the call (captured at the function\'s first instruction).');
  return describeFrame(placed, null, 'none', 'The values at the call were not captured: set a breakpoint in this function before it is called.');
}

async function entryAddress(native: NativeEnginePort, thread: number, level: number, func: string): Promise<bigint | undefined> {
  try {
    const value = await native.evaluate(thread, level, `(unsigned long)&${func}`);
    return /^\d+$/.test(value.value) ? BigInt(value.value) : undefined;
  } catch {
    return undefined;
  }
}

/** The call's snapshot: its CFA is the stack pointer of the caller's frame. */
async function snapshotOf(native: NativeEnginePort, snapshots: EntrySnapshots, thread: number, frame: Extract<StackItem, { kind: 'c' }>): Promise<EntrySnapshot | undefined> {
  if (!HOST_MACHINE || frame.level === undefined) return undefined;
  const caller = await native.registerValues(thread, frame.level + 1, [HOST_MACHINE.stackPointer]);
  const cfa = caller.get(HOST_MACHINE.stackPointer);
  return cfa === undefined ? undefined : await snapshots.find(frame.name, cfa);
}
