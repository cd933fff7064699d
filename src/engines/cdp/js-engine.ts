// The JavaScript engine: V8's inspector over CDP. Breakpoints by URL (so they bind when a script
// loads), stepping, scopes, evaluate and setVariable. Lines and columns are 0-based in CDP and
// 1-based everywhere else: the conversion happens here and nowhere else.

import { EventEmitter } from 'node:events';
import type { Protocol } from 'devtools-protocol';
import { base0, toBase0, toBase1, type Base0, type Base1 } from '../common/positions';
import { CdpConnection } from './cdp-connection';
import { describeValue } from './values';

export interface JsScope {
  name: string;
  objectId: string;
  expensive: boolean;
}

export interface JsCallFrame {
  callFrameId: string;
  functionName: string;
  url: string;
  line: number;
  column: number;
  scopes: JsScope[];
}

export interface JsPause {
  reason: string;
  hitBreakpoints: string[];
  callFrames: JsCallFrame[];
  exceptionText?: string;
  uncaught?: boolean;
}

export interface JsVariable {
  name: string;
  value: string;
  type?: string;
  objectId?: string;
}

const one = (n: number): number => toBase1(base0(n)) as number;

export class JsEngine extends EventEmitter {
  private readonly scriptUrls = new Map<string, string>();
  private stepSent = false;
  /** Set by armStepAtNextPause: the next pause is answered with a step over, unreported. */
  private stepAtNextPause: ((paused: boolean) => void) | null = null;
  private resumesToHide = 0;

  private constructor(readonly cdp: CdpConnection) {
    super();
    cdp.onEvent('Debugger.paused', (event) => {
      cdp.awaitingEvent = false;
      this.stepSent = false;
      const answer = this.stepAtNextPause;
      if (answer) {
        this.stepAtNextPause = null;
        this.resumesToHide++;
        void this.stepOver().then(
          () => answer(true),
          () => answer(false),
        );
        return;
      }
      this.emit('paused', toPause(event, this.scriptUrls));
    });
    cdp.onEvent('Debugger.resumed', () => {
      if (this.resumesToHide > 0) this.resumesToHide--;
      else this.emit('resumed');
    });
    cdp.onEvent('Debugger.scriptParsed', (event) => {
      this.scriptUrls.set(event.scriptId, event.url);
      this.emit('script', { scriptId: event.scriptId, url: event.url, sourceMapURL: event.sourceMapURL });
    });
    cdp.onEvent('Runtime.executionContextDestroyed', () => this.emit('context-destroyed'));
    cdp.on('closed', () => this.emit('closed'));
  }

  static async connect(url: string, options: { log?: (line: string) => void; ackFix?: boolean; quickAck?: ((fd: number) => void) | null } = {}): Promise<JsEngine> {
    const cdp = await CdpConnection.connect(url, options);
    const engine = new JsEngine(cdp);
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable', {});
    return engine;
  }

  async runIfWaitingForDebugger(): Promise<void> {
    await this.cdp.send('Runtime.runIfWaitingForDebugger');
  }

  /** `line` and `column` are 1-based; so are the resolved locations. */
  async setBreakpoint(options: { url: string; line: number; column?: number; condition?: string }): Promise<{ id: string; locations: { line: number; column: number }[] }> {
    const result = await this.cdp.send('Debugger.setBreakpointByUrl', {
      url: options.url,
      lineNumber: toBase0(options.line as Base1),
      columnNumber: options.column !== undefined ? toBase0(options.column as Base1) : undefined,
      condition: options.condition,
    });
    return { id: result.breakpointId, locations: result.locations.map((l) => ({ line: one(l.lineNumber), column: one(l.columnNumber ?? 0) })) };
  }

