// Carries out step plans on the engines: starts a step as boundaries.ts says for where it starts,
// keeps the plan in flight (plan.ts), carries a gdb step through library code (native-step.ts),
// hands a step that leaves C to the language that called it, and drops everything a plan armed
// when a stop ends it. The session asks it what a stop means (plan.ts's verdicts) and reports.

import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { JsEnginePort, NativeEnginePort, NativeStop, PythonEnginePort } from '../engine-ports';
import { ffiSymbolsCalledOnLine } from '../ffi-calls-on-line';
import { advance, nativeStepPlan, nextNativeAction, type NativePlace, type NativeStepKind, type NativeStepPlan } from '../native-step';
import { stitchNativeStop, type StackItem } from '../stitch';
import { callbackOf, callerLanguageOfC, cCallerOfPython, cStep, cStepOut, handOver, isOutermostC, jsStep, pythonMayReturnToC, pythonStep, type CStepArming, type NativeArming } from './boundaries';
import { newPlan, noStep, type StepKind, type StepPlan } from './plan';

/** How long a step that left C waits for the calling language to run before saying why it has not ended. */
export const HAND_OVER_NOTICE_MS = 5_000;

/** What the stepper needs of the session. */
export interface StepHost {
  readonly native: NativeEnginePort | null;
  readonly python: PythonEnginePort | null;
  readonly js: JsEnginePort | null;
  /** The stitched stack of the current stop (computed once per stop). */
  stackTrace(): Promise<StackItem[]>;
  /** The stack of the current stop if something has asked for it (else null: nobody looked). */
  readonly stackIfRead: Promise<StackItem[]> | null;
  readonly lastNativeStop: NativeStop | null;
  /** Leaves the stop (the program runs), then runs `action`. */
  resumeAs(action: () => Promise<void>): Promise<void>;
  /** The program runs again (already past resumeAs: a step handed over mid-way). */
  markRunning(): void;
  /** Stops the main thread in gdb (it is inside V8's or the agent's loop), runs `fn`, lets it go on. */
  withNativeThreadHeld<T>(fn: () => Promise<T>): Promise<T>;
  /** Where a C stop is, for just my code. */
  placeOf(location: NativeStop['location']): NativePlace;
  /** An entry snapshot for a C function a step in may enter. */
  watchEntry(func: string, path: string | undefined): Promise<void>;
  /** The step ends here in C (a native step's end reported by the stepper itself). */
  reportNativeStep(): Promise<void>;
  isUserModule(module: string | undefined): boolean;
  output(text: string): void;
}

export class Stepper {
  /** The plan in flight; a command starts a new one, a stop reported ends it. */
  plan: StepPlan = noStep();
  /** The stack of the stop a C step started from, when it was read (see returnLanguage). */
  private originStack: Promise<StackItem[]> | null = null;
  /** Settles once the stack pointer where the current C step began is known (see startNative). */
  private originSpRead: Promise<void> = Promise.resolve();
  private handOverTimer: NodeJS.Timeout | undefined;
  private saidLateLanding = false;

  constructor(private readonly host: StepHost) {}

  /** Continue: no step, any plain stop is stale. */
  continue(): void {
    this.plan = noStep();
  }

  /** The user asked to pause: the plan's next stop (or V8's, queued) is reported as a pause. */
  pause(viaJs: boolean): void {
    this.plan.pause = true;
    this.plan.ends.js = viaJs;
  }

  /** Whether gdb's breakpoint `number` is one of the plan's, and which kind. */
  stepBreakpoint(number: number): false | 'entry' | 'return' {
    return this.plan.nativeBreakpoints.get(number) ?? false;
  }

  /** The gdb step of the plan, taken at the stop that ended it (put back by resumeNative). */
  takeNativeStep(): NativeStepPlan | null {
    const step = this.plan.native;
    this.plan.native = null;
    return step;
  }

  /**
   * A stop is reported: the plan ends with everything it armed. A gdb step still under way (JS or
   * Python stopped first, in code the line ran) is interrupted; its temporary breakpoints go.
   */
  async end(): Promise<void> {
    clearTimeout(this.handOverTimer);
    const plan = this.plan;
    this.plan = noStep();
    if (plan.native && this.host.native) await this.host.withNativeThreadHeld(async () => undefined);
    const numbers = [...plan.nativeBreakpoints.keys()];
    await Promise.all(numbers.map((n) => this.host.native?.deleteBreakpoint(n).catch(() => undefined)));
  }

