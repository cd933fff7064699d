// The native engine: gdb (MI3, non-stop, async) owning the debuggee. It starts the process without
// a shell, gives it a terminal, holds C breakpoints, steps one thread at a time while the others
// (node's inspector thread among them) keep running, and reads values and the physical stack.

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ErrorCode, userError, withTimeout } from '../common/errors';
import { MiConnection } from './mi-connection';
import { list, num, str, tuple, type MiRecord, type MiTuple, type MiValue } from './mi-output';
import { Registers } from './registers';
import { VarObjects, type GdbVariable } from './var-objects';

export type { GdbVariable } from './var-objects';

export interface GdbStop {
  threadId: number;
  reason: string;
  location?: { func?: string; path?: string; line?: number; addr?: string };
  breakpointNumber?: number;
  signalName?: string;
  signalMeaning?: string;
}

export interface GdbBreakpoint {
  number: number;
  pending: boolean;
  path?: string;
  line?: number;
  func?: string;
  addr?: string;
}

export type GdbFrame =
  | { kind: 'native'; func?: string; path?: string; line?: number; pc: string; module?: string; level?: number }
  | { kind: 'js'; pc: string; fp?: string; name?: string; url?: string; line?: number; column?: number }
  | { kind: 'v8-internal'; pc: string }
  | { kind: 'koffi-switch'; pc: string }
  | { kind: 'koffi-trampoline'; pc: string };

const MIN_GDB_MAJOR = 12;
const SETTINGS = [
  ['non-stop', 'on'],
  ['mi-async', 'on'],
  ['pagination', 'off'],
  ['confirm', 'off'],
  ['breakpoint', 'pending', 'on'],
  ['debuginfod', 'enabled', 'off'],
  ['startup-with-shell', 'off'],
  ['unwindonsignal', 'on'],
  ['print', 'pretty', 'off'],
  ['print', 'elements', '64'],
  ['print', 'thread-events', 'off'],
];
/** Signals node and V8 use for themselves: pass them through without stopping. */
const QUIET_SIGNALS = ['SIGPIPE', 'SIGUSR1', 'SIGUSR2', 'SIGPROF', 'SIGCHLD', 'SIGWINCH'];
const PTRACE_REFUSED = /ptrace: Operation not permitted|Could not trace the inferior process|Couldn't get registers: No such process|not permitted to attach/i;

/** Where the gdb Python helpers are: beside the bundle once built, in the sources under tsx. */
function pythonDir(): string {
  for (const dir of [join(__dirname, 'gdb-python'), join(__dirname, 'python'), join(dirname(__dirname), 'engines', 'gdb', 'python')]) {
    if (existsSync(join(dir, 'polyglot_gdb.py'))) return dir;
  }
  throw userError(ErrorCode.Internal, `Polyglot Debug is incomplete: its gdb helpers (polyglot_gdb.py) are missing beside ${__dirname}.`);
}

export class GdbEngine extends EventEmitter {
  mainThreadId = 1;
  private sawFirstThread = false;
  private readonly varObjects: VarObjects;
  private readonly registerReader: Registers;
  private stopWaiters: ((stop: GdbStop) => void)[] = [];

  private constructor(readonly mi: MiConnection) {
    super();
    this.varObjects = new VarObjects(mi);
    this.registerReader = new Registers(mi);
    mi.on('async', (record: MiRecord) => this.onAsync(record));
    mi.on('closed', (error: Error) => this.emit('fatal', error));
    mi.relay.on('data', (data: Buffer) => this.emit('output', data.toString('utf8')));
  }

  static async start(options: { gdbPath: string; log?: (line: string) => void }): Promise<GdbEngine> {
    const mi = new MiConnection(options.gdbPath, options.log);
    const engine = new GdbEngine(mi);
    const version = await withTimeout(mi.consoleCommand('show version'), 15_000, 'gdb');
    const match = /GNU gdb .*?(\d+)\.(\d+)/.exec(version);
    const major = match ? Number(match[1]) : 0;
    if (major < MIN_GDB_MAJOR) {
      await mi.close();
      throw userError(ErrorCode.GdbTooOld, `gdb ${match ? `${match[1]}.${match[2]}` : '(unknown version)'} is too old: Polyglot Debug needs gdb ${MIN_GDB_MAJOR} or newer with Python support.`);
    }
    for (const setting of SETTINGS) await mi.command('-gdb-set', ...setting);
    for (const signal of QUIET_SIGNALS) await mi.consoleCommand(`handle ${signal} nostop noprint pass`);
    const dir = pythonDir();
    try {
      await mi.consoleCommand(`python import sys; sys.path.insert(0, ${JSON.stringify(dir)}); import polyglot_gdb`);
    } catch (error) {
      await mi.close();
      throw userError(ErrorCode.GdbTooOld, `This gdb cannot run Python (${(error as Error).message}); install a gdb built with Python, e.g. \`sudo apt-get install gdb\`.`);
    }
    return engine;
  }

