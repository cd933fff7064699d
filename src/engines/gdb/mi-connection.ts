// A gdb process speaking MI3 on its stdin/stdout: numbered commands with a pending promise each
// (an error names the command that failed), async records as events, console output captured per
// command. gdb dying fails everything pending at once: nothing waits forever on a dead engine.

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ErrorCode, internalError, userError } from '../common/errors';
import { parseMiLine, quoteMiArg, type MiRecord, type MiTuple } from './mi-parser';

/** gdb answered ^error: the message names the command and says what gdb said. */
export class MiCommandError extends Error {
  gdbMessage = '';

  constructor(readonly command: string) {
    super(`gdb: ${command} failed`);
    this.name = 'MiCommandError';
  }

  withGdbMessage(message: string): this {
    this.gdbMessage = message;
    this.message = `gdb: ${this.command}: ${message}`;
    return this;
  }
}

interface Pending {
  command: string;
  console: string[];
  /** gdb's log stream while the command ran: where an internal error says what went wrong. */
  log: string[];
  resolve: (value: { results: MiTuple; console: string }) => void;
  reject: (error: Error) => void;
}

export class MiConnection extends EventEmitter {
  private nextToken = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private closed: Error | null = null;
  /** Set by close(): gdb leaving is then expected, not a failure to report. */
  private closing = false;
  readonly process: ChildProcess;
  /** fd 3 of gdb: a socket our gdb Python helper relays the debuggee's terminal through. */
  readonly relay: Duplex;

  constructor(gdbPath: string, private readonly log?: (line: string) => void) {
    super();
    this.process = spawn(gdbPath, ['--interpreter=mi3', '-nx', '-q'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    this.relay = this.process.stdio[3] as Duplex;
    // A gdb that never started or already died: writes fail, and the 'error'/'exit' handlers report it.
    this.process.stdin!.on('error', () => undefined);
    this.relay.on('error', () => undefined);
    this.process.stdout!.setEncoding('utf8');
    this.process.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.process.stderr!.setEncoding('utf8');
    this.process.stderr!.on('data', (text: string) => this.emit('stderr', text));
    this.process.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'ENOENT'
          ? userError(
              ErrorCode.GdbNotFound,
              `gdb not found (${gdbPath.includes('/') ? gdbPath : `"${gdbPath}" on PATH`}); install it with \`sudo apt-get install gdb\` or set \`gdbPath\` in the launch configuration.`,
            )
          : userError(ErrorCode.EngineExited, `gdb could not start: ${error.message}`);
      this.fail(reason);
    });
    this.process.on('exit', (code, signal) =>
      this.fail(userError(ErrorCode.EngineExited, `gdb exited unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`}).`)),
    );
  }

  get isClosed(): boolean {
    return this.closed !== null;
  }

  /** Sends `operation args…` (each argument MI-quoted) and resolves with the result record's values. */
  async command(operation: string, ...args: string[]): Promise<MiTuple> {
    return (await this.send(operation, args)).results;
  }

  /** Sends `operation text` with `text` unquoted, for the commands that take the rest of the line as is. */
  async rawCommand(operation: string, text: string): Promise<MiTuple> {
    if (/[\r\n]/.test(text)) throw internalError(`${operation}: a line break cannot be passed to gdb`);
    return (await this.send(operation, [], text)).results;
  }

  /** Runs a CLI command and returns what it printed on gdb's console. */
  async consoleCommand(cli: string, options: { thread?: number; frame?: number } = {}): Promise<string> {
    const args: string[] = [];
    if (options.thread !== undefined) args.push('--thread', String(options.thread));
    if (options.frame !== undefined) args.push('--frame', String(options.frame));
    return (await this.send('-interpreter-exec', [...args, 'console', cli])).console;
  }

  private send(operation: string, args: string[], raw = ''): Promise<{ results: MiTuple; console: string }> {
    if (this.closed) return Promise.reject(this.closed);
    const token = this.nextToken++;
    const quoted = args.map(quoteMiArg).join(' ');
    const line = [`${token}${operation}`, quoted, raw].filter((part) => part !== '').join(' ');
    // Created here so that a failure's stack shows who sent the command.
    const failure = new MiCommandError(line.replace(/^\d+/, ''));
    return new Promise((resolve, reject) => {
      this.pending.set(token, {
        command: line,
        console: [],
        log: [],
        resolve,
        reject: (error) => reject(error instanceof MiCommandError ? failure.withGdbMessage(error.gdbMessage) : error),
      });
      this.log?.(`→ ${line}`);
      this.process.stdin!.write(line + '\n');
    });
  }

  private onData(chunk: string): void {
    // gdb writes console records a character at a time: a long line comes in many small chunks,
    // so only the new chunk is searched for its end.
    let newline = chunk.indexOf('\n');
    this.buffer += chunk;
    if (newline < 0) return;
    newline += this.buffer.length - chunk.length;
    for (; newline >= 0; newline = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      this.log?.(`← ${line}`);
      const record = parseMiLine(line);
      if (record) this.onRecord(record);
      else this.emit('console', line + '\n');
    }
  }

  private onRecord(record: MiRecord): void {
    switch (record.kind) {
      case 'result': {
        const pending = record.token !== undefined ? this.pending.get(record.token) : undefined;
        if (!pending) return;
        this.pending.delete(record.token!);
        if (record.cls === 'error') {
          const message = typeof record.results.msg === 'string' ? record.results.msg : 'unknown error';
          pending.reject(new MiCommandError(pending.command).withGdbMessage(internalErrorOf(pending.log.join('')) ?? message));
        } else {
          pending.resolve({ results: record.results, console: pending.console.join('') });
        }
        return;
      }
      case 'console':
      case 'log': {
        // Console output belongs to the oldest command still waiting (gdb runs them in order).
        const oldest = this.pending.values().next().value as Pending | undefined;
        if (oldest && record.kind === 'console') oldest.console.push(record.text);
        else {
          oldest?.log.push(record.text);
          this.emit('console', record.text);
        }
        return;
      }
      case 'target':
        this.emit('target-output', record.text);
        return;
      case 'exec':
      case 'status':
      case 'notify':
        this.emit('async', record);
        return;
      case 'prompt':
        return;
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    if (!this.closing) this.emit('closed', error);
  }

  /** Asks gdb to quit; kills it if it has not gone within `graceMs`. */
  async close(graceMs = 1500): Promise<void> {
    this.closing = true;
    if (this.process.exitCode !== null || this.process.signalCode !== null || this.process.pid === undefined) return;
    const gone = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (!this.closed) this.process.stdin!.write('-gdb-exit\n');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * gdb's internal errors and warnings (which we tell gdb not to quit on, see gdb-engine.ts) abort
 * the command with "Command aborted."; the log says what happened: "gdb error: <where>: <what>".
 */
export function internalErrorOf(log: string): string | undefined {
  const match = /([^\s]+:\d+): internal-(error|warning): ([^\n]*)/.exec(log);
  if (!match) return undefined;
  const where = match[1]!.split('/gdb/').pop();
  return `gdb error (internal ${match[2]} in ${where}): ${match[3]!.trim()}`;
}

export function assertAlive(connection: MiConnection): void {
  if (connection.isClosed) throw internalError('gdb is no longer running');
}
