// One debug session over one node process: gdb owns the process and the C side, the V8 inspector
// the JS side, the in-process agent the Python an embedded interpreter runs. This class decides, at
// every moment, which engine holds the main thread, turns the engines' stops into one kind of
// stop, and hands steps to the stepper (steps/): one plan per step, saying what each engine arms
// and which stops end it (steps/boundaries.ts, steps/plan.ts).

import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { ErrorCode, userError, withTimeout } from '../engines/common/errors';
import type { BreakpointRequest, UserBreakpoint } from './breakpoint-book';
import { BreakpointPlacement, type BreakpointResult } from './breakpoint-placement';
import type { JsCallFrame, JsEnginePort, JsPause, NativeEnginePort, NativeStop, NativeVariable, PhysicalFrame, PythonEnginePort, SourceMapPort } from './engine-ports';
import { insertPythonFrames, callsIntoPython, isPythonEvaluation, pythonFrame, unplacedPythonNotice, type PythonFrameInfo } from './python-stitch';
import { EntrySnapshots } from './entry-snapshots';
import { REMOTE_EXEC_MINOR, remoteExec, remoteExecRunner } from './remote-exec';
import { requireGdb, requireNode } from './executables';
import { checkNativeProgram, hostKindOf, type HostKind } from './host-kind';
import { resolvePythonInterpreter } from './python-interpreter';
import { ffiSymbolsCalledOnLine } from './ffi-calls-on-line';
import { InspectorOutputFilter } from './inspector-output';
import type { AttachConfig, LaunchConfig } from './launch-config';
import { runningProcessFacts, type RunningProcessFacts } from './running-process';
import { openNodeInspector } from '../engines/cdp/inspector-discovery';
import { renderLogMessage } from './log-message';
import { nameUnnamedJsFrames, prepareFrameNames } from './frame-names';
import { JsExceptionFilter } from './js-exceptions';
import { DEFAULT_SKIP_FILES, markSkipped, SkipFiles } from './skip-files';
import type { NativePlace } from './native-step';
import { jsPauseVerdict, nativeStopVerdict, pythonStopVerdict, type JsPauseFacts, type PythonStopFacts, type StepKind } from './steps/plan';
import { Stepper } from './steps/stepper';
import { stitchJsStop, stitchNativeStop, stitchPythonStop, urlToPath, type StackItem } from './stitch';
import { isLibraryScript, UserCode } from './user-code';

export interface EngineFactory {
  startNative(options: { gdbPath: string; log?: (line: string) => void; debuginfod?: boolean }): Promise<NativeEnginePort>;
  /** The server the Python agent of any embedded interpreter connects back to. */
  startPython(options: { log?: (line: string) => void }): Promise<PythonEnginePort>;
  /** `program` is the debuggee's entry: its koffi also serves the adapter (see quick-ack.ts). */
  connectJs(url: string, options: { log?: (line: string) => void; program: string }): Promise<JsEnginePort>;
  /** Source maps of the compiled output, and of every script as it loads. */
  sourceMaps(outFiles: string[], js: JsEnginePort | null): Promise<SourceMapPort>;
}

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception' | 'function breakpoint' | 'instruction breakpoint';

/** `instruction`: one machine instruction in C (in JavaScript, where V8 has none, a statement). */
export type Granularity = 'statement' | 'line' | 'instruction';

export interface CoreStop {
  reason: StopReason;
  description?: string;
  text?: string;
  breakpointIds?: number[];
  language: 'c' | 'js' | 'py';
}

export type { BreakpointResult } from './breakpoint-placement';

type Owner = 'none' | 'running' | 'native' | 'js' | 'python';

const INSPECTOR_START_TIMEOUT_MS = 15_000;
const PYTHON_AGENT_TIMEOUT_MS = 15_000;

export class MixedSession extends EventEmitter {
  native: NativeEnginePort | null = null;
  python: PythonEnginePort | null = null;
  /** Locals the agent gave for Python frames while stopped outside Python, per stop. */
  pythonLocalsFromOutside: Map<string, { name: string; value: string; type?: string }[]> = new Map();
  js: JsEnginePort | null = null;
  maps: SourceMapPort | null = null;
  private owner: Owner = 'none';
  private lastStop: CoreStop | null = null;
  private lastNativeStop: NativeStop | null = null;
  private lastJsPause: JsPause | null = null;
  private stack: Promise<StackItem[]> | null = null;
  /** The user's breakpoints and their placement in the engines. */
  private readonly breakpoints = new BreakpointPlacement({
    engines: () => this,
    v8Answers: () => this.owner === 'js' || this.owner === 'none',
    entrySnapshots: () => this.entrySnapshots,
    changed: (result) => this.emit('breakpoint', result),
  });
  /** Set while we hold the main thread in gdb for our own purposes (stack walk, step cancel). */
  private holdingNative = false;
  private koffiLoaded = false;
  private readonly jsExceptions = new JsExceptionFilter({
    koffiLoaded: () => this.koffiLoaded,
    toOriginal: (url, line, column) => this.maps?.toOriginal(url, line, column),
    callerSitsOnFfiCall: (live) => this.callerSitsOnFfiCall(live),
    physicalWalk: () => this.withNativeThreadHeld(() => this.native!.physicalStack(this.native!.mainThreadId, { jsNames: false })).catch(() => undefined),
  });
  /** What counts as the user's C code (launch: justMyCode, userCodePaths). */
  private userCode = new UserCode([]);
  /** Argument registers and stack captured at the entry of C functions with breakpoints. */
  readonly entrySnapshots = new EntrySnapshots(() => this.native);
  private ended = false;
  private config: LaunchConfig | null = null;
  /** Files folded in the stack and never stopped in by a step (`skipFiles`). */
  private skip = new SkipFiles();
  /** Steps and the plan in flight. */
  private readonly steps: Stepper;

