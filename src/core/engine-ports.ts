// What the core needs from each engine, as small interfaces: the orchestration below is written
// against these, and src/core/engine-adapters.ts fits the real gdb and CDP engines to them.

import type { EventEmitter } from 'node:events';

// ── native (gdb) ──────────────────────────────────────────────────────────────────────────────

export interface NativeLocation {
  func?: string;
  /** Absolute path of the source, when gdb knows it. */
  path?: string;
  line?: number;
  addr?: string;
}

export interface NativeStop {
  threadId: number;
  /** gdb's reason: breakpoint-hit, end-stepping-range, function-finished, signal-received, … */
  reason: string;
  location?: NativeLocation;
  breakpointNumber?: number;
  signalName?: string;
  signalMeaning?: string;
}

/** One frame of the physical stack, innermost first. */
export type PhysicalFrame =
  | { kind: 'native'; func?: string; path?: string; line?: number; pc: string; module?: string; level?: number }
  | { kind: 'js'; pc: string; name?: string; url?: string; line?: number; column?: number }
  | { kind: 'v8-internal'; pc: string }
  /** koffi's SwitchAndRelay: the frames below ran JavaScript that called into C. */
  | { kind: 'koffi-switch'; pc: string }
  /** koffi's TrampolineN: the frames above are a JavaScript callback that C called. */
  | { kind: 'koffi-trampoline'; pc: string }
  /** A Python frame, put in place of the interpreter's C frame that runs it (see python-stitch.ts). */
  | { kind: 'python'; pc: string; name: string; path: string; line: number; agentFrameId?: number }
  /** Frames that could not be read, and why; shown as a label in their place. */
  | { kind: 'notice'; reason: string }
  /** The walk could go no further, and why; shown as the last row. */
  | { kind: 'walk-stopped'; reason: string };

export interface NativeBreakpoint {
  number: number;
  pending: boolean;
  path?: string;
  line?: number;
  func?: string;
  addr?: string;
}

export type NativeBreakpointLocation = { path: string; line: number } | { function: string } | { address: string };

export interface NativeVariable {
  name: string;
  value: string;
  type?: string;
  /** An opaque handle for expandable values (an MI var object). */
  childrenHandle?: string;
}

export interface NativeInstruction {
  address: bigint;
  bytes?: string;
  text: string;
  symbol?: string;
  path?: string;
  line?: number;
}

/** What an entry snapshot reads on a function's first instruction. */
export interface NativeEntryCapture {
  registers: readonly string[];
  stackPointer: string;
  /** Canonical frame address minus the stack pointer at the first instruction. */
  entryCfaOffset: number;
  /** Where the return address is when it is not on the stack (AArch64: x30). */
  linkRegister?: string;
  /** Bytes of the incoming stack argument area, read from the CFA on. */
  stackBytes: number;
  /** By-reference arguments: where the pointer is (a register or `stack+N`) and how much it points at. */
  pointees: readonly { loc: string; size: number }[];
}

export interface NativeEntryRecord {
  func: string;
  cfa: bigint;
  returnAddress?: bigint;
  registers: ReadonlyMap<string, bigint>;
  stack: Uint8Array;
  pointees: ReadonlyMap<bigint, Uint8Array>;
}

