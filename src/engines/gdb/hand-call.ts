// Calling a function in the debuggee without gdb's `call`. gdb 13 cannot make inferior calls on
// CPUs with AMX state (it fails to write the extended register state back: "Couldn't write
// extended state status", and the interrupted system call then leaks ERESTART errors into the
// program). A call by hand touches only what PTRACE_SETREGS writes: the general registers.
//
// The caller must stop the thread where no vector register holds a live value and no lock the
// callee needs is held — at the entry of a function whose arguments are all integers — and never
// inside a system call (a changed pc cancels the kernel's restart of it).
//
// A call: the registers are saved; below the red zone (or below a given stack top) a return
// address is pushed that points at the program's entry point (code that never runs again), with a
// one-shot breakpoint there; the arguments go to rdi, rsi, …; the thread runs alone (non-stop)
// until it returns there; rax is read; the registers are restored. Calls that must keep the vector
// registers too go through a stub that saves them in the program itself (v8-break.ts).

import { ErrorCode, userError } from '../common/errors';
import type { MiConnection } from './mi-connection';
import { list, str, tuple } from './mi-parser';

// With eflags: a stop in the middle of a function may sit between a compare and its jump.
const SAVED = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'eflags', 'rip'];
const ARGUMENT_REGISTERS = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'];
const RED_ZONE = 128n;
const CALL_TIMEOUT_MS = 10_000;

export interface HandCallHost {
  mi: MiConnection;
  /** Resolves with the next stop of `threadId` (its breakpoint number, if any). */
  nextStop(threadId: number): Promise<{ reason: string; breakpointNumber?: number; signalName?: string; frame?: { addr?: string } }>;
}

export interface HandCallOptions {
  /** The call's stack starts below this address instead of below the thread's own stack pointer. */
  stackTop?: bigint;
  /** How long the callee may run (default 10 s). */
  timeoutMs?: number;
  /**
   * Where the call returns to (default: the program's entry point). The thread's own pc, for the
   * last call before it goes on: gdb then takes the call's end for a stop there, so a breakpoint
   * of the user's at that pc is stepped over when the thread continues, not hit again at once.
   */
  returnTo?: bigint;
}

async function evaluate(mi: MiConnection, expression: string, threadId: number): Promise<bigint> {
  const result = await mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', '0', expression);
  const text = str(result.value) ?? '';
  const number = /^-?(0x[0-9a-f]+|\d+)/i.exec(text.trim())?.[0];
  if (number === undefined) throw userError(ErrorCode.Internal, `gdb gave no number for ${expression}: ${text}`);
  return BigInt.asUintN(64, BigInt(number));
}

/** The address of a function in the debuggee (with or without debug information). */
export function addressOf(mi: MiConnection, threadId: number, symbol: string): Promise<bigint> {
  return evaluate(mi, `(long)&${symbol}`, threadId);
}

const entryPoints = new WeakMap<MiConnection, bigint>();

async function entryPoint(mi: MiConnection): Promise<bigint> {
  const known = entryPoints.get(mi);
  if (known !== undefined) return known;
  const text = await mi.consoleCommand('info files');
  const match = /Entry point: (0x[0-9a-f]+)/i.exec(text);
  if (!match) throw userError(ErrorCode.Internal, 'gdb does not say where the program starts (info files).');
  const address = BigInt(match[1]!);
  entryPoints.set(mi, address);
  return address;
}

const hex = (value: bigint) => `0x${value.toString(16)}`;

function littleEndian(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return bytes.toString('hex');
}

const registerNumbers = new WeakMap<MiConnection, Map<string, number>>();

async function numbersOf(mi: MiConnection, names: readonly string[]): Promise<string[]> {
  let numbers = registerNumbers.get(mi);
  if (!numbers) {
    const all = list((await mi.command('-data-list-register-names'))['register-names']).map((n) => str(n) ?? '');
    numbers = new Map(all.map((name, number) => [name, number]));
    registerNumbers.set(mi, numbers);
  }
  return names.map((name) => {
    const number = numbers.get(name);
    if (number === undefined) throw userError(ErrorCode.Internal, `gdb has no register ${name} here (not x86-64?).`);
    return String(number);
  });
}

