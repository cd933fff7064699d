// A source-level step in C, as one plan: what the user asked for, where it started (the stack
// pointer of its frame), and what to do at each stop gdb reports until it ends in the user's code.
// gdb knows nothing of "user code": with libc and libpython debug info installed its `step` stops
// in their first line. So a stop outside the user's code is not the end of a step:
//
//   deeper than where the step began   a library function the line called: finish out of it, then
//                                      go on with the same step from the rest of the line
//   not deeper, in a library with lines  climbing out through library code: finish again (the
//                                      calling language's pause is armed meanwhile)
//   not deeper, no line information    back in koffi or ctypes: hand the step to the language that
//                                      called the C code
//
// Pure: the session supplies where the stop is and the stack pointer, and does what it says.

/** Where a stop is: the user's source, a library with a line table (libc, libpython), or no lines at all. */
export type NativePlace = 'user' | 'library' | 'no-source';

/** `nexti`/`stepi`: one machine instruction, reported wherever it ends. */
export type NativeStepKind = 'next' | 'step' | 'finish' | 'nexti' | 'stepi';

export interface NativeStepPlan {
  kind: NativeStepKind;
  /** Stack pointer where the step began; undefined when it could not be read. */
  originSp?: bigint;
  /** Finishing out of a library function the stepped line called: back in the origin, the step goes on. */
  detour: boolean;
  /** Detours and finishes taken so far: a step never loops for ever. */
  hops: number;
}

export type NativeStepAction =
  | { do: 'report' }
  /** The step ran out of hops: stop where it is and say so. */
  | { do: 'give-up' }
  /** The same step again, from the middle of the origin's line. */
  | { do: 'repeat' }
  | { do: 'finish'; detour: boolean }
  | { do: 'hand-over' };

export const MAX_STEP_HOPS = 24;

export function nativeStepPlan(kind: NativeStepKind, originSp: bigint | undefined): NativeStepPlan {
  return { kind, originSp, detour: false, hops: 0 };
}

/** What to do at a stop that ended a gdb step, next, or finish of the plan. `sp`: the stop's stack pointer. */
export function nextNativeAction(plan: NativeStepPlan, place: NativePlace, sp: bigint | undefined): NativeStepAction {
  if (plan.kind === 'nexti' || plan.kind === 'stepi') return { do: 'report' };
  if (plan.detour && place === 'user') {
    // Back from a library call in the middle of the stepped line: `finish` ends mid-line.
    return plan.hops >= MAX_STEP_HOPS ? { do: 'give-up' } : { do: 'repeat' };
  }
  if (place === 'user') return { do: 'report' };
  if (plan.hops >= MAX_STEP_HOPS) return { do: 'give-up' };
  const deeper = sp !== undefined && plan.originSp !== undefined && sp < plan.originSp;
  if (deeper) return { do: 'finish', detour: plan.kind !== 'finish' };
  if (place === 'library') return { do: 'finish', detour: false };
  return { do: 'hand-over' };
}

/** The plan after taking `action`. */
export function advance(plan: NativeStepPlan, action: NativeStepAction): NativeStepPlan {
  if (action.do === 'finish') return { ...plan, detour: action.detour, hops: plan.hops + 1 };
  if (action.do === 'repeat') return { ...plan, detour: false, hops: plan.hops + 1 };
  return plan;
}
