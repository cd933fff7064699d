// The Python engine: a private Unix socket the in-process agent connects back to, from any
// interpreter the debuggee embeds (the agent starts from sitecustomize.py, put first on the
// debuggee's PYTHONPATH). The socket sits in a 0700 directory and every connection must present the
// random token the debuggee got in its environment, so nothing else can drive the agent.
//
// The control connection belongs to the thread running Python: while it is stopped, requests are
// answered at once; while it runs, they are read at the next Python call. The inspect connection is
// served by the agent's own thread and answers about the main thread's frames while it is stopped in
// C or JavaScript — if the GIL is free, which is why its requests have a deadline.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { withTimeout } from '../common/errors';
import { AgentChannel, type AgentMessage } from './agent-channel';

export interface PythonFrame {
  id: number;
  name: string;
  path: string;
  line: number;
  /** Entered from C (null: the layout of this Python version is unknown to the agent). */
  entry: boolean | null;
  /** The top frame only: whether its line can return or yield, so a step may leave the frame. */
  mayLeave?: boolean;
}

export interface PythonVariable {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
}

export interface PythonStop {
  reason: 'breakpoint' | 'step' | 'exception';
  breakpointId?: number;
  text?: string;
  threadId: number;
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

interface PythonStack {
  frames: PythonFrame[];
  agentEntries: number;
  layout?: PythonLayout;
}

export interface PythonBreakpoint {
  id: number;
  line: number;
  condition?: string;
}

/** Where the agent's files are: beside the bundle (dist/python-agent) or in the sources. */
function agentDirectory(): string {
  const candidates = [join(__dirname, 'python-agent'), join(__dirname, 'agent'), join(__dirname, '..', '..', '..', 'dist', 'python-agent')];
  return candidates.find((dir) => existsSync(join(dir, 'polyglot_agent.py'))) ?? candidates[0]!;
}

export class PythonEngine extends EventEmitter {
  private readonly dir = mkdtempSync(join(tmpdir(), 'polyglot-py-'));
  private readonly address = join(this.dir, 'agent.sock');
  private readonly token = randomBytes(32).toString('hex');
  private readonly server: Server;
  private control: AgentChannel | null = null;
  private inspect: AgentChannel | null = null;
  private readonly breakpoints = new Map<string, PythonBreakpoint[]>();
  private exceptionModes: readonly PythonExceptionMode[] = [];
  private entryPath: string | undefined;

  private constructor(private readonly log?: (line: string) => void) {
    super();
    this.server = createServer((socket) => this.onConnection(socket));
  }

  static async start(log?: (line: string) => void): Promise<PythonEngine> {
    const engine = new PythonEngine(log);
    await new Promise<void>((resolve, reject) => {
      engine.server.once('error', reject);
      // mkdtemp made the directory 0700: only this user reaches the socket inside it.
      engine.server.listen(engine.address, () => resolve());
    });
    return engine;
  }

  /** What the debuggee's environment needs so that any interpreter it starts connects here. */
  environment(existingPythonPath: string | undefined): Record<string, string> {
    const path = [agentDirectory(), ...(existingPythonPath ? existingPythonPath.split(delimiter) : [])].join(delimiter);
    return { PYTHONPATH: path, POLYGLOT_PYTHON_AGENT: this.address, POLYGLOT_PYTHON_TOKEN: this.token };
  }

  get connected(): boolean {
    return !!this.control && !this.control.isClosed;
  }

  private onConnection(socket: Socket): void {
    let received = '';
    const onHello = (chunk: Buffer): void => {
      received += chunk.toString('utf8');
      const newline = received.indexOf('\n');
      if (newline < 0) {
        if (received.length > 4096) socket.destroy();
        return;
      }
      socket.off('data', onHello);
      let hello: AgentMessage & { body?: { token?: string; role?: string; pid?: number; version?: number[]; events?: string } };
      try {
        hello = JSON.parse(received.slice(0, newline));
      } catch {
        socket.destroy();
        return;
      }
      const token = Buffer.from(hello.body?.token ?? '');
      const expected = Buffer.from(this.token);
      if (hello.event !== 'hello' || token.length !== expected.length || !timingSafeEqual(token, expected)) {
        socket.destroy(); // not our agent
        return;
      }
      const channel = new AgentChannel(socket, this.log);
      channel.feed(received.slice(newline + 1));
      if (hello.body?.role === 'inspect') {
        this.inspect = channel;
        return;
      }
      this.control = channel;
      channel.on('event', (message: AgentMessage) => {
        if (message.event === 'stopped') {
          this.stopStack = null;
          this.emit('stopped', message.body as PythonStop);
        }
      });
      channel.on('closed', () => this.emit('disconnected'));
      void this.configure(channel).then(() => this.emit('connected', { pid: hello.body?.pid, version: hello.body?.version, events: hello.body?.events }));
    };
    socket.on('data', onHello);
    socket.on('error', () => socket.destroy());
  }

