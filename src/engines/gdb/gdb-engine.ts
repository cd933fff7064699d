// The native engine: gdb (MI3, non-stop, async) owning the debuggee. It starts the process without
// a shell, gives it a terminal, holds C breakpoints, steps one thread at a time while the others
// (node's inspector thread among them) keep running, and reads values and the physical stack.

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { ErrorCode, userError, withTimeout } from '../common/errors';
import type {
  BreakpointLocation,
  BreakpointOptions,
  EntryCapture,
  EntryRecord,
  GdbBreakpoint,
  GdbEngineEvents,
  GdbStop,
  LaunchOptions,
  NativeFrame,
} from './engine-types';
import { attachTo, continueAll, detachFrom, runPythonInProcess } from './attach';
import { launchError, PTRACE_HINT } from './launch-errors';
import { Machine, type Instruction, type MemoryRead } from './machine';
import { MiConnection, type MiCommandError } from './mi-connection';
import { list, num, str, tuple, type MiRecord, type MiTuple } from './mi-parser';
import { breakInsertArgs, toBreakpoint, toExit, toStop } from './mi-records';
import { watchProcess } from './process-watch';
import { gdbPythonDir } from './python-helpers';
import { Registers } from './registers';
import { readUnifiedStack } from './unified-stack';
import { breakIntoV8, type V8BreakOutcome } from './v8-break';
import { VarObjects, type GdbVariable } from './var-objects';

export type * from './engine-types';
export type { Instruction, MemoryRead };
export { PTRACE_HINT };

const MIN_GDB_MAJOR = 12;

/** polyglot_entry.py's JSON: 64- and 128-bit numbers as decimal strings, bytes as hex. */
interface RawEntryRecord {
  func: string;
  cfa: string;
  returnAddress: string | null;
  registers: Record<string, string>;
  stack: string;
  pointees: Record<string, string>;
}
const SETTINGS: string[][] = [
  ['non-stop', 'on'],
  ['mi-async', 'on'],
  ['pagination', 'off'],
  ['confirm', 'off'],
  ['breakpoint', 'pending', 'on'],
  ['startup-with-shell', 'off'],
  ['unwindonsignal', 'on'],
  ['print', 'pretty', 'off'],
  ['print', 'object', 'on'],
  ['print', 'elements', '200'],
  ['print', 'thread-events', 'off'],
  ['print', 'inferior-events', 'off'],
];
/** Signals node and V8 use for themselves: pass them on without stopping. */
const QUIET_SIGNALS = ['SIGPIPE', 'SIGUSR1', 'SIGUSR2', 'SIGPROF', 'SIGCHLD', 'SIGWINCH'];
/** Resumes that end in the frame they began in unless the code calls or returns. */
const STEPS = new Set(['-exec-next', '-exec-step', '-exec-next-instruction', '-exec-step-instruction']);

export class GdbEngine extends EventEmitter<GdbEngineEvents> {
  /** gdb's id of the process's first thread (the JS main thread under node). */
  mainThreadId = 1;
  private sawFirstThread = false;
  private exitReported = false;
  private stopWatching: () => void = () => undefined;
  private readonly pendingBreakpoints = new Set<number>();
  private readonly varObjects: VarObjects;
  private readonly registerReader: Registers;
  private readonly machine: Machine;
  private stopWaiters: { threadId: number; resolve: (stop: GdbStop) => void; accept?: (stop: GdbStop) => boolean; own?: boolean }[] = [];
  private processStarted: ((pid: number) => void) | null = null;
  private entryStopWaiter: ((stop: GdbStop) => void) | null = null;
  /** Stack pointers read with a walk at the current stop, per thread (see stackPointer). */
  private readonly stopSp = new Map<number, bigint>();
  /** Counts resumes: a walk answered after one describes a stop that is over. */
  private resumes = 0;
  /** Counts writes to the stopped program (memory, variables, calls made by an evaluation). */
  private writes = 0;
  /** Per thread, the resume and write counts its last whole walk saw. */
  private readonly walked = new Map<number, { resumes: number; writes: number }>();
  /** The last resume, when it was a step (next, step, nexti, stepi): its thread and the counts before it. */
  private stepped: { threadId: number; resumes: number; writes: number } | null = null;
  /** gdb 13+ runs MI commands written in Python (gdb.MICommand). */
  private miCommands = false;