export interface NativeEnginePort extends EventEmitter {
  readonly mainThreadId: number;
  launch(options: { program: string; args: string[]; cwd: string; env: Record<string, string | null>; tty?: string }): Promise<{ pid: number }>;
  /** launch() in two halves: load the program (breakpoints can be set), then start it. */
  prepare(options: { program: string; args: string[]; cwd: string; env: Record<string, string | null>; tty?: string }): Promise<void>;
  run(): Promise<{ pid: number }>;
  /** Attaches to a running process; its threads stay stopped until continueAll(). */
  attach(pid: number): Promise<void>;
  continueAll(): Promise<void>;
  /** Leaves the attached process running as it was. */
  detach(): Promise<void>;
  /** Runs Python source in the process's interpreter, at its main thread's next Python call. */
  runPython(code: string): Promise<void>;
  writeInput?(text: string): void;
  insertBreakpoint(location: NativeBreakpointLocation, options: { condition?: string; temporary?: boolean }): Promise<NativeBreakpoint>;
  deleteBreakpoint(number: number): Promise<void>;
  /**
   * Records the arguments of every call of `func` on its first instruction without ever stopping
   * (see entry-snapshots.ts); again for the same function, only what is read changes. Resolves
   * with the function's source file; rejects while its code is not loaded.
   */
  watchEntry(func: string, capture: NativeEntryCapture): Promise<string | undefined>;
  /** The recorded entry of the call of `func` with this canonical frame address, if any. */
  entryRecord(func: string, cfa: bigint): Promise<NativeEntryRecord | null>;
  continue(threadId: number): Promise<void>;
  next(threadId: number): Promise<void>;
  step(threadId: number): Promise<void>;
  finish(threadId: number): Promise<void>;
  nextInstruction(threadId: number): Promise<void>;
  stepInstruction(threadId: number): Promise<void>;
  /** Whether a function's code has debug info, and its shared library (absent: the executable). */
  functionSymbol(name: string): Promise<{ debugInfo: boolean; library?: string } | undefined>;
  /** Whether the innermost frame's caller has line information (undefined: gdb could not tell). */
  callerHasLines(threadId: number): Promise<boolean | undefined>;
  /** The innermost frame's stack pointer: lower in a function the stopped one called. */
  stackPointer(threadId: number): Promise<bigint | undefined>;
  interrupt(threadId: number): Promise<NativeStop>;
  physicalStack(threadId: number, options: { jsNames: boolean }): Promise<PhysicalFrame[]>;
  variables(threadId: number, level: number): Promise<NativeVariable[]>;
  children(handle: string): Promise<NativeVariable[]>;
  registers(threadId: number, level: number): Promise<NativeVariable[]>;
  /** Whole register contents as unsigned integers (vector registers 128-bit); unavailable ones left out. */
  registerValues(threadId: number, level: number, names: readonly string[]): Promise<Map<string, bigint>>;
  /** The bytes from `address` on, up to `count`; fewer when the rest is not readable. */
  readMemory(address: bigint, count: number): Promise<{ address: bigint; data: Uint8Array }>;
  writeMemory(address: bigint, data: Uint8Array): Promise<void>;
  disassemble(address: bigint, offset: number, count: number): Promise<(NativeInstruction | { address: bigint; unreadable: true })[]>;
  evaluate(threadId: number, level: number, expression: string): Promise<NativeVariable>;
  setVariable(threadId: number, level: number, name: string, value: string, parentHandle?: string): Promise<NativeVariable>;
  /** Frees per-stop state (var objects) before the thread runs again. */
  forgetStopState(): Promise<void>;
  /**
   * The stopped thread, in C that JS called, makes V8 pause with the JS frames below it as its
   * stack and returns once V8 let it go (the JS engine answers that pause); `done: false` with
   * the reason when it could not.
   */
  breakIntoV8(threadId: number): Promise<{ done: true } | { done: false; why: string }>;
  dispose(): Promise<void>;
}
// Events: 'stopped' (NativeStop), 'exited' ({ exitCode?: number; signal?: string }), 'output' (string),
// 'breakpoint-resolved' (NativeBreakpoint), 'fatal' (Error).

// ── JavaScript (V8 inspector) ─────────────────────────────────────────────────────────────────

export interface JsScope {
  name: string;
  objectId: string;
  expensive: boolean;
}

export interface JsCallFrame {
  callFrameId: string;
  functionName: string;
  url: string;
  /** 1-based. */
  line: number;
  column: number;
  scopes: JsScope[];
}

export interface JsPause {
  reason: string;
  hitBreakpoints: string[];
  callFrames: JsCallFrame[];
  /** For exception pauses: the description of the thrown value. */
  exceptionText?: string;
  /** For exception pauses: whether V8 found no handler (a native caller's handler counts as one). */
  uncaught?: boolean;
}

export interface JsVariable {
  name: string;
  value: string;
  type?: string;
  objectId?: string;
}