  /** The agent waits for this before the interpreter runs any user code. */
  private async configure(channel: AgentChannel): Promise<void> {
    for (const [path, breakpoints] of this.breakpoints) await channel.request('setBreakpoints', { path, breakpoints });
    const entry = this.entryPath;
    this.entryPath = undefined; // the program's interpreter only, not one it starts later
    if (entry) await channel.request('stopOnEntry', { path: entry });
    await channel.request('setExceptionMode', { modes: this.exceptionModes });
    await channel.request('configured');
  }

  /** Sent now; the agent takes it at its next Python call (or at once while stopped). Not awaited. */
  setBreakpoints(path: string, breakpoints: PythonBreakpoint[]): void {
    this.breakpoints.set(path, breakpoints);
    void this.control?.request('setBreakpoints', { path, breakpoints }).catch(() => undefined);
  }

  /** Writes a file into this engine's private directory (removed at close); returns its path. */
  writeScript(name: string, text: string): string {
    const path = join(this.dir, basename(name));
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  }

  /** The first interpreter that connects stops (reason `entry`) on the first line it runs of `path`. */
  stopOnEntry(path: string): void {
    this.entryPath = path;
  }

  setExceptionModes(modes: readonly PythonExceptionMode[]): void {
    this.exceptionModes = modes;
    void this.control?.request('setExceptionMode', { modes }).catch(() => undefined);
  }

  // ── while stopped in Python ──

  private controlChannel(): AgentChannel {
    if (!this.control || this.control.isClosed) throw new Error('The Python agent is not connected.');
    return this.control;
  }

  /** The stopped thread's Python frames, innermost first; `agentEntries`: C-level evaluations of the agent's own above them. */
  /** Asked once per stop (a step asks before it resumes, the stack view again): the answer is kept until the thread runs. */
  stackTrace(): Promise<PythonStack> {
    this.stopStack ??= this.controlChannel().request<PythonStack>('stackTrace');
    return this.stopStack;
  }

  private stopStack: Promise<PythonStack> | null = null;

  async scopes(frameId: number): Promise<{ name: string; variablesReference: number; presentationHint?: string; expensive?: boolean }[]> {
    return (await this.controlChannel().request<{ scopes: { name: string; variablesReference: number }[] }>('scopes', { frameId })).scopes;
  }

  async variables(variablesReference: number): Promise<PythonVariable[]> {
    return (await this.controlChannel().request<{ variables: PythonVariable[] }>('variables', { variablesReference })).variables;
  }

  evaluate(expression: string, frameId: number): Promise<PythonVariable> {
    return this.controlChannel().request<PythonVariable>('evaluate', { expression, frameId });
  }

  setVariable(frameId: number, name: string, value: string): Promise<PythonVariable> {
    return this.controlChannel().request<PythonVariable>('setVariable', { frameId, name, value });
  }

  async resume(kind: 'continue' | 'next' | 'stepIn' | 'stepOut'): Promise<void> {
    this.stopStack = null;
    await this.controlChannel().request(kind);
  }

  /** Stop at the next Python line the program runs: read at its next Python call. Not awaited. */
  queueStepIn(): void {
    void this.control?.request('stepInNext').catch(() => undefined);
  }

  // ── while stopped elsewhere ──

  /** The main thread's Python frames (and their locals), or null when the agent cannot answer in time. */
  async framesFromOutside(timeoutMs = 300): Promise<{ frames: PythonFrame[]; variables: PythonVariable[][]; layout?: PythonLayout } | null> {
    if (!this.inspect || this.inspect.isClosed) return null;
    type Answer = { frames: PythonFrame[]; variables: PythonVariable[][]; layout?: PythonLayout };
    return withTimeout(this.inspect.request<Answer>('frames'), timeoutMs, 'The Python agent').catch(() => null);
  }

  /** Stop at the next Python line the main thread runs (a step from C into Python). */
  async stepInNext(timeoutMs = 300): Promise<boolean> {
    if (!this.inspect || this.inspect.isClosed) return false;
    return withTimeout(this.inspect.request('pendingStepIn'), timeoutMs, 'The Python agent').then(() => true, () => false);
  }

  async close(): Promise<void> {
    this.control?.close();
    this.inspect?.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
