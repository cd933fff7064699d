// One JSON-lines connection from the in-process Python agent (agent/polyglot_agent.py): requests
// with ids and a pending promise each, events, and a closed connection failing what is pending.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ErrorCode, userError } from '../common/errors';

export interface AgentMessage {
  id?: number;
  ok?: boolean;
  body?: unknown;
  error?: string;
  event?: string;
}

export class AgentChannel extends EventEmitter {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { command: string; resolve: (body: unknown) => void; reject: (error: Error) => void }>();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly log?: (line: string) => void,
  ) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Lines that came before this channel took the socket over (the hello). */
  feed(text: string): void {
    this.onData(text);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.log?.(`py← ${line}`);
      let message: AgentMessage;
      try {
        message = JSON.parse(line) as AgentMessage;
      } catch {
        continue; // not ours: the agent writes nothing else, so ignore rather than fail
      }
      if (message.event) this.emit('event', message);
      else if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiter) continue;
        if (message.ok) waiter.resolve(message.body ?? {});
        else waiter.reject(userError(ErrorCode.EvaluateFailed, `Python: ${message.error ?? `${waiter.command} failed`}`));
      }
    }
  }

  request<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(userError(ErrorCode.EngineExited, 'The Python agent has disconnected.'));
    const id = this.nextId++;
    const line = JSON.stringify({ id, command, arguments: args });
    this.log?.(`py→ ${line}`);
    this.socket.write(line + '\n');
    return new Promise<T>((resolve, reject) => this.pending.set(id, { command, resolve: resolve as (body: unknown) => void, reject }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = userError(ErrorCode.EngineExited, 'The Python agent has disconnected.');
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.socket.destroy();
    this.emit('closed');
  }
}