  private constructor(readonly mi: MiConnection) {
    super();
    this.varObjects = new VarObjects(mi);
    this.registerReader = new Registers(mi);
    this.machine = new Machine(mi);
    mi.on('async', (record: MiRecord) => this.onAsync(record));
    mi.on('console', (text: string) => this.emit('console', text));
    mi.on('stderr', (text: string) => this.emit('console', text));
    mi.on('target-output', (text: string) => this.emit('output', text));
    mi.on('closed', (error: Error) => this.emit('fatal', error));
    mi.relay.on('data', (data: Buffer) => this.emit('output', data.toString('utf8')));
  }

  /** Starts gdb (no shell), checks its version, applies our settings and loads our Python helpers. */
  static async start(options: { gdbPath?: string; log?: (line: string) => void; debuginfod?: boolean } = {}): Promise<GdbEngine> {
    const mi = new MiConnection(options.gdbPath || 'gdb', options.log);
    const engine = new GdbEngine(mi);
    try {
      await engine.configure(options.debuginfod === true);
    } catch (error) {
      await mi.close();
      throw error;
    }
    return engine;
  }

  private async configure(debuginfod: boolean): Promise<void> {
    const mi = this.mi;
    const version = await withTimeout(mi.consoleCommand('show version'), 15_000, 'gdb');
    const match = /GNU gdb .*?(\d+)\.(\d+)/.exec(version);
    const major = match ? Number(match[1]) : 0;
    if (major < MIN_GDB_MAJOR) {
      const found = match ? `${match[1]}.${match[2]}` : `an unknown version (${version.split('\n')[0]})`;
      throw userError(ErrorCode.GdbTooOld, `gdb ${found} is too old: Polyglot Debug needs gdb ${MIN_GDB_MAJOR} or newer, built with Python.`);
    }
    this.miCommands = major >= 13;
    // Sent back to back (gdb runs them in order): one round trip instead of two dozen.
    const settings: Promise<unknown>[] = SETTINGS.map((setting) => mi.command('-gdb-set', ...setting));
    // gdb's own bugs (e.g. gdb 13 reading some -O2 DWARF expressions) abort the command, not the
    // session: by default gdb asks whether to quit and dump core, and MI answers yes.
    for (const problem of ['internal-error', 'internal-warning']) {
      for (const [what, value] of [['quit', 'no'], ['corefile', 'no'], ['backtrace', 'off']]) {
        settings.push(mi.consoleCommand(`maint set ${problem} ${what} ${value}`).catch(() => undefined));
      }
    }
    // Downloads can hold a launch or a step for minutes: only when the user asked for them. Older
    // or minimal builds lack debuginfod; its absence is fine.
    settings.push(mi.command('-gdb-set', 'debuginfod', 'enabled', debuginfod ? 'on' : 'off').catch(() => undefined));
    for (const signal of QUIET_SIGNALS) settings.push(mi.consoleCommand(`handle ${signal} nostop noprint pass`));
    await Promise.all(settings);
    const dir = gdbPythonDir();
    try {
      await mi.consoleCommand(`python import sys; sys.path.insert(0, ${JSON.stringify(dir)}); import polyglot_gdb, polyglot_entry, polyglot_v8_break, polyglot_locals`);
    } catch (error) {
      throw userError(ErrorCode.GdbTooOld, `This gdb cannot run our Python helpers (${(error as Error).message}); use a gdb built with Python (Debian: \`sudo apt-get install gdb\`).`);
    }
    // Without the right to change its personality gdb warns on every run; ask for no change.
    const aslr = await mi.consoleCommand('python print(polyglot_gdb.can_disable_aslr())');
    if (aslr.trim().endsWith('False')) await mi.command('-gdb-set', 'disable-randomization', 'off');
  }

  // ── raw access ──────────────────────────────────────────────────────────────────────────────