export interface JsEnginePort extends EventEmitter {
  runIfWaitingForDebugger(): Promise<void>;
  setBreakpoint(options: { url: string; line: number; column?: number; condition?: string }): Promise<{ id: string; locations: { line: number; column: number }[] }>;
  removeBreakpoint(id: string): Promise<void>;
  resume(): Promise<void>;
  stepOver(): Promise<void>;
  stepInto(): Promise<void>;
  stepOut(): Promise<void>;
  pause(): Promise<void>;
  /** Whether V8 holds a step that its next statement in the stepped frames ends (sent, not yet paused). */
  readonly stepArmed: boolean;
  /**
   * The next pause is V8 answering breakIntoV8: a step over is armed in its top frame (the JS code
   * that called C) and the pause is not reported. Resolves true when it happened; `cancel` drops
   * the wait when it did not (V8 ignored the break).
   */
  armStepAtNextPause(): { paused: Promise<boolean>; cancel(): void };
  /**
   * Resolves once every request sent so far is in V8's hands: V8 acts on it at the main thread's
   * next function entry or loop. While C or Python holds the thread no answer comes; a request
   * sent then must be taken in before the thread is let go.
   */
  takenIn(): Promise<void>;
  setPauseOnExceptions(state: 'none' | 'uncaught' | 'all'): Promise<void>;
  setBlackboxPatterns(patterns: string[]): Promise<void>;
  scriptSource(url: string): Promise<string | undefined>;
  properties(objectId: string): Promise<JsVariable[]>;
  evaluate(expression: string, callFrameId?: string): Promise<JsVariable>;
  setVariable(scopeNumber: number, name: string, valueExpression: string, callFrameId: string): Promise<JsVariable>;
  close(): Promise<void>;
}
// Events: 'paused' (JsPause), 'resumed', 'closed', 'logpoint' ({ text }), 'context-destroyed'.

/** Where compiled JS maps to its TypeScript and back. */
export interface SourceMapPort {
  toOriginal(url: string, line: number, column: number): { path: string; line: number; column: number } | undefined;
  toGenerated(path: string, line: number): { path: string; line: number; column: number }[];
}

// ── Python (the in-process agent) ─────────────────────────────────────────────────────────────

export interface PythonFramePort {
  id: number;
  name: string;
  path: string;
  line: number;
  entry: boolean | null;
  /** The top frame only: whether its line can return or yield, so a step may leave the frame. */
  mayLeave?: boolean;
  /** The frame object's identity while it lives. */
  key?: number;
}

export interface PythonValue {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
}

/** raised: every raise in user code; uncaught: leaving Python for C; userUncaught: leaving user code for a library. */
export type PythonExceptionMode = 'raised' | 'uncaught' | 'userUncaught';

/** The interpreter's frame layout as the agent found it: whether it can tell which frames C entered. */
export interface PythonLayout {
  version: string;
  recognised: boolean;
  /** How the agent hears of lines: sys.monitoring (3.12+) or settrace. */
  events: string;
}

export interface PythonEnginePort extends EventEmitter {
  readonly connected: boolean;
  environment(existingPythonPath: string | undefined): Record<string, string>;
  setBreakpoints(path: string, breakpoints: { id: number; line: number; condition?: string }[]): void;
  setExceptionModes(modes: readonly PythonExceptionMode[]): void;
  /** Writes a file into the engine's private directory (removed at close); returns its path. */
  writeScript(name: string, text: string): string;
  /** The first interpreter that connects stops (reason `entry`) on the first line it runs of `path`. */
  stopOnEntry(path: string): void;
  stackTrace(): Promise<{ frames: PythonFramePort[]; agentEntries: number; layout?: PythonLayout }>;
  scopes(frameId: number): Promise<{ name: string; variablesReference: number; presentationHint?: string; expensive?: boolean }[]>;
  variables(variablesReference: number): Promise<PythonValue[]>;
  evaluate(expression: string, frameId: number): Promise<PythonValue>;
  setVariable(frameId: number, name: string, value: string): Promise<PythonValue>;
  resume(kind: 'continue' | 'next' | 'stepIn' | 'stepOut'): Promise<void>;
  /** Stop at the next Python line run (a step from C into Python); sent, not awaited. */
  queueStepIn(): void;
  framesFromOutside(timeoutMs?: number): Promise<{ frames: PythonFramePort[]; variables: PythonValue[][]; layout?: PythonLayout } | null>;
  /** Stop at the next Python line even in frames already running (a step out of C back into Python). */
  stepInNext(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}
// Events: 'stopped' ({ reason, breakpointId?, text? }), 'connected' ({ pid, version }), 'disconnected'.