  // ── the debuggee ────────────────────────────────────────────────────────────────────────────

  async launch(options: { program: string; args: string[]; cwd: string; env: Record<string, string | null>; tty?: string }): Promise<{ pid: number }> {
    const mi = this.mi;
    await mi.command('-file-exec-and-symbols', options.program);
    await mi.command('-exec-arguments', ...options.args);
    await mi.command('-environment-cd', options.cwd);
    for (const [name, value] of Object.entries(options.env)) {
      if (value === null) await mi.consoleCommand(`unset environment ${name}`);
      else await mi.command('-gdb-set', 'environment', `${name}=${value}`);
    }
    const tty = options.tty ?? (await this.openRelayTerminal());
    await mi.command('-inferior-tty-set', tty);
    const started = new Promise<number>((resolve) => this.once('process-started', resolve));
    try {
      await mi.command('-exec-run');
    } catch (error) {
      const message = (error as Error).message;
      if (PTRACE_REFUSED.test(message)) {
        throw userError(
          ErrorCode.PtraceNotPermitted,
          `gdb may not trace processes here (${message.replace(/^gdb: [^:]*: /, '')}). Allow it with \`sudo sysctl kernel.yama.ptrace_scope=0\`, or in a container start it with \`--cap-add=SYS_PTRACE --security-opt seccomp=unconfined\`.`,
        );
      }
      throw userError(ErrorCode.ProgramNotFound, `gdb could not start ${options.program}: ${message}`);
    }
    const pid = await withTimeout(started, 15_000, 'The debuggee');
    return { pid };
  }

  private async openRelayTerminal(): Promise<string> {
    const text = await this.mi.consoleCommand('python print(polyglot_gdb.start_pty_relay(3))');
    const tty = text.trim().split('\n').pop() ?? '';
    if (!tty.startsWith('/dev/')) throw userError(ErrorCode.Internal, `gdb could not open a terminal for the program: ${text.trim()}`);
    return tty;
  }

  writeInput(text: string): void {
    this.mi.relay.write(text);
  }

  // ── async records ───────────────────────────────────────────────────────────────────────────

  private onAsync(record: MiRecord): void {
    if (record.kind !== 'exec' && record.kind !== 'status' && record.kind !== 'notify') return;
    const r = record.results;
    switch (`${record.kind}:${record.cls}`) {
      case 'exec:stopped':
        return this.onStopped(r);
      case 'exec:running':
        this.emit('running', { threadId: num(r['thread-id']) });
        return;
      case 'notify:thread-created':
        if (!this.sawFirstThread) {
          this.sawFirstThread = true;
          this.mainThreadId = num(r.id) ?? 1;
        }
        return;
      case 'notify:thread-group-started':
        this.emit('process-started', num(r.pid) ?? 0);
        return;
      case 'notify:thread-group-exited': {
        const code = str(r['exit-code']);
        this.emit('exited', { exitCode: code !== undefined ? parseInt(code, 8) : undefined });
        return;
      }
      case 'notify:library-loaded':
        this.emit('library-loaded', { path: str(r['target-name']) ?? '' });
        return;
      case 'notify:breakpoint-modified': {
        const bp = toBreakpoint(tuple(r.bkpt));
        if (bp && !bp.pending) this.emit('breakpoint-resolved', bp);
        return;
      }
    }
  }