  /** Sends an MI command (arguments quoted as needed); an ^error rejects naming the command and gdb's message. */
  command(operation: string, ...args: string[]): Promise<MiTuple> {
    return this.mi.command(operation, ...args);
  }

  /** Runs a CLI command (optionally in a thread and frame) and returns what it printed. */
  consoleCommand(cli: string, where: { thread?: number; frame?: number } = {}): Promise<string> {
    return this.mi.consoleCommand(cli, where);
  }

  // ── the debuggee ────────────────────────────────────────────────────────────────────────────

  /** Starts the program under gdb: no shell, arguments passed as given, the environment edited exactly. */
  async launch(options: LaunchOptions): Promise<{ pid: number }> {
    await this.prepare(options);
    return this.run();
  }

  private prepared: LaunchOptions | null = null;

  /**
   * Loads the program and its settings without starting it: breakpoints set now bind in the
   * executable at once (in its libraries when they load); run() starts it.
   */
  async prepare(options: LaunchOptions): Promise<void> {
    const mi = this.mi;
    // A bare name is looked up on PATH by gdb itself.
    if (options.program.includes('/') && !existsSync(options.program)) throw userError(ErrorCode.ProgramNotFound, `The program ${options.program} does not exist; check \`program\` in the launch configuration.`);
    try {
      await mi.command('-file-exec-and-symbols', options.program);
    } catch (error) {
      throw userError(ErrorCode.ProgramNotFound, `gdb cannot load ${options.program}: ${(error as MiCommandError).gdbMessage || (error as Error).message}`, error);
    }
    // -exec-arguments takes the rest of its line as is; gdb 13 then splits it on whitespace.
    const exactArgvNeeded = options.args.some((arg) => arg === '' || /\s/.test(arg));
    const settings = [mi.rawCommand('-exec-arguments', exactArgvNeeded ? '' : options.args.join(' ')), mi.command('-environment-cd', options.cwd)];
    for (const [name, value] of Object.entries(options.env)) {
      settings.push(mi.consoleCommand(value === null ? `unset environment ${name}` : `set environment ${name}=${value}`).then(() => ({})));
    }
    const [tty] = await Promise.all([options.tty ?? this.openRelayTerminal(), ...settings]);
    await mi.command('-inferior-tty-set', tty);
    this.prepared = options;
  }

  /** Starts the program prepare() loaded. */
  async run(): Promise<{ pid: number }> {
    const options = this.prepared;
    if (!options) throw userError(ErrorCode.Internal, 'gdb was asked to run a program it has not loaded.');
    this.prepared = null;
    const exactArgvNeeded = options.args.some((arg) => arg === '' || /\s/.test(arg));
    this.exitReported = false;
    this.sawFirstThread = false;
    const started = new Promise<number>((resolve) => (this.processStarted = resolve));
    try {
      if (exactArgvNeeded) await this.runWithArgv(options.args);
      else await this.mi.command('-exec-run');
    } catch (error) {
      throw launchError(options.program, error as Error);
    }
    const pid = await withTimeout(started, 15_000, 'The program under gdb', PTRACE_HINT);
    this.watch(pid);
    return { pid };
  }

  /** Reports the program's end even when gdb does not (see process-watch.ts), and lets gdb reap it. */
  private watch(pid: number): void {
    this.stopWatching();
    this.stopWatching = watchProcess(pid, (end) => {
      if (this.exitReported || this.mi.isClosed) return;
      void this.mi.consoleCommand('kill inferiors 1').catch(() => undefined);
      this.reportExit(end);
    });
  }

  /** Starts the program stopped at its first instruction, gives it `args`, and lets it go. */
  private async runWithArgv(args: string[]): Promise<void> {
    const atEntry = new Promise<GdbStop>((resolve) => (this.entryStopWaiter = resolve));
    await this.mi.consoleCommand('starti');
    const stop = await withTimeout(atEntry, 15_000, 'The program under gdb', PTRACE_HINT);
    await this.mi.consoleCommand(`python polyglot_gdb.replace_argv(${JSON.stringify(JSON.stringify(args))})`, { thread: stop.threadId, frame: 0 });
    await this.mi.command('-exec-continue', '--thread', String(stop.threadId));
  }