  // ── starting steps ────────────────────────────────────────────────────────────────────────────

  async fromJs(kind: StepKind): Promise<void> {
    const stack = await this.host.stackTrace();
    const top = stack[0];
    const symbols = kind === 'in' && top?.kind === 'js' && top.path && top.line ? await ffiSymbolsCalledOnLine(top.path, top.line) : [];
    const arming = jsStep(kind, symbols, callbackOf(stack));
    this.plan = newPlan('js', kind, arming.ends);
    await this.armNative(arming);
    const js = this.host.js!;
    await this.host.resumeAs(() => js[arming.v8]());
  }

  async fromPython(kind: StepKind): Promise<void> {
    const python = this.host.python!;
    const frames = (await python.stackTrace()).frames;
    const top = frames[0];
    const symbols = kind === 'in' && top ? await ffiSymbolsCalledOnLine(top.path, top.line) : [];
    // Looking up the C caller costs gdb two commands: only when the step may return into C.
    const callerPc = pythonMayReturnToC(frames, kind, hasSourceFile) ? cCallerOfPython(await this.host.stackTrace(), hasSourceFile) : undefined;
    const arming = pythonStep(kind, symbols, callerPc);
    this.plan = newPlan('py', kind, arming.ends);
    await this.armNative(arming);
    await this.host.resumeAs(() => python.resume(arming.agent));
  }

  async fromC(kind: 'over' | 'in', instruction: boolean): Promise<void> {
    const stop = this.host.lastNativeStop;
    const hasLine = !stop || stop.location?.line !== undefined;
    this.forgetReturnLanguage();
    await this.startC(kind, cStep(kind, instruction, hasLine));
  }

  /**
   * Step out of C. With the stop's stack read, it says whether the top frame is the outermost C
   * frame and who called it; without (a client that did not ask for it), gdb's view of the caller
   * decides, one frame unwound instead of the whole walk: a caller with line information is C (or
   * a library the step finishes through); one without is koffi or ctypes.
   */
  async outOfC(): Promise<void> {
    this.forgetReturnLanguage();
    const known = this.host.stackIfRead;
    if (known) {
      const stack = await known;
      return this.startC('out', cStepOut(isOutermostC(stack), callerLanguageOfC(stack), !!this.host.js));
    }
    const native = this.host.native!;
    const outermost = (await native.callerHasLines(native.mainThreadId)) === false;
    return this.startC('out', cStepOut(outermost, outermost ? await this.returnLanguage() : undefined, !!this.host.js));
  }

  private async startC(kind: StepKind, arming: CStepArming): Promise<void> {
    this.plan = newPlan('c', kind, arming.ends);
    if ('handOver' in arming) return this.host.resumeAs(() => this.handOverFromC(arming.handOver));
    if (arming.queue.python) {
      // Read by the interpreter at its first call. The agent's own thread sets the same step as a
      // backstop (not awaited: it answers only once this C code lets go of the GIL); a stale one
      // is swallowed like any unwanted stop.
      this.host.python?.queueStepIn();
      if (this.host.python?.connected) void this.host.python.stepInNext(5_000).catch(() => undefined);
    }
    if (arming.queue.js) await this.queueJsPause();
    if (arming.returnsTo) this.plan.returnsTo = arming.returnsTo;
    return this.host.resumeAs(() => this.startNative(arming.gdb));
  }

  private async armNative(arming: NativeArming): Promise<void> {
    for (const symbol of arming.functions) await this.addBreakpoint({ function: symbol });
    for (const address of arming.addresses) await this.addBreakpoint({ address });
  }

  private async addBreakpoint(location: { function: string } | { address: string }): Promise<void> {
    try {
      const placed = await this.host.native!.insertBreakpoint(location, { temporary: true });
      this.plan.nativeBreakpoints.set(placed.number, 'function' in location ? 'entry' : 'return');
      if ('function' in location) await this.host.watchEntry(location.function, placed.path);
    } catch {
      // The symbol may not be a function gdb knows (e.g. not built with -g): the step stays where it is.
    }
  }

