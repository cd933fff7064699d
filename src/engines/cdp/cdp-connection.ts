// A Chrome DevTools Protocol connection to node's inspector over a WebSocket, typed by
// devtools-protocol. Every failure names the method that failed; a closed socket fails
// everything pending at once.
//
// node's inspector writes each message in several small sends with Nagle's algorithm on, so the
// second segment waits for our ACK, which Linux delays by ~40 ms: a step would cost ~44 ms. Node
// cannot set TCP_QUICKACK and the inspector accepts only text frames (a ping or pong closes the
// connection), so when a message arrives cut short we send a tiny no-op command: the ACK rides on
// it at once and the rest of the message follows.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import WebSocket from 'ws';
import { ErrorCode, userError } from '../common/errors';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;

export class CdpConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedError: Error | null = null;

  private constructor(
    private readonly ws: WebSocket,
    private readonly log?: (line: string) => void,
  ) {
    super();
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => this.fail(userError(ErrorCode.EngineExited, 'The node inspector connection closed.')));
    ws.on('error', (error) => this.fail(userError(ErrorCode.InspectorFailed, `The node inspector connection failed: ${error.message}`)));
  }

  static async connect(url: string, options: { log?: (line: string) => void; ackFix?: boolean } = {}): Promise<CdpConnection> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (error) => reject(userError(ErrorCode.InspectorFailed, `Could not connect to the node inspector at ${url}: ${error.message}`)));
    });
    const socket = (ws as unknown as { _socket?: Socket })._socket;
    socket?.setNoDelay(true);
    const connection = new CdpConnection(ws, options.log);
    if (socket && options.ackFix !== false) connection.armQuickAck(socket);
    return connection;
  }

  private ackProbeInFlight = false;

  /**
   * When a chunk ends inside a WebSocket message, the rest is being held by Nagle until our ACK:
   * send a no-op command at once so the ACK rides on it. One probe at a time, so the probe's own
   * answer never triggers another.
   */
  private armQuickAck(socket: Socket): void {
    const receiver = (this.ws as unknown as { _receiver?: { _bufferedBytes?: number } })._receiver;
    if (!receiver || typeof receiver._bufferedBytes !== 'number') return;
    socket.on('data', () => {
      if (this.ackProbeInFlight || this.closedError || (receiver._bufferedBytes ?? 0) === 0) return;
      this.ackProbeInFlight = true;
      this.send('Runtime.getIsolateId')
        .catch(() => undefined)
        .finally(() => (this.ackProbeInFlight = false));
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
      this.ws.send(message);
    });
  }

  /** Sends without waiting for the answer (for requests the debuggee answers only later). */
  post<M extends keyof Commands>(method: M, ...params: Commands[M]['paramsType']): void {
    if (this.closedError) return;
    this.ws.send(JSON.stringify({ id: this.nextId++, method, params: params[0] ?? {} }));
  }

  onEvent<E extends keyof Events>(method: E, listener: (...params: Events[E]) => void): void {
    this.on(method, listener as (...args: unknown[]) => void);
  }

  private onMessage(text: string): void {
    this.log?.(`← ${text.slice(0, 500)}`);
    const message = JSON.parse(text) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (message.id !== undefined) {
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
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.emit('closed');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}