  // ── a running process ───────────────────────────────────────────────────────────────────────

  /** Attaches to the running process `pid` (stopped until continueAll). */
  attach(pid: number): Promise<void> {
    this.sawFirstThread = true; // the main thread is found by its LWP, not by creation order
    return attachTo(this, pid);
  }

  continueAll(): Promise<void> {
    return continueAll(this);
  }

  /** Leaves the process running as it was, without our breakpoints. */
  detach(): Promise<void> {
    return detachFrom(this);
  }

  /** Runs `code` in the process's CPython at its main thread's next Python call (see attach.ts). */
  runPython(code: string): Promise<void> {
    return runPythonInProcess(this, code);
  }

  private async openRelayTerminal(): Promise<string> {
    const text = await this.mi.consoleCommand('python print(polyglot_gdb.start_pty_relay(3))');
    const tty = text.trim().split('\n').pop() ?? '';
    if (!tty.startsWith('/dev/')) throw userError(ErrorCode.Internal, `gdb could not open a terminal for the program: ${text.trim()}`);
    return tty;
  }

  /** Types into the program's terminal (only when launch() was given no tty). */
  writeInput(text: string): void {
    this.mi.relay.write(text);
  }

  // ── async records ───────────────────────────────────────────────────────────────────────────

  private onAsync(record: MiRecord): void {
    if (record.kind !== 'exec' && record.kind !== 'notify') return;
    const r = record.results;
    switch (`${record.kind}:${record.cls}`) {
      case 'exec:stopped':
        return this.onStopped(r);
      case 'exec:running': {
        const id = str(r['thread-id']);
        this.resumes++;
        this.stopSp.clear();
        this.emit('running', { threadId: num(id), allThreads: id === 'all' });
        return;
      }
      case 'notify:thread-created':
        if (!this.sawFirstThread) {
          this.sawFirstThread = true;
          this.mainThreadId = num(r.id) ?? 1;
        }
        return;
      case 'notify:thread-group-started':
        this.processStarted?.(num(r.pid) ?? 0);
        this.processStarted = null;
        return;
      case 'notify:thread-group-exited':
        return this.onProcessGone(r);
      case 'notify:library-loaded':
        this.emit('library-loaded', { path: str(r['target-name']) ?? str(r.id) ?? '' });
        return;
      case 'notify:breakpoint-created':
      case 'notify:breakpoint-modified':
        return this.onBreakpointChanged(r);
    }
  }

  private onBreakpointChanged(r: MiTuple): void {
    const bp = toBreakpoint(r.bkpt);
    if (!bp) return;
    if (bp.pending) this.pendingBreakpoints.add(bp.number);
    this.emit('breakpoint-modified', bp);
    if (!bp.pending && this.pendingBreakpoints.delete(bp.number)) this.emit('breakpoint-resolved', bp);
  }

  private onStopped(r: MiTuple): void {
    const exit = toExit(r);
    if (exit) return this.reportExit(exit);
    const stop = toStop(r, this.mainThreadId);
    if (this.entryStopWaiter) {
      // Our own stop at the first instruction (runWithArgv): nobody else needs to see it.
      this.entryStopWaiter(stop);
      this.entryStopWaiter = null;
      return;
    }
    const wanted = (w: (typeof this.stopWaiters)[number]) => w.threadId === stop.threadId && (!w.accept || w.accept(stop));
    const waiting = this.stopWaiters.filter(wanted);
    this.stopWaiters = this.stopWaiters.filter((w) => !wanted(w));
    for (const waiter of waiting) waiter.resolve(stop);
    // The end of a call the engine made itself (v8-break.ts) is nobody else's business.
    if (waiting.some((w) => w.own)) return;
    this.emit('stopped', stop);
  }

  /**
   * gdb reports an exit twice: =thread-group-exited (with the exit code, if any) and then
   * *stopped,reason="exited…" (with the signal, if any; absent when gdb killed the process).
   */
  private onProcessGone(r: MiTuple): void {
    const code = str(r['exit-code']);
    if (code !== undefined) return this.reportExit({ exitCode: parseInt(code, 8) });
    const timer = setTimeout(() => this.reportExit({}), 200);
    timer.unref();
  }

