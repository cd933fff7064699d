// Calling a function in the debuggee without gdb's `call`. gdb 13 cannot make inferior calls on
// CPUs with AMX state (it fails to write the extended register state back: "Couldn't write
// extended state status", and the interrupted system call then leaks ERESTART errors into the
// program). A call by hand touches only what PTRACE_SETREGS writes: the general registers.
//
// The caller must stop the thread where no vector register holds a live value and no lock the
// callee needs is held — at the entry of a function whose arguments are all integers — and never
// inside a system call (a changed pc cancels the kernel's restart of it).
//
// A call: the registers are saved; below the red zone a return address is pushed that points at
// the program's entry point (code that never runs again), with a one-shot breakpoint there; the
// arguments go to rdi, rsi, …; the thread runs alone (non-stop) until it returns there; rax is
// read; the registers are restored.

import { ErrorCode, userError } from '../common/errors';
import type { MiConnection } from './mi-connection';
import { str } from './mi-parser';

const SAVED = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'];
// Not eflags: at a function's entry, where calls are made, the flags hold nothing (and DF is clear).
const ARGUMENT_REGISTERS = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'];
const RED_ZONE = 128n;
const CALL_TIMEOUT_MS = 10_000;

export interface HandCallHost {
  mi: MiConnection;
  /** Resolves with the next stop of `threadId` (its breakpoint number, if any). */
  nextStop(threadId: number): Promise<{ reason: string; breakpointNumber?: number; signalName?: string }>;
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

async function entryPoint(mi: MiConnection): Promise<bigint> {
  const text = await mi.consoleCommand('info files');
  const match = /Entry point: (0x[0-9a-f]+)/i.exec(text);
  if (!match) throw userError(ErrorCode.Internal, 'gdb does not say where the program starts (info files).');
  return BigInt(match[1]!);
}

const hex = (value: bigint) => `0x${value.toString(16)}`;

function littleEndian(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return bytes.toString('hex');
}

/** Saves the thread's general registers; `restore` puts them back. */
export async function saveRegisters(mi: MiConnection, threadId: number): Promise<{ restore: () => Promise<void> }> {
  const saved = new Map<string, bigint>();
  for (const name of SAVED) saved.set(name, await evaluate(mi, `(long)$${name}`, threadId));
  return {
    restore: async () => {
      for (const [name, value] of saved) {
        if (name === 'rip') continue;
        await mi.consoleCommand(`set var $${name} = ${hex(value)}`, { thread: threadId, frame: 0 });
      }
      // Last: writing the pc makes gdb forget the frame it had selected.
      await mi.consoleCommand(`set var $rip = ${hex(saved.get('rip')!)}`, { thread: threadId, frame: 0 });
    },
  };
}

/** Calls `func(args…)` on the stopped `threadId`; returns rax. The registers are left as the callee left them. */
export async function handCall(host: HandCallHost, threadId: number, func: bigint, args: bigint[]): Promise<bigint> {
  const mi = host.mi;
  if (args.length > ARGUMENT_REGISTERS.length) throw userError(ErrorCode.Internal, 'A hand-made call takes at most six integer arguments.');
  const returnTo = await entryPoint(mi);
  const sp = await evaluate(mi, '(long)$rsp', threadId);
  // At a function's entry rsp + 8 is 16-byte aligned: the return address sits at an 8 mod 16 slot.
  const newSp = ((sp - RED_ZONE - 64n) & ~0xfn) - 8n;
  await mi.command('-data-write-memory-bytes', hex(newSp), littleEndian(returnTo));
  const placed = await mi.command('-break-insert', '-t', '-p', String(threadId), `*${hex(returnTo)}`);
  const number = Number(str((placed.bkpt as Record<string, unknown> | undefined)?.number as never) ?? NaN);
  const where = { thread: threadId, frame: 0 };
  await mi.consoleCommand(`set var $rsp = ${hex(newSp)}`, where);
  for (const [index, value] of args.entries()) await mi.consoleCommand(`set var $${ARGUMENT_REGISTERS[index]} = ${hex(value)}`, where);
  await mi.consoleCommand('set var $rax = 0', where);
  await mi.consoleCommand(`set var $rip = ${hex(func)}`, where);
  const stopped = host.nextStop(threadId);
  await mi.command('-exec-continue', '--thread', String(threadId));
  let timer: NodeJS.Timeout | undefined;
  const stop = await Promise.race([
    stopped,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(userError(ErrorCode.EngineTimeout, `A call into the program (at ${hex(func)}) did not return within ${CALL_TIMEOUT_MS / 1000} s.`)), CALL_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  if (stop.breakpointNumber !== number) {
    await mi.command('-break-delete', String(number)).catch(() => undefined);
    throw userError(ErrorCode.EngineExited, `A call into the program (at ${hex(func)}) stopped on its way (${stop.signalName ?? stop.reason}).`);
  }
  return evaluate(mi, '(long)$rax', threadId);
}