  // ── out of C into the language that called it ──────────────────────────────────────────────

  /** gdb lets the main thread go; the calling language's engine stops at its first line or statement. */
  async handOverFromC(to: 'js' | 'python' | 'none'): Promise<void> {
    const native = this.host.native!;
    const arming = handOver(to);
    this.plan.ends = arming.ends;
    this.host.markRunning();
    if (to === 'python') {
      // The main thread is in C: the agent's own thread marks the Python frames for tracing.
      if (!(await this.host.python?.stepInNext())) this.host.python?.queueStepIn();
    } else if (to === 'js') {
      await this.armJsCaller();
    }
    if (to !== 'none') this.noticeIfStillRunning(to);
    await native.forgetStopState();
    await native.continue(native.mainThreadId);
  }

  /** The step waits on code the user may never run again: say so after a while, without stopping anything. */
  private noticeIfStillRunning(to: 'js' | 'python'): void {
    clearTimeout(this.handOverTimer);
    const plan = this.plan;
    this.handOverTimer = setTimeout(() => {
      if (this.plan !== plan) return;
      const language = to === 'js' ? 'JavaScript' : 'Python';
      this.host.output(`The step left C: it ends at the next ${language} ${to === 'js' ? 'statement' : 'line'} that runs, and after ${HAND_OVER_NOTICE_MS / 1000} s none has (the program is still in C, or waiting). Pause to see where it is.\n`);
    }, HAND_OVER_NOTICE_MS);
    this.handOverTimer.unref();
  }

  /**
   * Arms V8 to stop at the next statement of the JS code that called the C code being left. When V8
   * holds a step (a JS step went into C) a queued pause is enough: the step ends there. Without one
   * (the stop came from a C breakpoint) V8 would take a queued pause only at its next function
   * entry or loop, after the caller's code had run on: the native engine makes V8 pause right here
   * instead and the JS engine arms a step over in the caller (v8-break.ts).
   */
  private async armJsCaller(): Promise<void> {
    const js = this.host.js;
    const native = this.host.native;
    if (!js || !native || js.stepArmed) return this.queueJsPause();
    const answer = js.armStepAtNextPause();
    let why: string | undefined;
    try {
      const outcome = await native.breakIntoV8(native.mainThreadId);
      if (!outcome.done) why = outcome.why;
    } catch (error) {
      why = (error as Error).message;
    }
    // Answered by now if V8 paused at all: the call returns only once V8 let the thread go.
    answer.cancel();
    if (!why && (await answer.paused)) return;
    if (!this.saidLateLanding) {
      this.saidLateLanding = true;
      this.host.output(`Stepping out of C: V8 could not be stopped in the JavaScript caller (${why ?? 'it ignored the break'}); the step ends at the next JavaScript function call or loop instead.\n`);
    }
    return this.queueJsPause();
  }

  /**
   * Asks V8 to pause at the next JS statement. While gdb holds the main thread V8 cannot answer, so
   * the request is not awaited; it is in V8's hands (an interrupt armed) before the main thread runs
   * again, else the caller's next call could run first and a breakpoint there would win.
   */
  async queueJsPause(): Promise<void> {
    if (!this.host.js) return;
    void this.host.js.pause().catch(() => undefined);
    await this.host.js.takenIn();
  }

  // ── a gdb step and its detours ────────────────────────────────────────────────────────────────

  /**
   * Starts a step in C as a plan (native-step.ts), remembered so that a stop outside the user's
   * code can carry it on.
   */
  private async startNative(kind: NativeStepKind): Promise<void> {
    const native = this.host.native!;
    const step = nativeStepPlan(kind, undefined);
    this.plan.native = step;
    // Sent back to back, not awaited one by one: gdb answers in order, so the var objects are gone
    // and the stack pointer read before the step runs, and a C step costs one round trip, as in gdb.
    const forgotten = native.forgetStopState();
    const originSp = kind === 'nexti' || kind === 'stepi' ? Promise.resolve(undefined) : native.stackPointer(native.mainThreadId);
    this.originSpRead = originSp.then((sp) => void (step.originSp = sp));
    await Promise.all([forgotten, this.originSpRead, this.runNative(step)]);
  }