  private reportExit(exit: { exitCode?: number; signal?: string }): void {
    if (this.exitReported) return;
    this.exitReported = true;
    this.stopWatching();
    void this.varObjects.forgetAll();
    this.emit('exited', exit);
  }

  // ── breakpoints ─────────────────────────────────────────────────────────────────────────────

  /** Sets a breakpoint; one gdb cannot place yet (code not loaded) is pending and resolves later. */
  async insertBreakpoint(location: BreakpointLocation, options: BreakpointOptions = {}): Promise<GdbBreakpoint> {
    const result = await this.mi.command('-break-insert', ...breakInsertArgs(location, options));
    const bp = toBreakpoint(result.bkpt);
    if (!bp) throw userError(ErrorCode.Internal, 'gdb did not describe the breakpoint it set.');
    if (bp.pending) this.pendingBreakpoints.add(bp.number);
    return bp;
  }

  /**
   * Captures the arguments of every call of `func` on its first instruction (polyglot_entry.py):
   * an internal breakpoint that never stops the program, so no step is cut short by it. Again
   * for the same function: only what is read changes. Resolves with the function's source file;
   * rejects while its code is not loaded.
   */
  async watchEntry(func: string, capture: EntryCapture): Promise<string | undefined> {
    const printed = await this.mi.consoleCommand(`python polyglot_entry.watch(${JSON.stringify(func)}, ${JSON.stringify(JSON.stringify(capture))})`);
    const path: unknown = JSON.parse(printed.trim().split('\n').at(-1) ?? 'null');
    return typeof path === 'string' ? path : undefined;
  }

  /** The entry snapshot of the call of `func` whose canonical frame address is `cfa`, if one was taken. */
  async entryRecord(func: string, cfa: bigint): Promise<EntryRecord | null> {
    const printed = await this.mi.consoleCommand(`python polyglot_entry.record(${JSON.stringify(func)}, ${cfa})`);
    const raw = JSON.parse(printed.trim().split('\n').at(-1) ?? 'null') as RawEntryRecord | null;
    if (!raw) return null;
    return {
      func: raw.func,
      cfa: BigInt(raw.cfa),
      returnAddress: raw.returnAddress === null ? undefined : BigInt(raw.returnAddress),
      registers: new Map(Object.entries(raw.registers).map(([name, value]) => [name, BigInt(value)])),
      stack: Buffer.from(raw.stack, 'hex'),
      pointees: new Map(Object.entries(raw.pointees).map(([pointer, bytes]) => [BigInt(pointer), Buffer.from(bytes, 'hex')])),
    };
  }

  async deleteBreakpoint(number: number): Promise<void> {
    this.pendingBreakpoints.delete(number);
    await this.mi.command('-break-delete', String(number));
  }

  // ── execution, one thread at a time ─────────────────────────────────────────────────────────

  private async resume(operation: string, threadId: number, ...extra: string[]): Promise<void> {
    this.stepped = STEPS.has(operation) ? { threadId, resumes: this.resumes, writes: this.writes } : null;
    // Var objects describe the stop that is ending. Their deletes are sent first and not waited
    // for: gdb runs commands in order, and the step should not wait a round trip per value shown.
    const forgotten = this.varObjects.forgetAll();
    await Promise.all([forgotten, this.mi.command(operation, '--thread', String(threadId), ...extra)]);
  }

  continue(threadId: number): Promise<void> {
    return this.resume('-exec-continue', threadId);
  }

  next(threadId: number): Promise<void> {
    return this.resume('-exec-next', threadId);
  }

  step(threadId: number): Promise<void> {
    return this.resume('-exec-step', threadId);
  }

  finish(threadId: number): Promise<void> {
    return this.resume('-exec-finish', threadId, '--frame', '0');
  }

  nextInstruction(threadId: number): Promise<void> {
    return this.resume('-exec-next-instruction', threadId);
  }

