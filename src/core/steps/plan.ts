// A step in flight, as one explicit plan instead of flags spread over the session: which engines'
// plain stops end it (a V8 pause, an agent step stop), the temporary gdb breakpoints it armed, the
// gdb step under way, and how far it has gone through code it must not stop in. Every command
// (continue, next, step in, step out) starts a new plan; every stop reported ends the one in flight.
//
// The decisions "does this stop end the plan, or what now" are pure functions of the plan and the
// facts of the stop (below): the session gathers the facts from the engines and does what they say.
// A user breakpoint or exception on the way always wins: it is reported and the plan is dropped
// with everything it armed.

import type { NativeStepPlan } from '../native-step';

export type StepOrigin = 'js' | 'c' | 'py';
export type StepKind = 'over' | 'in' | 'out';

/** Where a plan may end: each is a stop the plan armed an engine for. */
export interface StepEnds {
  /** A V8 pause without breakpoint or exception (a step of V8's, or a pause request queued while C ran). */
  js: boolean;
  /** A step stop of the Python agent. */
  python: boolean;
}

export interface StepPlan {
  /** What the user asked for, from where (undefined: `continue` or nothing yet: no step). */
  origin?: StepOrigin;
  kind?: StepKind;
  ends: StepEnds;
  /** Temporary gdb breakpoints of the plan, on a C function a line calls (`entry`) or where C resumes (`return`): hitting one ends the step in C. */
  nativeBreakpoints: Map<number, 'entry' | 'return'>;
  /** The gdb step, next or finish under way, with its detours (native-step.ts). */
  native: NativeStepPlan | null;
  /** Who called the C code being stepped: where a step that leaves it goes on (found lazily). */
  returnsTo?: 'js' | 'python';
  /** The user asked to pause: the stop that ends the plan is reported as a pause. */
  pause: boolean;
  /** Stops in code a step goes through (node internals, skipFiles) so far: bounded. */
  librarySkips: number;
}

/** A step goes on out of library code at most this many times before it stops where it is. */
export const MAX_LIBRARY_SKIPS = 8;

export function newPlan(origin?: StepOrigin, kind?: StepKind, ends: Partial<StepEnds> = {}): StepPlan {
  return { origin, kind, ends: { js: false, python: false, ...ends }, nativeBreakpoints: new Map(), native: null, pause: false, librarySkips: 0 };
}

/** No step: a plain stop of any engine is not wanted (after continue, and before the first command). */
export function noStep(): StepPlan {
  return newPlan();
}

export type JsPauseFacts =
  | { kind: 'breakpoint'; stops: boolean; wasRunning: boolean }
  | { kind: 'exception'; reported: boolean }
  /** A pause of V8 with no breakpoint or exception: a step's end, a pause request, or a stale one. */
  | { kind: 'plain'; inLibrary: boolean };

export type Verdict =
  /** Report the stop; a user breakpoint or exception cancels the plan. */
  | { do: 'report'; as: 'breakpoint' | 'exception' | 'step' | 'pause' }
  /** Not a stop of the plan (stale, or a breakpoint whose condition said no): run on. */
  | { do: 'resume' }
  /** In code a step goes through: on out of it, the same plan. */
  | { do: 'step-out' };

/** A step's end is reported as a pause when the user asked to pause meanwhile. */
function stepEnd(plan: StepPlan): Verdict {
  return { do: 'report', as: plan.pause ? 'pause' : 'step' };
}

function skipLibrary(plan: StepPlan, inLibrary: boolean): boolean {
  return inLibrary && plan.librarySkips < MAX_LIBRARY_SKIPS;
}

/** What a V8 pause means to the plan. */
export function jsPauseVerdict(plan: StepPlan, pause: JsPauseFacts): Verdict {
  if (pause.kind === 'exception') return pause.reported ? { do: 'report', as: 'exception' } : { do: 'resume' };
  if (pause.kind === 'breakpoint') {
    if (pause.stops) return { do: 'report', as: 'breakpoint' };
    // A breakpoint whose hit condition said no, where the step was going anyway: the step ends.
    return plan.ends.js && pause.wasRunning ? stepEnd(plan) : { do: 'resume' };
  }
  if (!plan.ends.js) return { do: 'resume' };
  // A step that lands in koffi's JS wrapper or node's internals goes on out to user code.
  if (skipLibrary(plan, pause.inLibrary)) return { do: 'step-out' };
  return stepEnd(plan);
}

export type PythonStopFacts =
  | { kind: 'breakpoint'; stops: boolean }
  | { kind: 'exception' }
  /** The agent's step stop (or a stop at the next line it was told to make). */
  | { kind: 'step'; inSkippedFile: boolean };

/** What a stop of the Python agent means to the plan. */
export function pythonStopVerdict(plan: StepPlan, stop: PythonStopFacts): Verdict {
  if (stop.kind === 'exception') return { do: 'report', as: 'exception' };
  if (stop.kind === 'breakpoint') {
    if (stop.stops) return { do: 'report', as: 'breakpoint' };
    return plan.ends.python ? stepEnd(plan) : { do: 'resume' };
  }
  // A step the agent still had pending after the user went on elsewhere.
  if (!plan.ends.python) return { do: 'resume' };
  // A pause stops where Python is, even in a skipped file (it may loop there).
  if (!plan.pause && skipLibrary(plan, stop.inSkippedFile)) return { do: 'step-out' };
  return stepEnd(plan);
}

export type NativeStopFacts = {
  /** A gdb step of the plan was under way (taken from the plan at this stop). */
  gdbStep: boolean;
  /** The temporary breakpoint on main of stopOnEntry. */
  entry: boolean;
  /** One of the plan's temporary breakpoints, and which kind; false: none. */
  stepBreakpoint: false | 'entry' | 'return';
  /** The stop's file is one that skipFiles names. */
  inSkippedFile: boolean;
  /** A user breakpoint: whether it stops (its hit condition, logpoint); undefined: none. */
  userBreakpoint?: { stops: boolean };
  /** A signal: `pause` when it is the interrupt of a pause, else the signal is an exception. */
  signal?: 'pause' | 'exception';
  /** gdb ended a step, next or finish (or a finish into code without lines, which gives no reason). */
  stepEnded: boolean;
  /** The stop has a source file. */
  hasSource: boolean;
};

export type NativeVerdict =
  | { do: 'report'; as: 'entry' | 'step' | 'breakpoint' | 'pause' | 'exception' }
  | { do: 'resume' }
  /** A gdb step of the plan ended: native-step.ts decides whether the step ends here. */
  | { do: 'carry' }
  /** Back where there is no source (koffi, ctypes): the language that called the C code takes over. */
  | { do: 'hand-over' };

/** What a stop of gdb on the main thread means to the plan in flight. */
export function nativeStopVerdict(stop: NativeStopFacts): NativeVerdict {
  if (stop.entry) return { do: 'report', as: 'entry' };
  // A step in from JS or Python that reached a C function of a skipped file: the C runs on and
  // the language's own step, still armed, stops at its next statement or line.
  if (stop.stepBreakpoint === 'entry' && stop.inSkippedFile) return { do: 'resume' };
  if (stop.stepBreakpoint) return { do: 'report', as: 'step' };
  if (stop.userBreakpoint) return stop.userBreakpoint.stops ? { do: 'report', as: 'breakpoint' } : { do: 'resume' };
  if (stop.signal) return { do: 'report', as: stop.signal };
  if (stop.gdbStep && stop.stepEnded) return { do: 'carry' };
  if (!stop.hasSource && stop.stepEnded) return { do: 'hand-over' };
  return { do: 'report', as: 'step' };
}
