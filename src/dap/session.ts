// The `polyglot` debug session: DAP requests in, calls on the core out, core events back as DAP
// events. Everything about engines and boundaries lives in src/core; this file only translates.

import {
  BreakpointEvent,
  DebugSession,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'node:path';
import { ErrorCode, PolyglotError, userError } from '../engines/common/errors';
import { createEngineFactory } from '../core/engine-factory';
import { StopInspector } from '../core/inspect';
import { validateAttachConfig, validateLaunchConfig } from '../core/launch-config';
import { MixedSession, type BreakpointResult, type CoreStop, type EngineFactory, type Granularity } from '../core/mixed-session';
import { NativeMachine, parseAddress } from '../core/native-machine';
import type { StackItem } from '../core/stitch';
import { EXCEPTION_FILTERS } from './exception-filters';
import { SourceReferences, toDapFrame } from './frames';
import { openTerminalTty } from './terminal-tty';

const THREAD_ID = 1;

export class PolyglotSession extends DebugSession {
  private readonly core: MixedSession;
  private readonly inspector: StopInspector;
  private readonly machine: NativeMachine;
  private frames = new Map<number, StackItem>();
  private nextFrameId = 1;
  private readonly sourceRefs = new SourceReferences();
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.configurationDone = resolve));
  private clientSupportsTerminal = false;
  private clientSupportsProgress = false;
  private exitSent = false;
  private runRequestsInFlight = 0;
  private deferredStops: CoreStop[] = [];

  constructor(factory?: EngineFactory | boolean) {
    super();
    if (typeof factory !== 'object') factory = createEngineFactory();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.core = new MixedSession(factory);
    this.inspector = new StopInspector(this.core);
    this.machine = new NativeMachine(this.core);
    this.core.on('stopped', (stop: CoreStop) => this.onStopped(stop));
    this.core.on('continued', () => this.forgetStop());
    this.core.on('output', (o: { category: string; text: string; source?: { path: string; line?: number }; fromDebugger?: boolean }) => {
      const event = new OutputEvent(o.text, o.category) as DebugProtocol.OutputEvent;
      // The debugger's own information shares 'stdout' with the program (see mixed-session.ts); this tells them apart.
      if (o.fromDebugger) event.body.data = { fromDebugger: true };
      if (o.source) {
        event.body.source = { path: o.source.path, name: basename(o.source.path) };
        event.body.line = o.source.line;
      }
      this.sendEvent(event);
    });
    this.core.on('breakpoint', (bp: BreakpointResult) => this.sendEvent(new BreakpointEvent('changed', toDapBreakpoint(bp))));
    this.core.on('exited', (e: { exitCode: number }) => {
      this.exitSent = true;
      this.sendEvent(new ExitedEvent(e.exitCode));
    });
    this.core.on('terminated', () => this.sendEvent(new TerminatedEvent()));
  }

  private onStopped(stop: CoreStop): void {
    // A stop can beat the answer to the step that caused it; clients expect the answer first.
    if (this.runRequestsInFlight > 0) {
      this.deferredStops.push(stop);
      return;
    }
    this.forgetStop();
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    event.body.description = stop.description;
    if (stop.breakpointIds) event.body.hitBreakpointIds = stop.breakpointIds;
    event.body.allThreadsStopped = true;
    this.sendEvent(event);
  }

  private forgetStop(): void {
    this.frames.clear();
    this.inspector.reset();
  }

  /** Runs a request; a failure becomes an error response (user errors shown as they are). */
  private async answer<R extends DebugProtocol.Response>(response: R, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.sendResponse(response);
    } catch (error) {
      const polyglot = error instanceof PolyglotError ? error : undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.sendErrorResponse(response, {
        id: polyglot?.code ?? ErrorCode.Internal,
        format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')),
        showUser: polyglot?.userFacing ?? true,
      });
    }
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientSupportsTerminal = args.supportsRunInTerminalRequest === true;
    this.clientSupportsProgress = args.supportsProgressReporting === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsDelayedStackTraceLoading: false,
      supportsDisassembleRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsInstructionBreakpoints: true,
      supportsSteppingGranularity: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    await this.answer(response, async () => {
      const config = validateLaunchConfig(args as Record<string, unknown>);
      let tty: string | undefined;
      if (config.console === 'integratedTerminal' && this.clientSupportsTerminal) {
        tty = await openTerminalTty((request, timeout, cb) => this.runInTerminalRequest(request, timeout, cb), config.cwd);
      }
      // gdb reading node's and the libraries' symbols takes a second or more: say so.
      const progress = 'polyglot-launch';
      if (this.clientSupportsProgress) this.sendEvent(new ProgressStartEvent(progress, 'Polyglot Debug', 'Starting gdb and node, loading symbols…'));
      try {
        await this.core.launch(config, { tty });
      } finally {
        if (this.clientSupportsProgress) this.sendEvent(new ProgressEndEvent(progress));
      }
      this.sendEvent(new InitializedEvent());
      await this.configured;
      await this.core.start();
    });
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    await this.answer(response, async () => {
      const config = validateAttachConfig(args as Record<string, unknown>);
      const progress = 'polyglot-attach';
      if (this.clientSupportsProgress) this.sendEvent(new ProgressStartEvent(progress, 'Polyglot Debug', `Attaching to process ${config.pid}…`));
      try {
        await this.core.attach(config);
      } finally {
        if (this.clientSupportsProgress) this.sendEvent(new ProgressEndEvent(progress));
      }
      this.sendEvent(new InitializedEvent());
      await this.configured;
      await this.core.start();
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone();
    this.sendResponse(response);
  }

  /** An attached process is left running (detached) unless the client asks to terminate it. */
  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    if (this.core.isAttached && args?.terminateDebuggee !== true) await this.core.detach();
    else await this.core.terminate();
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.core.terminate();
    this.sendResponse(response);
    if (!this.exitSent) this.sendEvent(new TerminatedEvent());
  }

  // ── breakpoints ─────────────────────────────────────────────────────────────────────────────

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.answer(response, async () => {
      const path = args.source.path;
      if (!path) throw new PolyglotError(ErrorCode.Unsupported, 'Breakpoints need a source file on disk.', true);
      const results = await this.core.setBreakpoints(path, args.breakpoints ?? []);
      response.body = { breakpoints: results.map(toDapBreakpoint) };
    });
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    await this.answer(response, async () => {
      const results = await this.core.setFunctionBreakpoints(args.breakpoints);
      response.body = { breakpoints: results.map(toDapBreakpoint) };
    });
  }

  protected override async setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): Promise<void> {
    await this.answer(response, async () => {
      const requests = args.breakpoints.map((b) => ({ address: parseAddress(b.instructionReference, b.offset ?? 0), condition: b.condition, hitCondition: b.hitCondition }));
      const results = await this.core.setInstructionBreakpoints(requests);
      response.body = { breakpoints: results.map(toDapBreakpoint) };
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    await this.answer(response, () => this.core.setExceptionFilters(args.filters));
  }

  // ── threads, stack, values ──────────────────────────────────────────────────────────────────

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'main thread (JS · C · Python)')] };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    await this.answer(response, async () => {
      const items = await this.core.stackTrace();
      if (this.frames.size === 0) {
        for (const item of items) this.frames.set(this.nextFrameId++, item);
      }
      const all = [...this.frames.entries()].map(([id, item]) => toDapFrame(id, item, this.sourceRefs));
      const start = args.startFrame ?? 0;
      const count = args.levels ? args.levels : all.length;
      response.body = { stackFrames: all.slice(start, start + count), totalFrames: all.length };
    });
  }

  protected override async sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): Promise<void> {
    await this.answer(response, async () => {
      const url = this.sourceRefs.urlOf(args.source?.sourceReference ?? args.sourceReference);
      if (!url) throw userError(ErrorCode.Unsupported, 'This source has no file and the debugger does not know it.');
      response.body = { content: await this.core.scriptSource(url), mimeType: 'text/javascript' };
    });
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.answer(response, async () => {
      const frame = this.frames.get(args.frameId);
      const scopes = frame ? await this.inspector.scopes(frame) : [];
      response.body = {
        scopes: scopes.map((s) => ({ name: s.name, variablesReference: s.handle, expensive: s.expensive, presentationHint: s.presentationHint })),
      };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, async () => {
      const values = await this.inspector.variables(args.variablesReference);
      response.body = {
        variables: values.map((v) => ({ name: v.name, value: v.value, type: v.type, variablesReference: v.handle, memoryReference: memoryReferenceOf(v) })),
      };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.answer(response, async () => {
      const frame = args.frameId !== undefined ? this.frames.get(args.frameId) : undefined;
      const v = await this.inspector.evaluate(args.expression, frame);
      response.body = { result: v.value, type: v.type, variablesReference: v.handle };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, async () => {
      const v = await this.inspector.setVariable(args.variablesReference, args.name, args.value);
      response.body = { value: v.value, type: v.type, variablesReference: v.handle };
    });
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): Promise<void> {
    await this.answer(response, async () => {
      const stop = this.core.currentStop;
      response.body = {
        exceptionId: stop?.language === 'c' ? (this.core.currentNativeStop?.signalName ?? 'signal') : 'Error',
        description: stop?.text ?? stop?.description,
        breakMode: stop?.language === 'c' ? 'always' : 'unhandled',
      };
    });
  }

  // ── memory and machine code ─────────────────────────────────────────────────────────────────

  protected override async readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): Promise<void> {
    await this.answer(response, async () => {
      const { address, data, unreadable } = await this.machine.read(args.memoryReference, args.offset ?? 0, args.count);
      response.body = { address: `0x${address.toString(16)}`, data: Buffer.from(data).toString('base64'), unreadableBytes: unreadable || undefined };
    });
  }

  protected override async writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): Promise<void> {
    await this.answer(response, async () => {
      const { written } = await this.machine.write(args.memoryReference, args.offset ?? 0, Buffer.from(args.data, 'base64'));
      response.body = { bytesWritten: written };
    });
  }

  protected override async disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): Promise<void> {
    await this.answer(response, async () => {
      const found = await this.machine.disassemble(args.memoryReference, args.offset ?? 0, args.instructionOffset ?? 0, args.instructionCount);
      response.body = {
        instructions: found.map((insn): DebugProtocol.DisassembledInstruction => {
          const address = `0x${insn.address.toString(16)}`;
          if ('unreadable' in insn) return { address, instruction: '??', presentationHint: 'invalid' };
          return {
            address,
            instruction: insn.text,
            instructionBytes: insn.bytes,
            symbol: args.resolveSymbols === false ? undefined : insn.symbol,
            location: insn.path ? { name: basename(insn.path), path: insn.path } : undefined,
            line: insn.line,
          };
        }),
      };
    });
  }

  /** `polyglot/frameAbi` {frameId}: the ABI picture of a C frame (see src/core/frame-abi.ts), or null. */
  protected override async customRequest(command: string, response: DebugProtocol.Response, args: { frameId?: number }): Promise<void> {
    if (command !== 'polyglot/frameAbi') return super.customRequest(command, response, args);
    await this.answer(response, async () => {
      const frame = args.frameId !== undefined ? this.frames.get(args.frameId) : undefined;
      response.body = { abi: await this.inspector.frameAbi(frame) };
    });
  }

  // ── execution ───────────────────────────────────────────────────────────────────────────────

  /** Answers a request that lets the program run, then reports any stop it caused. */
  private async run<R extends DebugProtocol.Response>(response: R, work: () => Promise<void>): Promise<void> {
    this.runRequestsInFlight++;
    try {
      await this.answer(response, work);
    } finally {
      this.runRequestsInFlight--;
      if (this.runRequestsInFlight === 0) {
        for (const stop of this.deferredStops.splice(0)) this.onStopped(stop);
      }
    }
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    await this.run(response, () => this.core.continue());
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    await this.run(response, () => this.core.next(granularity(args.granularity)));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): Promise<void> {
    await this.run(response, () => this.core.stepIn(granularity(args.granularity)));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.run(response, () => this.core.stepOut());
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.run(response, () => this.core.pause());
  }
}

function toDapBreakpoint(bp: BreakpointResult): DebugProtocol.Breakpoint {
  return { id: bp.id, verified: bp.verified, line: bp.line, column: bp.column, message: bp.message, instructionReference: bp.instructionReference };
}

function granularity(value: DebugProtocol.SteppingGranularity | undefined): Granularity {
  return value ?? 'statement';
}

/** C pointers open in the memory view: gdb prints them as `0x… <symbol>` or `(T *) 0x…`. */
function memoryReferenceOf(v: { value: string; type?: string }): string | undefined {
  if (!v.type?.trim().endsWith('*')) return undefined;
  return /(?:^|\) )(0x[0-9a-f]+)/i.exec(v.value)?.[1];
}

/** Runs one session over stdin/stdout, as `node dist/debugAdapter.js`. */
export function runStandalone(): void {
  DebugSession.run(PolyglotSession);
}