  stepInstruction(threadId: number): Promise<void> {
    return this.resume('-exec-step-instruction', threadId);
  }

  /**
   * A function symbol as gdb knows it: whether its code has debug info, and the shared library
   * holding it (absent for the executable). Undefined when gdb has no such symbol (yet).
   */
  async functionSymbol(name: string): Promise<{ debugInfo: boolean; library?: string } | undefined> {
    if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
    const address = await this.mi.consoleCommand(`info address ${name}`).catch(() => '');
    const at = /is (?:a function )?at (?:address )?(0x[0-9a-f]+)/.exec(address);
    if (!at) return undefined;
    const debugInfo = !/compiled without debugging/.test(address);
    const symbol = await this.mi.consoleCommand(`info symbol ${at[1]}`).catch(() => '');
    const library = / of (\/.*)$/m.exec(symbol.trim())?.[1];
    return { debugInfo, library };
  }

  /**
   * Whether the caller of the innermost frame has line information (one frame unwound, not the
   * whole stack): a step out of C into code without it (koffi, libffi) leaves the C code.
   */
  async callerHasLines(threadId: number): Promise<boolean | undefined> {
    const result = await this.mi.command('-stack-list-frames', '--thread', String(threadId), '1', '1').catch(() => undefined);
    if (!result) return undefined;
    const caller = tuple(tuple(list(result.stack)[0])?.frame);
    return !!caller && str(caller.fullname) !== undefined && num(caller.line) !== undefined;
  }

  /**
   * The stack pointer of the thread's innermost frame: deeper calls have lower ones (x86-64,
   * AArch64). Known without asking gdb when the stop's stack was walked (a client shows it at
   * every stop), so a C step starts with its own command alone.
   */
  async stackPointer(threadId: number): Promise<bigint | undefined> {
    const known = this.stopSp.get(threadId);
    if (known !== undefined) return known;
    const result = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', '0', '(unsigned long)$sp').catch(() => undefined);
    const value = result ? str(result.value) : undefined;
    return value && /^\d+$/.test(value) ? BigInt(value) : undefined;
  }

  /** The next stop of `threadId` that `accept` takes (any, without it). */
  nextStop(threadId: number, accept?: (stop: GdbStop) => boolean, options: { own?: boolean } = {}): Promise<GdbStop> {
    return new Promise<GdbStop>((resolve) => this.stopWaiters.push({ threadId, resolve, accept, own: options.own }));
  }

  /**
   * The main thread, stopped in C that JS called, calls V8's BreakRightNow (v8-break.ts): V8
   * pauses there and the inspector can arm a step in the JS caller. Resolves once the thread is
   * stopped again where it was.
   */
  breakIntoV8(threadId: number): Promise<V8BreakOutcome> {
    return breakIntoV8({ mi: this.mi, nextStop: (thread) => this.nextStop(thread, (s) => s.reason !== 'solib-event', { own: true }) }, threadId);
  }

  /** Stops a running thread; resolves with its stop. */
  async interrupt(threadId: number): Promise<GdbStop> {
    const stopped = new Promise<GdbStop>((resolve) => this.stopWaiters.push({ threadId, resolve }));
    await this.mi.command('-exec-interrupt', '--thread', String(threadId));
    return withTimeout(stopped, 5_000, `gdb (interrupting thread ${threadId})`);
  }

  // ── values and stacks ───────────────────────────────────────────────────────────────────────

  /** gdb's own stack of a thread (stops at the first frame it cannot unwind, e.g. koffi's switch). */
  async frames(threadId: number): Promise<{ level: number; func?: string; file?: string; fullname?: string; line?: number; addr?: string; from?: string }[]> {
    const result = await this.mi.command('-stack-list-frames', '--thread', String(threadId));
    return list(result.stack).map((item) => {
      const f = tuple(tuple(item)?.frame) ?? {};
      return { level: num(f.level) ?? 0, func: str(f.func), file: str(f.file), fullname: str(f.fullname), line: num(f.line), addr: str(f.addr), from: str(f.from) };
    });
  }

