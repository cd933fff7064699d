// A Chrome DevTools Protocol connection to node's inspector over a WebSocket, typed by
// devtools-protocol. Every failure names the method that failed; a closed socket fails
// everything pending at once.
//
// node's inspector socket has Nagle's algorithm on: a message written while an earlier one is
// unacknowledged waits for our ACK, which Linux delays by ~40 ms, so a step would cost ~44 ms.
// The cure is TCP_QUICKACK (see quick-ack.ts); where it cannot be had, we acknowledge early by
// sending tiny no-op commands (armAckProbes), which helps less: the inspector accepts only text
// frames (a ping or pong closes the connection), so every probe has an answer of its own.
//
// While gdb or the Python agent holds the main thread, V8 cannot answer; what a request was sent for
// happens only if node's inspector thread has handed it to the main thread before the main thread
// runs JavaScript again: takenIn() (inspector-intake.ts) says when it has.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import WebSocket from 'ws';
import { ErrorCode, userError } from '../common/errors';
import { inspectorHasRead } from './inspector-intake';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;

export class CdpConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedError: Error | null = null;
  /** Requests sent and not answered that node's inspector thread may not have read yet. */
  private readonly untaken = new Set<number>();
  /** Settles once the last message sent is written to the socket. */
  private lastWrite: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ws: WebSocket,
    private readonly url: string,
    private readonly log?: (line: string) => void,
  ) {
    super();
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => this.fail(userError(ErrorCode.EngineExited, 'The node inspector connection closed.')));
    ws.on('error', (error) => this.fail(userError(ErrorCode.InspectorFailed, `The node inspector connection failed: ${error.message}`)));
  }

  static async connect(url: string, options: { log?: (line: string) => void; ackFix?: boolean; quickAck?: ((fd: number) => void) | null } = {}): Promise<CdpConnection> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (error) => reject(userError(ErrorCode.InspectorFailed, `Could not connect to the node inspector at ${url}: ${error.message}`)));
    });
    const socket = (ws as unknown as { _socket?: Socket })._socket;
    socket?.setNoDelay(true);
    const connection = new CdpConnection(ws, url, options.log);
    const fd = (socket as unknown as { _handle?: { fd?: number } } | undefined)?._handle?.fd;
    if (socket && options.ackFix !== false) {
      if (options.quickAck && fd !== undefined && fd >= 0) {
        const quickAck = options.quickAck;
        quickAck(fd);
        // The kernel drops out of quick-ACK mode on its own; re-arm after every read.
        socket.on('data', () => quickAck(fd));
      } else {
        connection.armAckProbes(socket);
      }
    }
    return connection;
  }

  private readonly ackProbes = new Set<number>();
  private sawRealMessage = false;
  /** Set while an answer we wait for (a pause after a step) may sit behind an unacknowledged write. */
  awaitingEvent = false;

  /**
   * After every read that brought a real message, send one tiny no-op command: the ACK for that
   * read rides on it at once, so whatever node's inspector holds back behind it follows without
   * the ~40 ms delayed-ACK wait. A read holding nothing but probes' answers sends another only
   * while a step is waiting for its pause (the probe's own answer must be acknowledged too), so
   * when the program runs freely the probes stop by themselves.
   */
  private armAckProbes(socket: Socket): void {
    // Registered after ws's own listener: by now the read's messages have been dispatched.
    socket.on('data', () => {
      if ((!this.sawRealMessage && !this.awaitingEvent) || this.closedError) return;
      this.sawRealMessage = false;
      const id = this.nextId++;
      this.ackProbes.add(id);
      this.ws.send(`{"id":${id},"method":"Runtime.getIsolateId"}`);
    });
  }

  get isClosed(): boolean {
    return this.closedError !== null;
  }

  send<M extends keyof Commands>(method: M, ...params: Commands[M]['paramsType']): Promise<Commands[M]['returnType']> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const failure = new Error(`${method} failed`);
    const message = JSON.stringify({ id, method, params: params[0] ?? {} });
    this.log?.(`→ ${message.slice(0, 500)}`);
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject: (error) => {
          failure.message = `${method}: ${error.message}`;
          reject(failure);
        },
      });
      this.untaken.add(id);
      this.write(message);
    });
  }

  private write(message: string): void {
    this.lastWrite = new Promise((resolve) => this.ws.send(message, () => resolve()));
  }

  /**
   * Resolves once node's inspector thread has read every request sent so far and so handed it to
   * the main thread, which acts on it at its next function entry or loop (V8's interrupt check).
   * At once when each has been answered.
   */
  async takenIn(): Promise<void> {
    if (this.untaken.size === 0 || this.closedError) return;
    const sent = [...this.untaken];
    await this.lastWrite;
    await inspectorHasRead(this.url);
    for (const id of sent) this.untaken.delete(id);
  }

  /** Sends without waiting for the answer (for requests the debuggee answers only later). */
  post<M extends keyof Commands>(method: M, ...params: Commands[M]['paramsType']): void {
    if (this.closedError) return;
    const id = this.nextId++;
    this.untaken.add(id);
    this.write(JSON.stringify({ id, method, params: params[0] ?? {} }));
  }

  onEvent<E extends keyof Events>(method: E, listener: (...params: Events[E]) => void): void {
    this.on(method, listener as (...args: unknown[]) => void);
  }

  private onMessage(text: string): void {
    this.log?.(`← ${text.slice(0, 500)}`);
    const message = JSON.parse(text) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (message.id !== undefined && this.ackProbes.delete(message.id)) return;
    this.sawRealMessage = true;
    if (message.id !== undefined) {
      this.untaken.delete(message.id);
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
    } else if (message.method) {
      this.emit(message.method, message.params);
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    this.untaken.clear();
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.emit('closed');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}