  /** Goes on: as the same step when one is given, else running. */
  async resumeNative(step: NativeStepPlan | null): Promise<void> {
    const native = this.host.native!;
    await native.forgetStopState();
    this.plan.native = step;
    if (step) await this.runNative(step);
    else await native.continue(native.mainThreadId);
  }

  /** A frame without line information after all (gdb knows better than the stop record): finish instead. */
  private async runNative(step: NativeStepPlan): Promise<void> {
    const native = this.host.native!;
    const thread = native.mainThreadId;
    try {
      if (step.kind === 'nexti') await native.nextInstruction(thread);
      else if (step.kind === 'stepi') await native.stepInstruction(thread);
      else if (step.kind === 'next') await native.next(thread);
      else if (step.kind === 'step') await native.step(thread);
      else await native.finish(thread);
    } catch (error) {
      if (step.kind === 'finish' || !/Cannot find bounds/.test((error as Error).message)) throw error;
      step.kind = 'finish';
      await native.finish(thread);
    }
  }

  /** A gdb step, next or finish of the plan ended: the step ends here or goes on (native-step.ts). */
  async carryNative(step: NativeStepPlan, stop: NativeStop): Promise<void> {
    const native = this.host.native!;
    const place = this.host.placeOf(stop.location);
    const needSp = step.kind !== 'nexti' && step.kind !== 'stepi' && (place !== 'user' || step.detour);
    const sp = needSp ? await native.stackPointer(native.mainThreadId) : undefined;
    if (needSp) await this.originSpRead;
    const action = nextNativeAction(step, place, sp);
    const next = advance(step, action);
    switch (action.do) {
      case 'report':
        return this.host.reportNativeStep();
      case 'give-up':
        this.host.output(`The step went through ${step.hops} library calls without reaching your code; it stopped here.\n`);
        return this.host.reportNativeStep();
      case 'repeat':
        this.plan.native = next;
        return this.runNative(next);
      case 'finish':
        // Climbing out through library code: the language that called the C code may take over.
        if (!action.detour) await this.armReturnPause();
        this.plan.native = next;
        await native.forgetStopState();
        return this.runNative({ ...next, kind: 'finish' });
      case 'hand-over':
        return this.handOverFromC((await this.returnLanguage()) === 'python' ? 'python' : 'js');
    }
  }

  /** While gdb finishes out through library code: the first JS statement or Python line that runs ends the step. */
  private async armReturnPause(): Promise<void> {
    if ((await this.returnLanguage()) === 'python') {
      this.plan.ends.python = true;
      void this.host.python?.stepInNext().catch(() => undefined);
    } else {
      this.plan.ends.js = true;
      await this.queueJsPause();
    }
  }

  /**
   * The language of the code that called the C code a step left: from the stop the step began at
   * when its stack was read (the client usually asked for it), else from the stack where the step
   * left C. Without Python in the session it is JavaScript, and no stack is walked: a plain C step
   * costs what gdb's step costs.
   */
  async returnLanguage(): Promise<'js' | 'python'> {
    if (this.plan.returnsTo) return this.plan.returnsTo;
    let language: 'js' | 'python';
    if (this.originStack) language = callerLanguageOfC(await this.originStack);
    else if (!this.host.python?.connected) language = 'js';
    else {
      const native = this.host.native!;
      const physical = await native.physicalStack(native.mainThreadId, { jsNames: false });
      language = callerLanguageOfC(stitchNativeStop(physical, () => undefined, { isUserModule: (m) => this.host.isUserModule(m) }));
    }
    this.plan.returnsTo = language;
    return language;
  }

  /** C steps leave it to returnLanguage() to find who called the C code, when it matters. */
  private forgetReturnLanguage(): void {
    this.originStack = this.host.stackIfRead;
  }
}

/** Python code with a file to show (not a PyRun_String's <string> or <frozen …>, which the agent reports under cwd). */
export function hasSourceFile(path: string | undefined): boolean {
  return !!path && isAbsolute(path) && !/[\\/]<[^\\/]*>$/.test(path) && existsSync(path);
}
