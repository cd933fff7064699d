// What each engine arms for a step, per language it starts in and kind (over, in, out), given the
// facts of the stop it starts from. Pure: the session reads the facts (the line's FFI calls, the
// stitched stack) and arms what the result says. The boundaries a step may cross:
//
//   JS → C in            temporary gdb breakpoints on the C functions the line calls through koffi
//   JS callback → C out  (a callback C called) a gdb breakpoint where the C caller resumes
//   C → JS in            a V8 pause queued: a JS callback run by the line pauses at its first statement
//   C → JS out           a V8 pause queued, then gdb continues: V8 pauses when JS runs again
//   C → Python in        the agent told to stop at the next Python line
//   C → Python out       the agent's thread marks the Python frames for tracing, then gdb continues
//   Python → C in        temporary gdb breakpoints on the C functions the line calls through ctypes
//   Python → C out       (Python that C called) a gdb breakpoint where the C caller resumes
//
// Within C, gdb steps (native-step.ts carries a step through library code); within JS and Python
// their engines step.

import type { NativeStepKind } from '../native-step';
import type { StackItem } from '../stitch';
import type { StepEnds, StepKind } from './plan';

/** Temporary gdb breakpoints a step arms: at the entry of functions, or at addresses. */
export interface NativeArming {
  functions: string[];
  addresses: string[];
}

// ── from JavaScript ─────────────────────────────────────────────────────────────────────────────

/** Paused in a JS callback that C called: where its C caller resumes, and whether the top frame is that callback. */
export interface CallbackFacts {
  callerPc: string;
  outermost: boolean;
}

export interface JsStepArming extends NativeArming {
  ends: StepEnds;
  v8: 'stepOver' | 'stepInto' | 'stepOut' | 'resume';
}

/** The callback facts of a stitched stack whose top is JS (undefined: not in a callback C called). */
export function callbackOf(stack: readonly StackItem[]): CallbackFacts | undefined {
  const labelAt = stack.findIndex((item) => item.kind === 'label');
  const label = stack[labelAt];
  const caller = stack[labelAt + 1];
  if (label?.kind !== 'label' || label.boundary !== 'c-to-js' || caller?.kind !== 'c') return undefined;
  return { callerPc: caller.pc, outermost: labelAt === 1 };
}

/**
 * A step from JavaScript. `ffiSymbols`: the C functions the line calls through koffi (step in
 * stops at the first that runs). In a callback C called, a step that leaves it lands in C: a
 * breakpoint where the C caller resumes catches it; step out of the callback itself just runs to it.
 */
export function jsStep(kind: StepKind, ffiSymbols: readonly string[], callback: CallbackFacts | undefined): JsStepArming {
  const ends = { js: true, python: false };
  const guard = callback ? [callback.callerPc] : [];
  if (kind === 'over') return { ends, functions: [], addresses: guard, v8: 'stepOver' };
  if (kind === 'in') return { ends, functions: [...ffiSymbols], addresses: guard, v8: 'stepInto' };
  if (callback?.outermost) return { ends, functions: [], addresses: guard, v8: 'resume' };
  return { ends, functions: [], addresses: [], v8: 'stepOut' };
}

// ── from C ──────────────────────────────────────────────────────────────────────────────────────

export type CStepArming =
  /** A gdb step; `queue`: the other engines' stops armed meanwhile (code the line runs in them ends the step). */
  | { gdb: NativeStepKind; ends: StepEnds; queue: StepEnds; returnsTo?: 'js' | 'python' }
  /** Out of the outermost C frame: the language that called it takes the step over, gdb continues. */
  | { handOver: 'js' | 'python' | 'none'; ends: StepEnds };

const NOTHING: StepEnds = { js: false, python: false };

/**
 * A step over or in from C. `hasLine`: the stop has line information (without, gdb cannot step by
 * lines: the step finishes to the caller).
 */
export function cStep(kind: 'over' | 'in', instruction: boolean, hasLine: boolean): CStepArming {
  if (instruction) return { gdb: kind === 'over' ? 'nexti' : 'stepi', ends: NOTHING, queue: NOTHING };
  if (!hasLine) return { gdb: 'finish', ends: NOTHING, queue: NOTHING };
  if (kind === 'over') return { gdb: 'next', ends: NOTHING, queue: NOTHING };
  // A JS callback run by this line pauses at its first statement, Python code it runs stops at its
  // first line; if none runs, the queued pause or step is unwanted and swallowed later.
  const all = { js: true, python: true };
  return { gdb: 'step', ends: all, queue: all };
}