  /** The thread's physical stack in true order, innermost first, across koffi's stack switches. */
  async unifiedStack(threadId: number, options: { jsNames: boolean }): Promise<NativeFrame[]> {
    const resumes = this.resumes;
    const writes = this.writes;
    const { frames, sp } = await readUnifiedStack(this.mi, threadId, { ...options, miCommand: this.miCommands, afterStep: this.onlySteppedSinceWalk(threadId) });
    if (resumes === this.resumes) {
      if (sp !== undefined) this.stopSp.set(threadId, sp);
      this.walked.set(threadId, { resumes, writes });
    }
    return frames;
  }

  /**
   * Since the thread's last walk, it was stepped once and nothing else ran or was written: gdb's
   * helper may then keep the older frames of that walk (polyglot_gdb.py checks that the step
   * ended in the frame it began in).
   */
  private onlySteppedSinceWalk(threadId: number): boolean {
    const step = this.stepped;
    const walk = this.walked.get(threadId);
    if (!step || !walk || step.threadId !== threadId) return false;
    return walk.resumes === step.resumes && walk.writes === step.writes && this.resumes === step.resumes + 1 && this.writes === step.writes;
  }

  /** Alias of unifiedStack (the name src/core started with). */
  physicalStack(threadId: number, options: { jsNames: boolean }): Promise<NativeFrame[]> {
    return this.unifiedStack(threadId, options);
  }

  /** Arguments then locals of a frame. */
  variables(threadId: number, level: number): Promise<GdbVariable[]> {
    return this.varObjects.frameVariables(threadId, level);
  }

  /** Members of an expandable value (its childrenHandle). */
  children(handle: string): Promise<GdbVariable[]> {
    return this.varObjects.children(handle);
  }

  registers(threadId: number, level: number): Promise<GdbVariable[]> {
    return this.registerReader.read(threadId, level);
  }

  evaluate(threadId: number, level: number, expression: string): Promise<GdbVariable> {
    // A call or an assignment runs or changes the program without a resume gdb reports.
    if (/\(|\+\+|--|<<=|>>=|[^=!<>]=(?!=)/.test(expression)) this.writes++;
    return this.varObjects.evaluate(threadId, level, expression);
  }

  /**
   * Assigns `value` to a variable of the frame (`nameOrHandle` a C expression such as `p.x`), to a
   * shown value (its handle), or to member `nameOrHandle` of the value `parentHandle`.
   */
  setVariable(threadId: number, level: number, nameOrHandle: string, value: string, parentHandle?: string): Promise<GdbVariable> {
    this.stopSp.clear(); // a register set by hand may be the stack pointer
    this.writes++;
    return this.varObjects.assign(threadId, level, nameOrHandle, value, parentHandle);
  }

  /** Whole register contents (vector registers as 128-bit integers) in a frame. */
  registerValues(threadId: number, level: number, names: readonly string[]): Promise<Map<string, bigint>> {
    return this.machine.registerValues(threadId, level, names);
  }

  readMemory(address: bigint, count: number): Promise<MemoryRead> {
    return this.machine.readMemory(address, count);
  }

  writeMemory(address: bigint, data: Uint8Array): Promise<void> {
    this.writes++;
    return this.machine.writeMemory(address, data);
  }

  /** `count` instructions from `offset` instructions away from `address` (negative: before it). */
  disassemble(address: bigint, offset: number, count: number): Promise<(Instruction | { address: bigint; unreadable: true })[]> {
    return this.machine.disassemble(address, offset, count);
  }

  /** Frees per-stop state (var objects); done anyway before each resume. */
  forgetStopState(): Promise<void> {
    return this.varObjects.forgetAll();
  }

  /** Kills the program and quits gdb; gdb gets SIGKILL if it does not leave in time. */
  async dispose(): Promise<void> {
    this.stopWatching();
    if (!this.mi.isClosed) {
      this.stopWaiters = [];
      await withTimeout(this.mi.consoleCommand('kill inferiors 1'), 3_000, 'gdb (killing the program)').catch(() => undefined);
    }
    await this.mi.close();
    this.removeAllListeners();
  }

  /** Alias of dispose(). */
  kill(): Promise<void> {
    return this.dispose();
  }
}