  private onStopped(r: MiTuple): void {
    const reason = str(r.reason) ?? 'unknown';
    if (reason.startsWith('exited')) {
      const code = str(r['exit-code']);
      this.emit('exited', { exitCode: code !== undefined ? parseInt(code, 8) : reason === 'exited-normally' ? 0 : undefined, signal: str(r['signal-name']) });
      return;
    }
    const frame = tuple(r.frame);
    const stop: GdbStop = {
      threadId: num(r['thread-id']) ?? this.mainThreadId,
      reason,
      location: frame ? { func: str(frame.func), path: str(frame.fullname), line: num(frame.line), addr: str(frame.addr) } : undefined,
      breakpointNumber: num(r.bkptno),
      signalName: str(r['signal-name']),
      signalMeaning: str(r['signal-meaning']),
    };
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const waiter of waiters) waiter(stop);
    this.emit('stopped', stop);
  }

  // ── breakpoints ─────────────────────────────────────────────────────────────────────────────

  async insertBreakpoint(location: { path: string; line: number } | { function: string } | { address: string }, options: { condition?: string; temporary?: boolean } = {}): Promise<GdbBreakpoint> {
    const args = ['-f'];
    if (options.temporary) args.push('-t');
    if (options.condition) args.push('-c', options.condition);
    if ('path' in location) args.push('--source', location.path, '--line', String(location.line));
    else if ('function' in location) args.push('--function', location.function);
    else args.push(`*${location.address}`);
    const result = await this.mi.command('-break-insert', ...args);
    const bp = toBreakpoint(tuple(result.bkpt) ?? firstOf(result.bkpt));
    if (!bp) throw userError(ErrorCode.Internal, 'gdb did not describe the breakpoint it set.');
    return bp;
  }

  async deleteBreakpoint(number: number): Promise<void> {
    await this.mi.command('-break-delete', String(number));
  }

  // ── execution, one thread at a time ─────────────────────────────────────────────────────────

  async continue(threadId: number): Promise<void> {
    await this.mi.command('-exec-continue', '--thread', String(threadId));
  }

  async next(threadId: number): Promise<void> {
    await this.mi.command('-exec-next', '--thread', String(threadId));
  }

  async step(threadId: number): Promise<void> {
    await this.mi.command('-exec-step', '--thread', String(threadId));
  }

  async finish(threadId: number): Promise<void> {
    await this.mi.command('-exec-finish', '--thread', String(threadId), '--frame', '0');
  }

  async nextInstruction(threadId: number): Promise<void> {
    await this.mi.command('-exec-next-instruction', '--thread', String(threadId));
  }

  async stepInstruction(threadId: number): Promise<void> {
    await this.mi.command('-exec-step-instruction', '--thread', String(threadId));
  }

  /** Stops a running thread; resolves with its stop. */
  async interrupt(threadId: number): Promise<GdbStop> {
    const stopped = new Promise<GdbStop>((resolve) => this.stopWaiters.push(resolve));
    await this.mi.command('-exec-interrupt', '--thread', String(threadId));
    return withTimeout(stopped, 5_000, 'gdb (interrupting the thread)');
  }

  // ── values and stacks ───────────────────────────────────────────────────────────────────────

  async physicalStack(threadId: number, options: { jsNames: boolean }): Promise<GdbFrame[]> {
    const text = await this.mi.consoleCommand(`polyglot-stack${options.jsNames ? ' --js-names' : ''}`, { thread: threadId, frame: 0 });
    const line = text.trim().split('\n').filter((l) => l.startsWith('[')).pop();
    if (!line) throw userError(ErrorCode.Internal, `gdb did not return a stack: ${text.trim().slice(0, 300)}`);
    return JSON.parse(line) as GdbFrame[];
  }

  variables(threadId: number, level: number): Promise<GdbVariable[]> {
    return this.varObjects.frameVariables(threadId, level);
  }

  children(handle: string): Promise<GdbVariable[]> {
    return this.varObjects.children(handle);
  }

  registers(threadId: number, level: number): Promise<GdbVariable[]> {
    return this.registerReader.read(threadId, level);
  }

  evaluate(threadId: number, level: number, expression: string): Promise<GdbVariable> {
    return this.varObjects.evaluate(threadId, level, expression);
  }

  setVariable(threadId: number, level: number, name: string, value: string, parentHandle?: string): Promise<GdbVariable> {
    return this.varObjects.assign(threadId, level, name, value, parentHandle);
  }

  forgetStopState(): Promise<void> {
    return this.varObjects.deleteAll();
  }

  async dispose(): Promise<void> {
    if (!this.mi.isClosed) {
      await this.mi.command('-exec-interrupt', '--all').catch(() => undefined);
      await this.mi.consoleCommand('kill inferiors 1').catch(() => undefined);
    }
    await this.mi.close();
  }
}

function firstOf(value: MiValue | undefined): MiTuple | undefined {
  return tuple(list(value)[0]);
}

function toBreakpoint(bkpt: MiTuple | undefined): GdbBreakpoint | undefined {
  if (!bkpt) return undefined;
  const number = num(bkpt.number);
  if (number === undefined) return undefined;
  const addr = str(bkpt.addr);
  // With several locations the first one carries the file and line.
  const location = tuple(list(bkpt.locations)[0]) ?? bkpt;
  return {
    number,
    pending: addr === '<PENDING>' || str(bkpt.pending) !== undefined,
    path: str(location.fullname) ?? str(bkpt.fullname),
    line: num(location.line) ?? num(bkpt.line),
    func: str(location.func) ?? str(bkpt.func),
    addr: addr === '<MULTIPLE>' ? str(location.addr) : addr,
  };
}
