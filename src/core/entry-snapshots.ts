// Arguments where the ABI put them, captured at the entry of C functions: by the time a breakpoint
// after the prologue stops, the argument registers have been reused (gcc -O0 shuffles them while
// spilling). For every function that holds a user breakpoint, an internal breakpoint on its first
// instruction records the argument registers, the incoming stack area and the bytes behind
// by-reference arguments. It lives in gdb (polyglot_entry.py) and never stops the program: a
// stop reported to us would end the step that ran through the call (a `next` over it would land
// inside the function), and would cost a round trip per call. A later stop in that call finds its
// snapshot by the call's canonical frame address (the stack pointer before the call).

import type { TargetId } from '../abi/model';
import { pointerIn, type MachineContents } from './abi-values';
import type { NativeBreakpointLocation, NativeEntryCapture, NativeEnginePort } from './engine-ports';
import { FunctionPlacements, HOST_TARGET, type PlacedFunction } from './function-abi';

export interface EntrySnapshot extends MachineContents {
  func: string;
  /** Canonical frame address: the stack pointer just before the call instruction. */
  cfa: bigint;
  /** Where the call returns to. */
  returnAddress?: bigint;
  placed: PlacedFunction | null;
}

interface Machine {
  argumentRegisters: readonly string[];
  stackPointer: string;
  /** CFA minus the stack pointer at the first instruction (x86-64: the pushed return address). */
  entryCfaOffset: bigint;
}

const MACHINES: Partial<Record<TargetId, Machine>> = {
  'x86_64-sysv': {
    argumentRegisters: ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9', 'rax', ...Array.from({ length: 8 }, (_, i) => `xmm${i}`)],
    stackPointer: 'rsp',
    entryCfaOffset: 8n,
  },
  'aarch64-aapcs64': {
    argumentRegisters: [...Array.from({ length: 9 }, (_, i) => `x${i}`), ...Array.from({ length: 8 }, (_, i) => `v${i}`), 'x30'],
    stackPointer: 'sp',
    entryCfaOffset: 0n,
  },
};

export const HOST_MACHINE: Machine | undefined = HOST_TARGET ? MACHINES[HOST_TARGET] : undefined;

/** Stack bytes read when the placement is unknown: room for a few stack arguments. */
const DEFAULT_STACK_BYTES = 64;

export class EntrySnapshots {
  readonly placements = new FunctionPlacements();
  /** Watched functions → the source file their placement was computed from (undefined: none yet). */
  private readonly watched = new Map<string, string | undefined>();

  constructor(private readonly native: () => NativeEnginePort | null) {}

  /**
   * Starts capturing the arguments of every call of `func` (defined in `path`), also when its
   * library is not loaded yet: gdb watches it from the library's load on.
   */
  async watch(func: string, path?: string): Promise<void> {
    const native = this.native();
    if (!native || !HOST_MACHINE) return;
    // Again with a file where there was none: the placement (what to read) can now be known.
    if (this.watched.has(func) && (this.watched.get(func) !== undefined || path === undefined)) return;
    this.watched.set(func, path);
    const placed = await this.placements.place(func, path);
    const found = await native.watchEntry(func, captureFor(HOST_MACHINE, placed));
    if (path === undefined && found !== undefined) {
      this.watched.set(func, found);
      const better = await this.placements.place(func, found);
      if (better) await native.watchEntry(func, captureFor(HOST_MACHINE, better));
    }
  }

  /** For a breakpoint gdb holds pending: the function it is in, watched once its library loads. */
  async wantFor(location: NativeBreakpointLocation): Promise<void> {
    if (!HOST_MACHINE) return;
    if ('function' in location) await this.watch(location.function);
    else if ('path' in location) {
      const func = await this.placements.functionAtLine(location.path, location.line);
      if (func) await this.watch(func, location.path);
    }
  }

  /** The snapshot of the call of `func` whose canonical frame address is `cfa`, if one was taken. */
  async find(func: string, cfa: bigint): Promise<EntrySnapshot | undefined> {
    const native = this.native();
    if (!native || !this.watched.has(func)) return undefined;
    const record = await native.entryRecord(func, cfa);
    if (!record) return undefined;
    return { ...record, placed: await this.placements.place(func, this.watched.get(func)) };
  }
}

/** What gdb reads on the first instruction: the argument registers, the stack area, by-reference arguments' bytes. */
function captureFor(machine: Machine, placed: PlacedFunction | null): NativeEntryCapture {
  const pointees = (placed?.placement.params ?? []).flatMap((param) => param.pieces.filter((p) => p.indirect).map((p) => ({ loc: p.loc, size: param.type.size })));
  return {
    registers: [...machine.argumentRegisters, machine.stackPointer],
    stackPointer: machine.stackPointer,
    entryCfaOffset: Number(machine.entryCfaOffset),
    linkRegister: machine.entryCfaOffset > 0n ? undefined : 'x30',
    stackBytes: placed ? placed.placement.stackBytes : DEFAULT_STACK_BYTES,
    pointees,
  };
}

/** Reads a call's arguments from a frame that sits on the function's first instruction. */
export async function readEntry(native: NativeEnginePort, threadId: number, level: number, func: string, placed: PlacedFunction | null): Promise<EntrySnapshot | null> {
  if (!HOST_MACHINE) return null;
  const registers = await native.registerValues(threadId, level, [...HOST_MACHINE.argumentRegisters, HOST_MACHINE.stackPointer]);
  const sp = registers.get(HOST_MACHINE.stackPointer);
  if (sp === undefined) return null;
  const cfa = sp + HOST_MACHINE.entryCfaOffset;
  const stackBytes = placed ? placed.placement.stackBytes : DEFAULT_STACK_BYTES;
  const stack = stackBytes > 0 ? (await native.readMemory(cfa, stackBytes)).data : new Uint8Array();
  const returnAddress = HOST_MACHINE.entryCfaOffset > 0n ? await readPointer(native, sp) : registers.get('x30');
  const contents: EntrySnapshot = { func, cfa, returnAddress, registers, stack, pointees: new Map(), placed };
  // By-reference arguments: the caller's copy may change once the callee runs, so read it now.
  for (const param of placed?.placement.params ?? []) {
    for (const piece of param.pieces.filter((p) => p.indirect)) {
      const pointer = pointerIn(piece, contents);
      if (pointer !== null) (contents.pointees as Map<bigint, Uint8Array>).set(pointer, (await native.readMemory(pointer, param.type.size)).data);
    }
  }
  return contents;
}

async function readPointer(native: NativeEnginePort, address: bigint): Promise<bigint | undefined> {
  const { data } = await native.readMemory(address, 8);
  if (data.length < 8) return undefined;
  return new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
}