/**
 * Sets registers of the thread's innermost frame in one gdb command (a changed pc makes gdb forget
 * the frame it had selected: rip, if given, goes last).
 */
async function setRegisters(mi: MiConnection, threadId: number, values: readonly (readonly [string, bigint])[]): Promise<void> {
  const ordered = [...values.filter(([name]) => name !== 'rip'), ...values.filter(([name]) => name === 'rip')];
  const statements = ordered.map(([name, value]) => `gdb.execute("set var $${name} = ${hex(BigInt.asUintN(64, value))}")`);
  await mi.consoleCommand(`python ${statements.join('; ')}`, { thread: threadId, frame: 0 });
}

/** Saves the thread's general registers (one gdb command); `restore` puts them back (one more). */
export async function saveRegisters(mi: MiConnection, threadId: number): Promise<{ pc: bigint; restore: () => Promise<void> }> {
  const numbers = await numbersOf(mi, SAVED);
  const result = await mi.command('-data-list-register-values', '--thread', String(threadId), '--frame', '0', 'x', ...numbers);
  const byNumber = new Map(list(result['register-values']).map((item) => [str(tuple(item)?.number), str(tuple(item)?.value)]));
  const saved = SAVED.map((name, index) => {
    const value = byNumber.get(numbers[index]);
    if (value === undefined || !/^0x[0-9a-f]+$/i.test(value)) throw userError(ErrorCode.Internal, `gdb gave no value for register ${name}: ${value}`);
    return [name, BigInt(value)] as const;
  });
  return { pc: saved.find(([name]) => name === 'rip')![1], restore: () => setRegisters(mi, threadId, saved) };
}

/** Calls `func(args…)` on the stopped `threadId`; returns rax. The registers are left as the callee left them. */
export async function handCall(host: HandCallHost, threadId: number, func: bigint, args: bigint[], options: HandCallOptions = {}): Promise<bigint> {
  const mi = host.mi;
  if (args.length > ARGUMENT_REGISTERS.length) throw userError(ErrorCode.Internal, 'A hand-made call takes at most six integer arguments.');
  const returnTo = options.returnTo ?? (await entryPoint(mi));
  const sp = options.stackTop ?? (await evaluate(mi, '(long)$rsp', threadId));
  const timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
  // At a function's entry rsp + 8 is 16-byte aligned: the return address sits at an 8 mod 16 slot.
  const newSp = ((sp - RED_ZONE - 64n) & ~0xfn) - 8n;
  await mi.command('-data-write-memory-bytes', hex(newSp), littleEndian(returnTo));
  const placed = await mi.command('-break-insert', '-t', '-p', String(threadId), `*${hex(returnTo)}`);
  const number = Number(str((placed.bkpt as Record<string, unknown> | undefined)?.number as never) ?? NaN);
  // rax = 0: a variadic callee reads it as the count of vector arguments.
  await setRegisters(mi, threadId, [['rsp', newSp], ...args.map((value, index) => [ARGUMENT_REGISTERS[index]!, value] as const), ['rax', 0n], ['rip', func]]);
  const stopped = host.nextStop(threadId);
  await mi.command('-exec-continue', '--thread', String(threadId));
  let timer: NodeJS.Timeout | undefined;
  const stop = await Promise.race([
    stopped,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(userError(ErrorCode.EngineTimeout, `A call into the program (at ${hex(func)}) did not return within ${timeoutMs / 1000} s.`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  // Another breakpoint of the user's at the same place may be the one gdb names.
  const back = stop.breakpointNumber === number || (stop.reason === 'breakpoint-hit' && stop.frame?.addr !== undefined && BigInt(stop.frame.addr) === returnTo);
  if (!back) {
    await mi.command('-break-delete', String(number)).catch(() => undefined);
    throw userError(ErrorCode.EngineExited, `A call into the program (at ${hex(func)}) stopped on its way (${stop.signalName ?? stop.reason}).`);
  }
  return evaluate(mi, '(long)$rax', threadId);
}