  constructor(private readonly factory: EngineFactory) {
    super();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters read the session's live engines and stop
    const session = this;
    this.steps = new Stepper({
      get native() { return session.native; },
      get python() { return session.python; },
      get js() { return session.js; },
      get stackIfRead() { return session.stack; },
      get lastNativeStop() { return session.lastNativeStop; },
      stackTrace: () => this.stackTrace(),
      resumeAs: (action) => this.resumeAs(action),
      markRunning: () => void (this.owner = 'running'),
      withNativeThreadHeld: (fn) => this.withNativeThreadHeld(fn),
      placeOf: (location) => this.placeOf(location),
      watchEntry: (func, path) => this.entrySnapshots.watch(func, path),
      reportNativeStep: () => this.reportStop({ reason: 'step', language: 'c' }, 'native'),
      isUserModule: (module) => this.stitchOptions.isUserModule(module),
      output: (text) => this.emit('output', { category: 'console', text }),
    });
  }

  get stoppedIn(): Owner {
    return this.owner;
  }

  // ── launch and end ──────────────────────────────────────────────────────────────────────────

  /**
   * Starts gdb and the program under it, per kind of `program`: node with the inspector (waiting
   * on its first line), or a native executable or Python interpreter loaded but not yet started
   * (start() runs it, once the client has set its breakpoints).
   */
  async launch(config: LaunchConfig, options: { tty?: string } = {}): Promise<void> {
    this.config = config;
    this.skip = new SkipFiles(config.skipFiles ?? DEFAULT_SKIP_FILES);
    const cwd = config.cwd ?? dirname(resolve(config.program));
    const program = isAbsolute(config.program) ? config.program : resolve(cwd, config.program);
    this.host = hostKindOf(program);
    if (this.host !== 'node') return this.launchWithoutNode(config, program, cwd, options);
    const node = requireNode(config.runtimeExecutable, cwd);
    const gdbPath = requireGdb(config.gdbPath, cwd);
    const log = this.engineLog();
    const outFiles = config.outFiles ?? [`${cwd}/**/*.js`];
    this.maps = await this.factory.sourceMaps(config.sourceMaps === false ? [] : outFiles, null);
    const entry = this.compiledEntry(program);
    checkKoffiInstalled(entry);
    this.entrySource = program;

    this.userCode = userCodeOf(config, cwd, program);
    this.native = await this.factory.startNative({ gdbPath, log, debuginfod: config.debuginfod === true });
    this.wireNative(this.native);
    const urlFound = new Promise<string>((resolveUrl, reject) => {
      const filter = new InspectorOutputFilter(resolveUrl, () => void this.js?.close().catch(() => undefined));
      this.native?.on('output', (text: string) => {
        const shown = filter.push(text);
        if (shown) this.emit('output', { category: 'stdout', text: shown });
      });
      this.native?.once('exited', (e: { exitCode?: number }) =>
        reject(userError(ErrorCode.InspectorFailed, `node exited (code ${e.exitCode ?? '?'}) before its inspector started; see the output above.`)),
      );
    });
    this.python = await this.factory.startPython({ log });
    this.wirePython(this.python);
    const env = { ...config.env, ...this.python.environment(config.env?.PYTHONPATH ?? process.env.PYTHONPATH) };
    const args = [...(config.runtimeArgs ?? []), '--inspect-brk=127.0.0.1:0', '--inspect-publish-uid=stderr', entry, ...(config.args ?? [])];
    await this.native.launch({ program: node, args, cwd, env, tty: options.tty });
    this.owner = 'running';
    const url = await withTimeout(urlFound, INSPECTOR_START_TIMEOUT_MS, 'The node inspector', 'Is another debugger attached, or does NODE_OPTIONS disable --inspect?');
    this.js = await this.factory.connectJs(url, { log, program: entry });
    this.wireJs(this.js);
    await this.js.setBlackboxPatterns(this.skip.v8BlackboxPatterns());
    this.maps = await this.factory.sourceMaps(config.sourceMaps === false ? [] : outFiles, this.js);
  }

  /** Which kind of program this session runs (see host-kind.ts). */
  get hostKind(): HostKind {
    return this.host;
  }

  private host: HostKind = 'node';
  /** The program's source, until the first stack walk reads its outline (prepareFrameNames). */
  private entrySource: string | undefined;
  /** The temporary breakpoint on `main` of a native program launched with stopOnEntry. */
  private entryBreakpoint: number | undefined;

  private engineLog(): ((line: string) => void) | undefined {
    return this.config?.trace || this.traceAttach ? (line: string) => this.emit('output', { category: 'stdout', text: line + '\n', fromDebugger: true }) : undefined;
  }

