// Makes V8 pause while the main thread is stopped in C that JavaScript called, so that the
// inspector can arm a step in the JS caller before the C code returns to it.
//
// Why: a step that leaves C for JS needs V8 to stop at the caller's next statement. Without a V8
// step armed (the stop came from a C breakpoint, not from a JS step into C), a CDP Debugger.pause
// is only taken at V8's next interrupt check — a function entry or a loop's back edge — so the
// caller's code after the call has run by then. V8's own `v8::debug::BreakRightNow`, called on the
// thread, pauses right there with the JS frames below as the stack; the inspector's nested message
// loop then takes a Debugger.stepOver (armed in the JS caller) and lets the call return.
//
// The call is made by hand (hand-call.ts: gdb's own inferior calls fail on some CPUs) through a
// stub mapped into the program once, which keeps the vector and x87 state with XSAVE: a stop in
// the middle of C code may hold live values in any of them. Its stack is put below the JS frames'
// stack: koffi runs C on a stack of its own, where V8's stack-limit check refuses to break.

import { ErrorCode, userError } from '../common/errors';
import { handCall, saveRegisters, type HandCallHost } from './hand-call';
import type { MiConnection } from './mi-connection';

/**
 * stub(fn, a, b, first) calls fn(a, b) with the extended register state saved around it (x86-64);
 * with `first`, a = first() (V8's isolate: one call into the program instead of two); no call of
 * fn when a is null. Returns a.
 *
 *   cld; push rbp; mov rbp, rsp; push rbx; push r12; push r13; push r14; push r15
 *   mov r12, rdi; mov r13, rsi; mov r14, rdx; mov r15, rcx
 *   mov eax, 0xd; xor ecx, ecx; cpuid; mov ebx, ebx  ; rbx = XSAVE area size for the enabled features
 *   sub rsp, rbx; and rsp, -64
 *   lea rdi, [rsp+512]; mov ecx, 8; xor eax, eax; rep stosq   ; XRSTOR wants a zeroed header
 *   mov eax, -1; mov edx, -1; xsave64 [rsp]
 *   test r15, r15; jz 1f; call r15; mov r13, rax
 *   1: test r13, r13; jz 2f; mov rdi, r13; mov rsi, r14; call r12
 *   2: mov eax, -1; mov edx, -1; xrstor64 [rsp]; mov rax, r13
 *   lea rsp, [rbp-40]; pop r15; pop r14; pop r13; pop r12; pop rbx; pop rbp; ret
 */
export const XSAVE_CALL_STUB = Buffer.from(
  'fc554889e55341544155415641574989fc4989f54989d64989cfb80d00000031c90fa289db4829dc4883e4c0488dbc24' +
    '00020000b90800000031c0f348abb8ffffffffbaffffffff480fae24244d85ff740641ffd74989c54d85ed74094c89ef' +
    '4c89f641ffd4b8ffffffffbaffffffff480fae2c244c89e8488d65d8415f415e415d415c5b5dc3',
  'hex',
);

/** Room left between the JS frames' stack and the call: koffi's switch keeps a frame or two there. */
const BELOW_JS_STACK = 8192n;
const PROT_READ_EXEC = 5n;
const MAP_PRIVATE_ANONYMOUS = 0x22n;
/** V8 waits in its pause until the inspector's step is armed: a round trip to the adapter. */
const BREAK_TIMEOUT_MS = 10_000;

interface Prepared {
  breakRightNow: bigint;
  isolateGetCurrent: bigint;
  stub: bigint;
}

const prepared = new WeakMap<MiConnection, Prepared>();

export type V8BreakOutcome = { done: true } | { done: false; why: string };

/**
 * Calls V8's BreakRightNow on the stopped `threadId`; resolves once the call returned (V8 paused,
 * or ignored the request) with the thread's registers as they were. `done: false` when it could
 * not be made, with the reason; nothing in the program changed then.
 */
export async function breakIntoV8(host: HandCallHost, threadId: number): Promise<V8BreakOutcome> {
  const mi = host.mi;
  const stackTop = await jsStackTop(mi, threadId);
  if (stackTop === undefined) return { done: false, why: 'no JavaScript stack below this C code on its thread' };
  const saved = await saveRegisters(mi, threadId);
  try {
    const ready = await prepare(host, threadId, saved.pc);
    if ('why' in ready) return { done: false, why: ready.why };
    // BreakRightNow(Isolate::GetCurrent(), no reasons).
    const isolate = await handCall(host, threadId, ready.stub, [ready.breakRightNow, 0n, 0n, ready.isolateGetCurrent], { stackTop, timeoutMs: BREAK_TIMEOUT_MS, returnTo: saved.pc });
    return isolate === 0n ? { done: false, why: 'V8 has no isolate on this thread' } : { done: true };
  } finally {
    await saved.restore();
  }
}

/** Where the call's stack may start: below the innermost frame on the thread's own stack. */
async function jsStackTop(mi: MiConnection, threadId: number): Promise<bigint | undefined> {
  const text = await mi.consoleCommand('polyglot-thread-stack-sp', { thread: threadId, frame: 0 });
  const sp = /^0x[0-9a-f]+$/i.exec(text.trim())?.[0];
  return sp === undefined ? undefined : BigInt(sp) - BELOW_JS_STACK;
}

/** The functions the call needs, by polyglot_v8_break.py: from the files' own export tables, gdb's search only for what they lack. */
async function breakSymbols(mi: MiConnection, threadId: number): Promise<Partial<Record<'breakRightNow' | 'isolateGetCurrent' | 'mmap', bigint>>> {
  const text = await mi.consoleCommand('polyglot-v8-break-symbols', { thread: threadId, frame: 0 });
  const found = JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as Record<string, string | null>;
  const address = (key: string) => (typeof found[key] === 'string' && /^0x[0-9a-f]+$/i.test(found[key]) ? BigInt(found[key]) : undefined);
  return { breakRightNow: address('breakRightNow'), isolateGetCurrent: address('isolateGetCurrent'), mmap: address('mmap') };
}

/** The functions and the stub page, found once per session; the call made here returns to `pc`, where the thread stopped. */
async function prepare(host: HandCallHost, threadId: number, pc: bigint): Promise<Prepared | { why: string }> {
  const known = prepared.get(host.mi);
  if (known) return known;
  const mi = host.mi;
  const { breakRightNow, isolateGetCurrent, mmap } = await breakSymbols(mi, threadId);
  if (breakRightNow === undefined || isolateGetCurrent === undefined) return { why: 'this node has no symbols for V8’s debugger entry points (a stripped build)' };
  if (mmap === undefined) return { why: 'gdb finds no mmap in the program (no C library it knows)' };
  // One page for the stub, kept for the session (the program never uses it).
  const page = await handCall(host, threadId, mmap, [0n, 4096n, PROT_READ_EXEC, MAP_PRIVATE_ANONYMOUS, BigInt.asUintN(64, -1n), 0n], { returnTo: pc });
  if (page === 0n || page >= BigInt.asUintN(64, -4096n)) throw userError(ErrorCode.Internal, `mmap in the program failed (${BigInt.asIntN(64, page)}).`);
  // gdb writes through ptrace, which a read-only mapping does not stop.
  await mi.command('-data-write-memory-bytes', `0x${page.toString(16)}`, XSAVE_CALL_STUB.toString('hex'));
  const ready = { breakRightNow, isolateGetCurrent, stub: page };
  prepared.set(mi, ready);
  return ready;
}
