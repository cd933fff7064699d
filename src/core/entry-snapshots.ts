// Arguments where the ABI put them, captured at the entry of C functions: by the time a breakpoint
// after the prologue stops, the argument registers have been reused (gcc -O0 shuffles them while
// spilling). For every function that holds a user breakpoint, an internal breakpoint on its first
// instruction records the argument registers, the incoming stack area and the bytes behind
// by-reference arguments, then the program goes on as if it had never stopped. A later stop in that
// call finds its snapshot by the call's canonical frame address (the stack pointer before the call).

import type { TargetId } from '../abi/model';
import { pointerIn, type MachineContents } from './abi-values';
import type { NativeBreakpointLocation, NativeEnginePort, NativeStop } from './engine-ports';
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
/** Snapshots kept: recursion and loops make many; only the live calls matter. */
const MAX_SNAPSHOTS = 512;

export class EntrySnapshots {
  readonly placements = new FunctionPlacements();
  private readonly breakpoints = new Map<number, { func: string; path?: string }>();
  private readonly watched = new Set<string>();
  /** Functions of libraries not loaded yet, placed at the next library load. */
  private readonly wanted = new Map<string, string | undefined>();
  private readonly snapshots = new Map<string, EntrySnapshot>();

  constructor(private readonly native: () => NativeEnginePort | null) {}

  owns(breakpointNumber: number): boolean {
    return this.breakpoints.has(breakpointNumber);
  }

  /** Starts capturing the arguments of every call of `func` (defined in `path`). */
  async watch(func: string, path?: string): Promise<void> {
    const native = this.native();
    if (!native || !HOST_MACHINE || this.watched.has(func)) return;
    this.watched.add(func);
    try {
      const bp = await native.insertBreakpoint({ address: func }, {});
      this.breakpoints.set(bp.number, { func, path: path ?? bp.path });
    } catch {
      this.watched.delete(func); // not loaded yet: tried again when a breakpoint in it resolves
    }
  }

  /** For a breakpoint gdb holds pending: the function it is in, watched once its library loads. */
  async wantFor(location: NativeBreakpointLocation): Promise<void> {
    if (!HOST_MACHINE) return;
    if ('function' in location) this.wanted.set(location.function, undefined);
    else if ('path' in location) {
      const func = await this.placements.functionAtLine(location.path, location.line);
      if (func) this.wanted.set(func, location.path);
    }
  }

  /** Called at each library load: watches the wanted functions that now exist. */
  async placeWanted(): Promise<void> {
    for (const [func, path] of this.wanted) {
      if (this.watched.has(func)) {
        this.wanted.delete(func);
        continue;
      }
      await this.watch(func, path);
      if (this.watched.has(func)) this.wanted.delete(func);
    }
  }

  async capture(stop: NativeStop): Promise<void> {
    const native = this.native();
    const watched = stop.breakpointNumber === undefined ? undefined : this.breakpoints.get(stop.breakpointNumber);
    if (!native || !watched || !HOST_MACHINE) return;
    const snapshot = await readEntry(native, stop.threadId, 0, watched.func, await this.placements.place(watched.func, watched.path ?? stop.location?.path));
    if (!snapshot) return;
    this.snapshots.delete(key(snapshot.func, snapshot.cfa));
    this.snapshots.set(key(snapshot.func, snapshot.cfa), snapshot);
    if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
  }

  find(func: string, cfa: bigint): EntrySnapshot | undefined {
    return this.snapshots.get(key(func, cfa));
  }
}

const key = (func: string, cfa: bigint): string => `${func}@${cfa.toString(16)}`;

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