  /**
   * A native executable, or a Python script run by its interpreter: gdb and the Python agent only,
   * no JavaScript engine. The program is loaded, not started, so that breakpoints set before
   * configurationDone bind before any of its code runs (Python's when the interpreter starts).
   */
  private async launchWithoutNode(config: LaunchConfig, program: string, cwd: string, options: { tty?: string }): Promise<void> {
    let executable = program;
    let args = config.args ?? [];
    if (this.host === 'python') {
      executable = resolvePythonInterpreter(config.python, cwd);
      args = [program, ...args];
    } else {
      const { warning } = checkNativeProgram(program);
      if (warning) this.emit('output', { category: 'important', text: warning });
    }
    const gdbPath = requireGdb(config.gdbPath, cwd);
    const log = this.engineLog();
    this.userCode = userCodeOf(config, cwd, program);
    this.native = await this.factory.startNative({ gdbPath, log, debuginfod: config.debuginfod === true });
    this.wireNative(this.native);
    this.native.on('output', (text: string) => {
      this.lastOutputAt = Date.now();
      this.emit('output', { category: 'stdout', text });
    });
    this.python = await this.factory.startPython({ log });
    this.wirePython(this.python);
    const env = { ...config.env, ...this.python.environment(config.env?.PYTHONPATH ?? process.env.PYTHONPATH) };
    await this.native.prepare({ program: executable, args, cwd, env, tty: options.tty });
    // A Python program stops on its script's first line, as Python's own debugger does.
    if (config.stopOnEntry && this.host === 'python') this.python.stopOnEntry(program);
    if (config.stopOnEntry && this.host === 'native') {
      this.entryBreakpoint = (await this.native.insertBreakpoint({ function: 'main' }, { temporary: true })).number;
    }
  }

  // ── attach ──────────────────────────────────────────────────────────────────────────────────

  /** Set for a session attached to a running process: it ends by detaching, not killing. */
  private attachedPid: number | undefined;
  /** The node inspector was opened by us (SIGUSR1), so detaching closes it again. */
  private openedInspector = false;
  private attachedRunsPython = false;

  get isAttached(): boolean {
    return this.attachedPid !== undefined;
  }

  /**
   * Attaches to a running process: gdb attaches (non-stop) and lets it run on; a node process's
   * inspector is opened (SIGUSR1) and connected; the Python agent is started in its interpreter.
   */
  async attach(config: AttachConfig & { pid: number }): Promise<void> {
    const pid = config.pid;
    this.traceAttach = config.trace === true;
    const facts = runningProcessFacts(pid);
    const gdbPath = requireGdb(config.gdbPath, process.cwd());
    const log = this.engineLog();
    this.host = facts.node ? 'node' : facts.pythonExecutable ? 'python' : 'native';
    let url: string | undefined;
    if (facts.node) {
      const inspector = await openNodeInspector(pid);
      url = inspector.url;
      this.openedInspector = inspector.openedNow;
    }
    this.native = await this.factory.startNative({ gdbPath, log });
    this.wireNative(this.native);
    this.python = await this.factory.startPython({ log });
    this.wirePython(this.python);
    this.attachedRunsPython = facts.python;
    // gdb's attach stops every thread once: not a stop the user asked for.
    this.holdingNative = true;
    try {
      await this.native.attach(pid);
      this.attachedPid = pid;
      await this.native.continueAll();
    } finally {
      this.holdingNative = false;
    }
    this.owner = 'running';
    if (url) {
      const outFiles = config.outFiles ?? [];
      this.maps = await this.factory.sourceMaps(config.sourceMaps === false ? [] : outFiles, null);
      this.js = await this.factory.connectJs(url, { log, program: facts.executable });
      this.wireJs(this.js);
      this.maps = await this.factory.sourceMaps(config.sourceMaps === false ? [] : outFiles, this.js);
    }
    this.emit('output', { category: 'console', text: `Attached to process ${pid} (${facts.executable}).\n` });
    // Before any breakpoint of the user's exists: the injection stops the main thread on its own.
    if (this.attachedRunsPython) {
      await this.startAgentInProcess(pid, facts).catch((error: Error) =>
        this.emit('output', { category: 'important', text: `Polyglot Debug: the Python in process ${pid} cannot be debugged: ${error.message}\n` }),
      );
    }
  }

  private traceAttach = false;

  /**
   * Starts the Python agent inside the attached process's interpreter: on CPython 3.14+ through
   * the interpreter's own sys.remote_exec (remote-exec.ts), on older ones (or when 3.14 refuses
   * it) through gdb, with a pending call made by hand (engines/gdb/attach.ts).
   */
  private async startAgentInProcess(pid: number, facts: RunningProcessFacts): Promise<void> {
    const python = this.python!;
    const env = python.environment(undefined);
    const dir = env.PYTHONPATH!;
    const code = [
      'import sys',
      `sys.path.append(${JSON.stringify(dir)})`,
      'import polyglot_agent',
      `polyglot_agent.start(${JSON.stringify(env.POLYGLOT_PYTHON_AGENT)}, ${JSON.stringify(env.POLYGLOT_PYTHON_TOKEN)})`,
      '',
    ].join('\n');
    const connected = new Promise<void>((resolveConnected) => python.once('connected', () => resolveConnected()));
    const version = facts.pythonMinor === undefined ? 'Python' : `Python 3.${facts.pythonMinor}`;
    const runner = remoteExecRunner(facts, process.cwd());
    let started = false;
    if (runner) {
      const script = python.writeScript('polyglot_attach.py', code);
      try {
        await remoteExec(runner, pid, script);
        started = true;
        this.emit('output', { category: 'stdout', text: `Starting the Python agent in ${version} through sys.remote_exec (PEP 768).\n`, fromDebugger: true });
      } catch (error) {
        this.emit('output', { category: 'important', text: `sys.remote_exec refused (${(error as Error).message}); starting the Python agent through gdb instead.\n` });
      }
    } else if (facts.pythonMinor !== undefined && facts.pythonMinor >= REMOTE_EXEC_MINOR) {
      this.emit('output', { category: 'important', text: `No python3.${facts.pythonMinor} on PATH to call sys.remote_exec with; starting the Python agent through gdb instead.\n` });
    }
    if (!started) {
      this.emit('output', { category: 'stdout', text: `Starting the Python agent in ${version} through gdb (a pending call, Py_AddPendingCall).\n`, fromDebugger: true });
      this.holdingNative = true;
      try {
        await this.native!.runPython(code);
      } finally {
        this.holdingNative = false;
      }
    }
    const idle = started ? 'Its main thread must run Python code for the agent to start (is it blocked in C, or idle?).' : '';
    await withTimeout(connected, PYTHON_AGENT_TIMEOUT_MS, 'The Python agent started in the process', idle);
  }

