// gdb attached to a running process (non-stop): attach, find its main thread, let it run, detach
// leaving it running; and start Python code in its interpreter with hand-made calls (hand-call.ts)
// — the way attach-capable Python debuggers inject their agent, without gdb's `call`.

import { ErrorCode, userError, withTimeout } from '../common/errors';
import type { GdbEngine } from './gdb-engine';
import { addressOf, handCall, saveRegisters } from './hand-call';
import { PTRACE_HINT } from './launch-errors';
import { MiCommandError } from './mi-connection';
import { list, str, tuple } from './mi-parser';

const PYTHON_START_TIMEOUT_MS = 10_000;

/** Attaches to `pid`; its threads are stopped until continueAll(). */
export async function attachTo(gdb: GdbEngine, pid: number): Promise<void> {
  try {
    await gdb.mi.command('-target-attach', String(pid));
  } catch (error) {
    const message = error instanceof MiCommandError ? error.gdbMessage : (error as Error).message;
    if (/not permitted|ptrace/i.test(message)) {
      throw userError(ErrorCode.PtraceNotPermitted, `gdb may not attach to process ${pid} (${message}). ${PTRACE_HINT}`, error);
    }
    throw userError(ErrorCode.ProgramNotFound, `gdb could not attach to process ${pid}: ${message}`, error);
  }
  // gdb stops the threads one by one (non-stop); a continue sent before the last has stopped
  // would leave that one stopped (node's inspector thread, say).
  let info = await gdb.mi.command('-thread-info');
  for (let tries = 0; tries < 250 && list(info.threads).some((item) => str(tuple(item)?.state) !== 'stopped'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    info = await gdb.mi.command('-thread-info');
  }
  // The main thread is the one whose LWP is the process id.
  for (const item of list(info.threads)) {
    const thread = tuple(item) ?? {};
    const lwp = /LWP (\d+)|process (\d+)/.exec(str(thread['target-id']) ?? '');
    if (lwp && Number(lwp[1] ?? lwp[2]) === pid) gdb.mainThreadId = Number(str(thread.id));
  }
}

export async function continueAll(gdb: GdbEngine): Promise<void> {
  await gdb.mi.command('-exec-continue', '--all');
}

/** Detaches: gdb removes its breakpoints and the process runs on as before. */
export async function detachFrom(gdb: GdbEngine): Promise<void> {
  await gdb.mi.command('-target-detach');
}

/**
 * Runs `code` in the process's CPython, in its main thread, at its next Python function call:
 * stopped at the entry of `_PyEval_EvalFrameDefault` (integer arguments only, the GIL held, no
 * lock of malloc's or of the pending-call queue's taken), a hand-made `malloc` holds the code and
 * `Py_AddPendingCall(PyRun_SimpleString, code)` queues it; the interpreter runs it at its next
 * safe point. The memory (a few hundred bytes) stays allocated.
 */
export async function runPythonInProcess(gdb: GdbEngine, code: string): Promise<void> {
  const mi = gdb.mi;
  const thread = gdb.mainThreadId;
  let placed;
  try {
    placed = await mi.command('-break-insert', '-t', '-p', String(thread), '*_PyEval_EvalFrameDefault');
  } catch {
    throw userError(ErrorCode.Unsupported, 'This process runs no CPython interpreter gdb can see (no _PyEval_EvalFrameDefault symbol): its Python cannot be debugged after attaching. Launch it under Polyglot Debug instead.');
  }
  const number = Number(str(tuple(placed.bkpt)?.number));
  const atEntry = gdb.nextStop(thread, (stop) => stop.breakpointNumber === number);
  try {
    await withTimeout(atEntry, PYTHON_START_TIMEOUT_MS, 'The process’s Python', 'Its main thread called no Python function (is it blocked in C, or idle without Python code running?), so the Python agent could not start. Attach while it runs Python code, or launch it under Polyglot Debug.');
  } finally {
    await mi.command('-break-delete', String(number)).catch(() => undefined);
  }
  const saved = await saveRegisters(mi, thread);
  try {
    const host = { mi, nextStop: (threadId: number) => gdb.nextStop(threadId, (s) => s.reason !== 'solib-event') };
    const bytes = Buffer.from(code + '\0', 'utf8');
    const malloc = await addressOf(mi, thread, 'malloc');
    const memory = await handCall(host, thread, malloc, [BigInt(bytes.length)]);
    if (memory === 0n) throw userError(ErrorCode.Internal, 'malloc in the process returned NULL.');
    await mi.command('-data-write-memory-bytes', `0x${memory.toString(16)}`, bytes.toString('hex'));
    const addPendingCall = await addressOf(mi, thread, 'Py_AddPendingCall');
    // The exported function (not the header's macro over PyRun_SimpleStringFlags): one argument,
    // as a pending call gets.
    const runString = await addressOf(mi, thread, 'PyRun_SimpleString');
    const queued = BigInt.asIntN(32, await handCall(host, thread, addPendingCall, [runString, memory]));
    if (queued !== 0n) throw userError(ErrorCode.Internal, `Py_AddPendingCall refused the agent's start (${queued}).`);
  } finally {
    await saved.restore();
    await gdb.forgetStopState();
    await mi.command('-exec-continue', '--thread', String(thread));
  }
}