  async removeBreakpoint(id: string): Promise<void> {
    await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: id });
  }

  async resume(): Promise<void> {
    await this.cdp.send('Debugger.resume', {});
  }

  async stepOver(): Promise<void> {
    this.cdp.awaitingEvent = true;
    this.stepSent = true;
    await this.cdp.send('Debugger.stepOver', {});
  }

  async stepInto(): Promise<void> {
    this.cdp.awaitingEvent = true;
    this.stepSent = true;
    await this.cdp.send('Debugger.stepInto', {});
  }

  async stepOut(): Promise<void> {
    this.cdp.awaitingEvent = true;
    this.stepSent = true;
    await this.cdp.send('Debugger.stepOut');
  }

  /** V8 holds a step it was sent and has not paused since (it keeps it while C runs). */
  get stepArmed(): boolean {
    return this.stepSent;
  }

  /**
   * The next pause is V8 answering a break the native engine made it take (v8-break.ts): a step
   * over is armed in its top frame and the pause is not reported, nor the resume that follows.
   */
  armStepAtNextPause(): { paused: Promise<boolean>; cancel(): void } {
    let settle: (paused: boolean) => void = () => undefined;
    const paused = new Promise<boolean>((resolvePaused) => (settle = resolvePaused));
    this.stepAtNextPause = settle;
    return {
      paused,
      cancel: () => {
        if (this.stepAtNextPause !== settle) return;
        this.stepAtNextPause = null;
        settle(false);
      },
    };
  }

  /** Asks V8 to pause at the next statement. Not awaited by callers that hold the thread in C. */
  async pause(): Promise<void> {
    await this.cdp.send('Debugger.pause');
  }

  /** Every request sent so far is in V8's hands, answered or not (see inspector-intake.ts). */
  async takenIn(): Promise<void> {
    await this.cdp.takenIn();
  }

  /** Scripts whose URL matches one of these regular expressions are stepped through, never into. */
  async setBlackboxPatterns(patterns: string[]): Promise<void> {
    await this.cdp.send('Debugger.setBlackboxPatterns', { patterns });
  }

  /** The text of a loaded script (node's internal modules have no file), by URL. */
  async scriptSource(url: string): Promise<string | undefined> {
    const scriptId = [...this.scriptUrls].find(([, u]) => u === url)?.[0];
    if (!scriptId) return undefined;
    return (await this.cdp.send('Debugger.getScriptSource', { scriptId })).scriptSource;
  }

  async setPauseOnExceptions(state: 'none' | 'uncaught' | 'all'): Promise<void> {
    await this.cdp.send('Debugger.setPauseOnExceptions', { state });
  }

  async properties(objectId: string): Promise<JsVariable[]> {
    const result = await this.cdp.send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: true });
    return result.result
      .filter((p) => p.value !== undefined || p.get !== undefined)
      .map((p) => ({ name: p.name, ...describeValue(p.value ?? { type: 'undefined' }) }));
  }

  async evaluate(expression: string, callFrameId?: string): Promise<JsVariable> {
    const result = callFrameId
      ? await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression, generatePreview: true })
      : await this.cdp.send('Runtime.evaluate', { expression, generatePreview: true });
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description?.split('\n')[0] ?? result.exceptionDetails.text);
    return { name: expression, ...describeValue(result.result) };
  }

  async setVariable(scopeNumber: number, name: string, valueExpression: string, callFrameId: string): Promise<JsVariable> {
    const evaluated = await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression: valueExpression, generatePreview: true });
    if (evaluated.exceptionDetails) throw new Error(evaluated.exceptionDetails.exception?.description?.split('\n')[0] ?? evaluated.exceptionDetails.text);
    await this.cdp.send('Debugger.setVariableValue', { scopeNumber, variableName: name, newValue: toCallArgument(evaluated.result), callFrameId });
    return { name, ...describeValue(evaluated.result) };
  }

  async close(): Promise<void> {
    this.cdp.close();
  }
}

function toCallArgument(value: Protocol.Runtime.RemoteObject): Protocol.Runtime.CallArgument {
  if (value.objectId) return { objectId: value.objectId };
  if (value.unserializableValue) return { unserializableValue: value.unserializableValue };
  return { value: value.value };
}

function toPause(event: Protocol.Debugger.PausedEvent, urls: Map<string, string>): JsPause {
  const exception = event.reason === 'exception' || event.reason === 'promiseRejection' ? (event.data as Protocol.Runtime.RemoteObject | undefined) : undefined;
  return {
    reason: event.reason,
    hitBreakpoints: event.hitBreakpoints ?? [],
    exceptionText: exception?.description ?? (exception?.value !== undefined ? String(exception.value) : undefined),
    uncaught: exception ? (event.data as { uncaught?: boolean }).uncaught : undefined,
    callFrames: event.callFrames.map((frame) => ({
      callFrameId: frame.callFrameId,
      functionName: frame.functionName,
      url: frame.url || urls.get(frame.location.scriptId) || '',
      line: toBase1(frame.location.lineNumber as Base0),
      column: toBase1((frame.location.columnNumber ?? 0) as Base0),
      // Kept in CDP's order: setVariable addresses a scope by its index in this chain.
      scopes: frame.scopeChain.map((scope) => ({ name: scopeName(scope.type), objectId: scope.object.objectId ?? '', expensive: scope.type === 'global' })),
    })),
  };
}

function scopeName(type: string): string {
  return { local: 'Local', closure: 'Closure', global: 'Global', block: 'Block', catch: 'Catch', script: 'Script', module: 'Module', with: 'With', eval: 'Eval' }[type] ?? type;
}