  /**
   * Leaves an attached process running as it was: a stop held is released, gdb detaches (its
   * breakpoints go), the inspector session closes (its breakpoints go) and an inspector we opened
   * is closed again; the Python agent stays loaded but idle (no breakpoints, no exception stops).
   */
  async detach(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const owner = this.owner;
    const { python, js, native } = this;
    const quiet = <T>(work: Promise<T> | undefined, what: string) => (work ? withTimeout(work, 2_000, what).catch(() => undefined) : undefined);
    if (python?.connected) {
      for (const path of this.breakpoints.pythonPaths) python.setBreakpoints(path, []);
      python.setExceptionModes([]);
      if (owner === 'python') await quiet(python.resume('continue'), 'The Python agent');
    }
    if (owner === 'js') await quiet(js?.resume(), 'node');
    if (native) {
      await native.forgetStopState().catch(() => undefined);
      await native.detach().catch((error) => this.internalFailure(error));
    }
    if (js) {
      // V8 runs again now, so it answers.
      await quiet(js.setPauseOnExceptions('none'), 'node');
      if (this.openedInspector) await quiet(js.evaluate('process._debugEnd()'), 'node');
      await js.close().catch(() => undefined);
    }
    await python?.close().catch(() => undefined);
    await native?.dispose().catch(() => undefined);
  }

