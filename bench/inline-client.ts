// A DAP client for the adapter running in this process, the way VS Code runs ours (the extension
// hands it to VS Code as a DebugAdapterInlineImplementation in the extension host): messages pass
// as objects through handleMessage/onDidSendMessage, with no process and no pipe in between. It
// answers to the few DebugClient methods the benchmarks call, so either client drives a bench.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';

interface InlineAdapter {
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  onDidSendMessage(listener: (message: DebugProtocol.ProtocolMessage) => void): unknown;
  dispose(): void;
}

/** The shipped bundle's session (dist/debugAdapter.js), created in this process. */
export function inlineSession(root: string): InlineAdapter {
  const bundle = createRequire(join(root, 'package.json'))('./dist/debugAdapter.js') as { PolyglotSession: new () => InlineAdapter };
  return new bundle.PolyglotSession();
}

export class InlineClient extends EventEmitter {
  defaultTimeout = 30_000;
  private seq = 1;
  private readonly pending = new Map<number, { resolve: (r: DebugProtocol.Response) => void; reject: (e: Error) => void }>();

  constructor(private readonly adapter: InlineAdapter) {
    super();
    adapter.onDidSendMessage((message) => this.receive(message));
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.send('disconnect', { terminateDebuggee: true }).catch(() => undefined);
    this.adapter.dispose();
  }

  send(command: string, args?: object): Promise<DebugProtocol.Response> {
    const request: DebugProtocol.Request = { seq: this.seq++, type: 'request', command, arguments: args };
    return new Promise((resolve, reject) => {
      this.pending.set(request.seq, { resolve, reject });
      this.adapter.handleMessage(request);
    });
  }

  waitForEvent(event: string): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => this.once(event, resolve));
  }

  private receive(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === 'event') {
      const event = message as DebugProtocol.Event;
      this.emit(event.event, event);
    } else if (message.type === 'response') {
      const response = message as DebugProtocol.Response;
      const waiter = this.pending.get(response.request_seq);
      this.pending.delete(response.request_seq);
      if (response.success) waiter?.resolve(response);
      else waiter?.reject(new Error(response.message ?? `${response.command} failed`));
    }
  }

  initializeRequest(args: DebugProtocol.InitializeRequestArguments) {
    return this.send('initialize', args);
  }
  launch(args: DebugProtocol.LaunchRequestArguments) {
    return this.send('launch', args);
  }
  configurationDoneRequest() {
    return this.send('configurationDone');
  }
  setBreakpointsRequest(args: DebugProtocol.SetBreakpointsArguments) {
    return this.send('setBreakpoints', args);
  }
  stackTraceRequest(args: DebugProtocol.StackTraceArguments) {
    return this.send('stackTrace', args);
  }
  threadsRequest() {
    return this.send('threads');
  }
  continueRequest(args: DebugProtocol.ContinueArguments) {
    return this.send('continue', args);
  }
  nextRequest(args: DebugProtocol.NextArguments) {
    return this.send('next', args);
  }
  stepInRequest(args: DebugProtocol.StepInArguments) {
    return this.send('stepIn', args);
  }
  stepOutRequest(args: DebugProtocol.StepOutArguments) {
    return this.send('stepOut', args);
  }
  disconnectRequest(args: DebugProtocol.DisconnectArguments) {
    return this.send('disconnect', args);
  }
}