/**
 * A step out of C. `outermost`: the top frame is the outermost C frame (its caller is koffi, ctypes
 * or the interpreter); `caller`: the language that called the C code; `hasJs`: a JS engine exists.
 */
export function cStepOut(outermost: boolean, caller: 'js' | 'python' | undefined, hasJs: boolean): CStepArming {
  if (!outermost) return { gdb: 'finish', ends: NOTHING, queue: NOTHING, returnsTo: caller };
  return handOver(caller === 'python' ? 'python' : hasJs ? 'js' : 'none');
}

/** Out of C into its caller's language: that engine's next stop ends the step. */
export function handOver(to: 'js' | 'python' | 'none'): CStepArming {
  return { handOver: to, ends: { js: to === 'js', python: to === 'python' } };
}

/** For a stack whose top is C: the language of the code that called the outermost C frames. */
export function callerLanguageOfC(stack: readonly StackItem[]): 'js' | 'python' {
  const label = stack.find((item) => item.kind === 'label');
  return label?.kind === 'label' && label.boundary === 'py-to-c' ? 'python' : 'js';
}

/** For a stack whose top is C: the top frame is the outermost C frame (nothing of C below it). */
export function isOutermostC(stack: readonly StackItem[]): boolean {
  return stack[1]?.kind === 'label' || stack.length === 1;
}

// ── from Python ─────────────────────────────────────────────────────────────────────────────────

export interface PythonStepArming extends NativeArming {
  ends: StepEnds;
  agent: 'next' | 'stepIn' | 'stepOut';
}

/** The agent's facts of a Python frame a step starts from. */
export interface PythonFrameFacts {
  path?: string;
  /** False: C did not call this frame (another Python frame did); null: unknown. */
  entry?: boolean | null;
  /** False: the line cannot return or yield (a step over or in stays in the frame). */
  mayLeave?: boolean;
}

/**
 * Whether a step from these Python frames (top first) may return into C, so that the C caller is
 * worth looking up: only a frame that C called can, and a step over or in only from a line that
 * returns or yields. Code without a file between the top frame and C (a PyRun_String's <string>,
 * <frozen …>) is no place for a step to end: the step goes on through it to the C caller.
 */
export function pythonMayReturnToC(frames: readonly PythonFrameFacts[], kind: StepKind, hasSourceFile: (path: string | undefined) => boolean): boolean {
  const entry = frames.findIndex((f) => f.entry !== false);
  const onlyFileless = entry >= 0 && frames.slice(1, entry + 1).every((f) => !hasSourceFile(f.path));
  return (entry === 0 || onlyFileless) && (kind === 'out' || frames[0]?.mayLeave !== false);
}

/** Where the C code that called the top Python frames resumes, from the stitched stack (Python code without a file between is passed). */
export function cCallerOfPython(stack: readonly StackItem[], hasSourceFile: (path: string | undefined) => boolean): string | undefined {
  const labelAt = stack.findIndex((item) => item.kind === 'label');
  const label = stack[labelAt];
  const caller = stack[labelAt + 1];
  const between = stack.slice(1, Math.max(labelAt, 1));
  if (label?.kind !== 'label' || label.boundary !== 'c-to-py' || caller?.kind !== 'c') return undefined;
  return between.every((item) => item.kind === 'py' && !hasSourceFile(item.path)) ? caller.pc : undefined;
}

/** A step from Python: the agent steps; into C through ctypes, or back out to the C caller, gdb's breakpoints catch it. */
export function pythonStep(kind: StepKind, ffiSymbols: readonly string[], cCallerPc: string | undefined): PythonStepArming {
  const agent = kind === 'over' ? 'next' : kind === 'in' ? 'stepIn' : 'stepOut';
  return { ends: { js: false, python: true }, functions: kind === 'in' ? [...ffiSymbols] : [], addresses: cCallerPc ? [cCallerPc] : [], agent };
}