  /** After the client has set its breakpoints: let the program run (or stop on entry). */
  async start(): Promise<void> {
    if (this.attachedPid !== undefined) return; // it runs already
    if (this.host === 'node') return this.js?.runIfWaitingForDebugger();
    this.owner = 'running';
    await this.native!.run();
  }

  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.python?.close().catch(() => undefined);
    await this.js?.close().catch(() => undefined);
    await this.native?.dispose().catch(() => undefined);
  }

  private compiledEntry(program: string): string {
    const ext = extname(program);
    if (ext === '.js' || ext === '.cjs' || ext === '.mjs') return program;
    const generated = this.maps?.toGenerated(program, 1)[0];
    if (!generated) {
      throw userError(
        ErrorCode.InvalidLaunchConfig,
        `Found no compiled JavaScript for ${program}. Compile it with source maps (tsc --sourceMap) and point "outFiles" at the output.`,
      );
    }
    return generated.path;
  }

  // ── engine events ───────────────────────────────────────────────────────────────────────────

  private wireNative(native: NativeEnginePort): void {
    native.on('stopped', (stop: NativeStop) => void this.onNativeStop(stop).catch((e) => this.internalFailure(e)));
    native.on('exited', (e: { exitCode?: number; signal?: string }) => this.onExit(e.exitCode ?? (e.signal ? 128 : 0)));
    native.on('library-loaded', (lib: { path: string }) => {
      if (this.userCode.isUserFile(lib.path)) void this.breakpoints.explainPendingLines(lib.path).catch((e) => this.internalFailure(e));
      if (!/koffi/.test(lib.path)) return;
      this.koffiLoaded = true;
      // Exceptions in koffi callbacks: see js-exceptions.ts. Not awaited: C holds the thread.
      if (this.jsExceptions.mode === 'uncaught') void this.js?.setPauseOnExceptions(this.jsExceptions.v8Mode()).catch(() => undefined);
    });
    native.on('breakpoint-resolved', (resolved: { number: number; path?: string; line?: number; func?: string }) => {
      const ours = this.breakpoints.resolved(resolved.number, resolved.line);
      if (ours && resolved.func) void this.entrySnapshots.watch(resolved.func, resolved.path).catch((e) => this.internalFailure(e));
    });
    native.on('fatal', (error: Error) => {
      if (this.ended) return;
      this.emit('output', { category: 'important', text: `gdb failed: ${error.message}\n` });
      this.onExit(1);
    });
  }

  private wirePython(python: PythonEnginePort): void {
    python.on('stopped', (stop: { reason: string; breakpointId?: number; text?: string }) => void this.onPythonStop(stop).catch((e) => this.internalFailure(e)));
    python.on('connected', (hello: { pid?: number; version?: number[]; events?: string }) => {
      const events = hello.events ? ` (${hello.events})` : '';
      // Information, not a warning: VS Code shows category 'console' in the warning colour.
      this.emit('output', { category: 'stdout', text: `Python ${hello.version?.join('.') ?? ''} started in the program: its agent is connected${events}.\n`, fromDebugger: true });
    });
  }

  private async onPythonStop(stop: { reason: string; breakpointId?: number; text?: string }): Promise<void> {
    const python = this.python!;
    // stopOnEntry of a .py program: the script's first line.
    if (stop.reason === 'entry') return this.reportStop({ reason: 'entry', language: 'py' }, 'python');
    const bp = stop.reason === 'breakpoint' && stop.breakpointId !== undefined ? this.breakpoints.book.byId(stop.breakpointId) : undefined;
    let facts: PythonStopFacts;
    if (stop.reason === 'breakpoint') facts = { kind: 'breakpoint', stops: !bp || (await this.shouldStopAt(bp, 'python')) };
    else if (stop.reason === 'exception') facts = { kind: 'exception' };
    else facts = { kind: 'step', inSkippedFile: this.steps.plan.ends.python && this.skip.skips((await python.stackTrace()).frames[0]?.path) };
    const verdict = pythonStopVerdict(this.steps.plan, facts);
    if (verdict.do === 'resume') return python.resume('continue');
    if (verdict.do === 'step-out') {
      this.steps.plan.librarySkips++;
      return python.resume('stepOut'); // skipFiles: on out to the caller
    }
    if (verdict.as === 'breakpoint') return this.reportStop({ reason: 'breakpoint', breakpointIds: bp ? [bp.id] : [], text: stop.text, language: 'py' }, 'python');
    if (verdict.as === 'exception') return this.reportStop({ reason: 'exception', description: 'Exception', text: stop.text, language: 'py' }, 'python');
    return this.reportStop({ reason: verdict.as, language: 'py' }, 'python');
  }

  private wireJs(js: JsEnginePort): void {
    js.on('paused', (pause: JsPause) => void this.onJsPause(pause).catch((e) => this.internalFailure(e)));
    js.on('closed', () => undefined);
  }

  private internalFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.emit('output', { category: 'important', text: `Polyglot Debug: ${message}\n` });
  }

  private onExit(exitCode: number): void {
    if (this.ended) return;
    this.owner = 'none';
    // The program's last output may still be on its way through the terminal relay.
    void this.outputSettled().then(() => {
      this.emit('exited', { exitCode });
      return this.terminate();
    }).then(() => this.emit('terminated'));
  }

  private lastOutputAt = 0;

  /** Resolves once the program's output has been quiet for a moment (at most about a second). */
  private async outputSettled(quietMs = 60, maxMs = 1_000): Promise<void> {
    const start = Date.now();
    while ((Date.now() - start < quietMs || Date.now() - this.lastOutputAt < quietMs) && Date.now() - start < maxMs) {
      await new Promise((resolveWait) => setTimeout(resolveWait, quietMs / 3));
    }
  }

  /** Where a C stop is, for just my code. */
  private placeOf(location: NativeStop['location']): NativePlace {
    if (!location?.path || location.line === undefined) return 'no-source';
    if (this.skip.skips(location.path)) return 'library'; // skipFiles: stepped through, never stopped in
    if (!this.userCode.enabled) return 'user';
    return this.userCode.isUserSource(location.path) ? 'user' : 'library';
  }

  private async onNativeStop(stop: NativeStop): Promise<void> {
    if (this.native && stop.threadId !== this.native.mainThreadId) return;
    if (this.holdingNative) return;
    const gdbStep = this.steps.takeNativeStep();
    if (stop.reason === 'exited' || stop.reason === 'exited-normally' || stop.reason === 'exited-signalled') return;
    this.lastNativeStop = stop;
    const number = stop.breakpointNumber;
    const bp = number !== undefined ? this.breakpoints.book.find({ engine: 'native', number }) : undefined;
    const signal = stop.reason === 'signal-received' ? (stop.signalName ?? 'signal') : undefined;
    // A finish that returns into code without line information stops with no reason at all.
    const stepEnded = stop.reason === 'end-stepping-range' || stop.reason === 'function-finished' || !stop.reason || stop.reason === 'unknown';
    const verdict = nativeStopVerdict({
      gdbStep: gdbStep !== null,
      entry: number !== undefined && number === this.entryBreakpoint,
      stepBreakpoint: number !== undefined && this.steps.stepBreakpoint(number),
      inSkippedFile: this.skip.skips(stop.location?.path),
      userBreakpoint: number === undefined ? undefined : { stops: !bp || (await this.shouldStopAt(bp, 'native')) },
      signal: signal === undefined ? undefined : signal === 'SIGINT' || signal === '0' || signal === 'SIGSTOP' ? 'pause' : 'exception',
      stepEnded,
      hasSource: !!stop.location?.path,
    });
    switch (verdict.do) {
      case 'resume':
        return this.steps.resumeNative(null);
      case 'carry':
        return this.steps.carryNative(gdbStep!, stop);
      case 'hand-over':
        // Returned into koffi or ctypes: the language that called the C code finishes the step.
        return this.steps.handOverFromC(await this.steps.returnLanguage());
      case 'report':
        if (verdict.as === 'entry') this.entryBreakpoint = undefined;
        if (verdict.as === 'breakpoint') {
          const reason = bp?.functionName ? 'function breakpoint' : bp?.address ? 'instruction breakpoint' : 'breakpoint';
          return this.reportStop({ reason, breakpointIds: bp ? [bp.id] : [], language: 'c' }, 'native');
        }
        if (verdict.as === 'exception') {
          const description = `${signal}${stop.signalMeaning ? ` (${stop.signalMeaning})` : ''}`;
          return this.reportStop({ reason: 'exception', description, text: `The C code received ${description}.`, language: 'c' }, 'native');
        }
        return this.reportStop({ reason: verdict.as, language: 'c' }, 'native');
    }
  }

  private async onJsPause(pause: JsPause): Promise<void> {
    this.lastJsPause = pause;
    const wasRunning = this.owner === 'running';
    const js = this.js!;
    if (pause.reason === 'Break on start') {
      if (this.config?.stopOnEntry) return this.reportStop({ reason: 'entry', language: 'js' }, 'js');
      return void js.resume().catch(() => undefined); // the program may be ending
    }
    let facts: JsPauseFacts;
    let description: string | undefined;
    let bp: UserBreakpoint | undefined;
    if (pause.reason === 'exception' || pause.reason === 'promiseRejection') {
      const decided = await this.jsExceptions.decide(pause);
      if (decided.report) description = decided.description;
      facts = { kind: 'exception', reported: decided.report };
    } else if (pause.hitBreakpoints.length > 0) {
      const lookUp = () => pause.hitBreakpoints.map((id) => this.breakpoints.book.find({ engine: 'js', id })).find((b) => b);
      // V8's answer to a breakpoint request can arrive in the same read as the pause it causes.
      bp = lookUp() ?? (await this.breakpoints.placed(), lookUp());
      facts = { kind: 'breakpoint', stops: !bp || (await this.shouldStopAt(bp, 'js')), wasRunning };
    } else {
      const top = pause.callFrames[0];
      const inLibrary = !!top && (isLibraryScript(top.url) || this.skip.skips(this.maps?.toOriginal(top.url, top.line, top.column)?.path ?? top.url));
      facts = { kind: 'plain', inLibrary };
    }
    const verdict = jsPauseVerdict(this.steps.plan, facts);
    if (verdict.do === 'resume') return void js.resume().catch(() => undefined); // the program may be ending
    if (verdict.do === 'step-out') {
      this.steps.plan.librarySkips++;
      return void js.stepOut().catch(() => undefined);
    }
    if (verdict.as === 'exception') return this.reportStop({ reason: 'exception', description, text: pause.exceptionText, language: 'js' }, 'js');
    if (verdict.as === 'breakpoint') return this.reportStop({ reason: 'breakpoint', breakpointIds: bp ? [bp.id] : [], language: 'js' }, 'js');
    return this.reportStop({ reason: verdict.as, language: 'js' }, 'js');
  }

  /** A stop is shown: the step plan in flight ends with everything it armed. */
  private async reportStop(stop: CoreStop, owner: 'native' | 'js' | 'python'): Promise<void> {
    await this.steps.end();
    this.pythonLocalsFromOutside.clear();
    this.owner = owner;
    this.lastStop = stop;
    this.stack = null;
    this.emit('stopped', stop);
  }

  /** A breakpoint's condition passed in the engine; now its hit condition and logpoint. */
  private async shouldStopAt(bp: UserBreakpoint, where: 'native' | 'js' | 'python'): Promise<boolean> {
    if (!this.breakpoints.book.countHit(bp)) return false;
    if (!bp.log) return true;
    const text = await renderLogMessage(bp.log, async (expression) => {
      if (where === 'js') {
        const frame = this.lastJsPause?.callFrames[0];
        return (await this.js!.evaluate(expression, frame?.callFrameId)).value;
      }
      if (where === 'python') return (await this.python!.evaluate(expression, 0)).value;
      return (await this.native!.evaluate(this.native!.mainThreadId, 0, expression)).value;
    });
    // A logpoint's message is the program's log, as console.log would print it (not a warning).
    this.emit('output', { category: 'stdout', text: text + '\n', source: bp.path ? { path: bp.path, line: bp.line } : undefined });
    return false;
  }

  // ── breakpoints (placed by breakpoint-placement.ts) ─────────────────────────────────────────

  setBreakpoints(path: string, requests: BreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.breakpoints.setBreakpoints(path, requests);
  }

  setFunctionBreakpoints(requests: { name: string; condition?: string; hitCondition?: string }[]): Promise<BreakpointResult[]> {
    return this.breakpoints.setFunctionBreakpoints(requests);
  }

  setInstructionBreakpoints(requests: { address: bigint; condition?: string; hitCondition?: string }[]): Promise<BreakpointResult[]> {
    return this.breakpoints.setInstructionBreakpoints(requests);
  }

  async setExceptionFilters(filters: string[]): Promise<void> {
    const pythonModes = { 'py-raised': 'raised', 'py-uncaught': 'uncaught', 'py-user-uncaught': 'userUncaught' } as const;
    this.python?.setExceptionModes(filters.flatMap((f) => (f in pythonModes ? [pythonModes[f as keyof typeof pythonModes]] : [])));
    this.jsExceptions.mode = filters.includes('js-all') ? 'all' : filters.includes('js-uncaught') ? 'uncaught' : 'none';
    const sent = this.js?.setPauseOnExceptions(this.jsExceptions.v8Mode());
    // Not awaited while C holds the thread: V8 takes it when JavaScript next runs.
    if (this.owner === 'js' || this.owner === 'none') await sent;
    else void sent?.catch(() => undefined);
  }

  // ── execution control ───────────────────────────────────────────────────────────────────────

  private requireStopped(): 'native' | 'js' | 'python' {
    if (this.owner !== 'native' && this.owner !== 'js' && this.owner !== 'python') throw userError(ErrorCode.NotStopped, 'The program is running; pause it first.');
    return this.owner;
  }

  private async resumeAs(action: () => Promise<void>): Promise<void> {
    const held = this.owner === 'native' || this.owner === 'python';
    this.owner = 'running';
    this.stack = null;
    this.emit('continued');
    // What was sent to V8 while C or Python held the thread (breakpoints, exception filters) is in
    // its hands before JavaScript can run: the callback C calls next already stops.
    if (held) await this.js?.takenIn();
    await action();
  }

  async continue(): Promise<void> {
    const owner = this.requireStopped();
    this.steps.continue();
    if (owner === 'native') await this.resumeAs(() => this.steps.resumeNative(null));
    else if (owner === 'python') await this.resumeAs(() => this.python!.resume('continue'));
    else await this.resumeAs(() => this.js!.resume());
  }

  /** Steps: the plan for where the step starts (steps/boundaries.ts), carried out by the stepper. */
  async next(granularity: Granularity = 'statement'): Promise<void> {
    return this.step('over', granularity);
  }

  async stepIn(granularity: Granularity = 'statement'): Promise<void> {
    return this.step('in', granularity);
  }

  async stepOut(): Promise<void> {
    return this.step('out', 'statement');
  }

  private async step(kind: StepKind, granularity: Granularity): Promise<void> {
    const owner = this.requireStopped();
    if (owner === 'python') return this.steps.fromPython(kind);
    if (owner === 'js') return this.steps.fromJs(kind);
    if (kind === 'out') return this.steps.outOfC();
    return this.steps.fromC(kind, granularity === 'instruction');
  }

  async pause(): Promise<void> {
    if (this.owner !== 'running') return;
    this.steps.pause(!!this.js);
    if (!this.js) {
      // No JavaScript to pause at: stop the thread in gdb at once.
      await this.native?.interrupt(this.native.mainThreadId).catch(() => undefined);
      return;
    }
    const plan = this.steps.plan;
    await this.steps.queueJsPause();
    // Busy in C, the thread runs no JS: stop it in gdb instead.
    setTimeout(() => {
      if (this.owner === 'running' && this.steps.plan === plan) {
        plan.ends.js = false;
        void this.native?.interrupt(this.native.mainThreadId).catch(() => undefined);
      }
    }, 300).unref();
  }

  /**
   * Arguments and locals of a C frame below the frame that holds the thread (a paused JavaScript
   * or Python frame, whose engine keeps the thread waiting in its own loop): gdb holds the thread
   * for a moment, finds the frame again by its address in a fresh walk and reads it. Values only:
   * gdb's var objects end with the hold, so structs show printed, not expandable. Null when the
   * frame is no longer on the stack.
   */
  async heldFrameVariables(frame: Extract<StackItem, { kind: 'c' }>): Promise<NativeVariable[] | null> {
    const items = await this.stackTrace();
    const occurrence = items.slice(0, items.indexOf(frame)).filter((i) => i.kind === 'c' && i.pc === frame.pc).length;
    const read = this.heldReads.then(() =>
      this.withNativeThreadHeld(async () => {
        const native = this.native!;
        const walk = await native.physicalStack(native.mainThreadId, { jsNames: false });
        const found = walk.filter((f) => f.kind === 'native' && f.pc === frame.pc)[occurrence];
        if (found?.kind !== 'native' || found.level === undefined) return null;
        const values = await native.variables(native.mainThreadId, found.level);
        return values.map(({ name, value, type }) => ({ name, value, type }));
      }),
    );
    this.heldReads = read.catch(() => undefined);
    return read;
  }

  private heldReads: Promise<unknown> = Promise.resolve();

  /** Stops the main thread in gdb (it is inside V8's pause loop), runs `fn`, lets it go on. */
  private async withNativeThreadHeld<T>(fn: () => Promise<T>): Promise<T> {
    const native = this.native!;
    this.holdingNative = true;
    try {
      await native.interrupt(native.mainThreadId);
      try {
        return await fn();
      } finally {
        await native.forgetStopState();
        await native.continue(native.mainThreadId);
      }
    } finally {
      this.holdingNative = false;
    }
  }

  // ── stack ───────────────────────────────────────────────────────────────────────────────────

  /** The stitched stack of the current stop (computed once per stop). */
  stackTrace(): Promise<StackItem[]> {
    if (!this.stack) this.stack = this.computeStack().then(nameUnnamedJsFrames).then((items) => markSkipped(items, this.skip));
    return this.stack;
  }

  /** C built without -g in the user's own libraries (or the native program itself) keeps its frames. */
  private readonly stitchOptions = {
    isUserModule: (module: string | undefined) => (module === undefined ? this.host === 'native' : this.userCode.isUserFile(module)),
  };

  private async computeStack(): Promise<StackItem[]> {
    const map = (url: string, line: number, column: number) => this.maps?.toOriginal(url, line, column);
    if (this.owner === 'native') {
      if (this.entrySource) prepareFrameNames(this.entrySource);
      this.entrySource = undefined;
      const physical = await this.native!.physicalStack(this.native!.mainThreadId, { jsNames: true });
      return stitchNativeStop(await this.withPythonFromOutside(physical), map, this.stitchOptions);
    }
    if (this.owner === 'python') {
      const python = await this.python!.stackTrace();
      const frames: PythonFrameInfo[] = python.frames.map((f) => ({ ...f, agentFrameId: f.id }));
      const physical = await this.physicalUnderPython(python.frames);
      if (physical.length === 0) return stitchPythonStop(frames.map((f) => pythonFrame(f)), map, this.stitchOptions);
      return stitchPythonStop(insertPythonFrames(physical, frames, python.agentEntries, python.layout?.version), map, this.stitchOptions);
    }
    if (this.owner === 'js') {
      const live = this.lastJsPause?.callFrames ?? [];
      let physical: PhysicalFrame[] | undefined;
      if (this.koffiLoaded && this.native && (await this.callerSitsOnFfiCall(live))) {
        physical = await this.withNativeThreadHeld(() => this.native!.physicalStack(this.native!.mainThreadId, { jsNames: false })).catch(() => undefined);
      }
      return stitchJsStop(live, physical && (await this.withPythonFromOutside(physical)), map, this.stitchOptions);
    }
    return [];
  }

  /**
   * The physical walk for a Python stop. Steps within the same Python code leave everything below
   * it unchanged: while the outermost Python frame and the number of C-level evaluations are the
   * same, the last walk serves again, which keeps Python steps free of gdb.
   */
  private async physicalUnderPython(frames: readonly { key?: number; entry: boolean | null }[]): Promise<PhysicalFrame[]> {
    const shape = `${frames.at(-1)?.key ?? '?'}:${frames.filter((f) => f.entry).length}:${frames.length > 0 && frames.every((f) => f.entry !== null)}`;
    if (this.pythonWalk?.shape === shape) return this.pythonWalk.physical;
    const physical = await this.withNativeThreadHeld(() => this.native!.physicalStack(this.native!.mainThreadId, { jsNames: true })).catch(() => [] as PhysicalFrame[]);
    this.pythonWalk = { shape, physical };
    return physical;
  }

  private pythonWalk: { shape: string; physical: PhysicalFrame[] } | null = null;

  /** Python frames in a walk taken while stopped in C or JS, from the agent's own thread. */
  private async withPythonFromOutside(physical: PhysicalFrame[]): Promise<PhysicalFrame[]> {
    if (!this.python?.connected) return physical;
    const evaluations = physical.some(isPythonEvaluation);
    // No evaluation frame but the interpreter's API on the stack: Python may run there unnamed.
    if (!evaluations && !physical.some(callsIntoPython)) return physical;
    const outside = await this.python.framesFromOutside();
    if (!outside) return physical;
    if (!evaluations) return [...physical, ...unplacedPythonNotice(outside.frames, outside.layout?.version)];
    outside.frames.forEach((frame, index) => this.pythonLocalsFromOutside.set(`${frame.path}:${frame.line}:${frame.name}`, outside.variables[index] ?? []));
    return insertPythonFrames(physical, outside.frames, 0, outside.layout?.version);
  }

  /**
   * Whether C code may lie between the paused JS frames: some caller frame is on a line that calls
   * a koffi function (the callback's way in). Only then is the thread held for a physical walk,
   * so plain JS steps cost what V8's steps cost.
   */
  private async callerSitsOnFfiCall(live: readonly JsCallFrame[]): Promise<boolean> {
    for (const frame of live.slice(1)) {
      const original = this.maps?.toOriginal(frame.url, frame.line, frame.column);
      const path = original?.path ?? urlToPath(frame.url);
      if (path && (await ffiSymbolsCalledOnLine(path, original?.line ?? frame.line)).length > 0) return true;
    }
    return false;
  }

  /** The text of a script without a file (node's internal modules): V8 gives it while it holds the thread. */
  async scriptSource(url: string): Promise<string> {
    if (this.owner !== 'js' || !this.js) {
      throw userError(ErrorCode.NotStopped, `${url} is node's own code, inside the node binary: its text can be shown while JavaScript is paused, not while ${this.owner === 'native' ? 'C' : this.owner === 'python' ? 'Python' : 'the program'} holds the thread.`);
    }
    const text = await this.js.scriptSource(url);
    if (text === undefined) throw userError(ErrorCode.Unsupported, `V8 does not know the script ${url}.`);
    return text;
  }

  get currentStop(): CoreStop | null {
    return this.lastStop;
  }

  get currentNativeStop(): NativeStop | null {
    return this.lastNativeStop;
  }

}

/** A program that loads koffi must find it; say how to install it rather than fail inside node. */
function checkKoffiInstalled(entry: string): void {
  let source = '';
  try {
    source = readFileSync(entry, 'utf8');
  } catch {
    return;
  }
  if (!/require\(\s*['"]koffi['"]\s*\)|from\s+['"]koffi['"]/.test(source)) return;
  try {
    createRequire(entry).resolve('koffi');
  } catch {
    throw userError(ErrorCode.KoffiMissing, `${entry} loads koffi, which is not installed for it. Run \`npm install koffi\` in ${dirname(entry)} (or its project).`);
  }
}

/** The user's code of a launch: cwd, the program's folder and the listed paths (see user-code.ts). */
function userCodeOf(config: LaunchConfig, cwd: string, program: string): UserCode {
  const roots = [cwd, dirname(program), ...(config.userCodePaths ?? []).map((p) => resolve(cwd, p))];
  return new UserCode(roots, config.justMyCode !== false);
}
