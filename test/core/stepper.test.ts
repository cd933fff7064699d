// The stepper against recording stand-ins for the engines: what a step arms, and that the stop which
// ends a plan takes everything it armed away (its gdb breakpoints, a gdb step still under way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsEnginePort, NativeEnginePort } from '../../src/core/engine-ports';
import type { StackItem } from '../../src/core/stitch';
import { Stepper, type StepHost } from '../../src/core/steps/stepper';

/** How the fake V8 takes a break made from C: it pauses (and the stepper's step over is armed), it ignores it, or the break cannot be made. */
type V8Answer = 'pauses' | 'ignores' | { why: string };

function fakes(stack: StackItem[], options: { v8StepArmed?: boolean; v8Answer?: V8Answer } = {}) {
  const calls: string[] = [];
  let nextNumber = 40;
  let answerPause: ((paused: boolean) => void) | null = null;
  const v8Answer = options.v8Answer ?? 'pauses';
  const native = {
    mainThreadId: 1,
    insertBreakpoint: async (location: { function?: string; address?: string }) => {
      calls.push(`gdb break ${location.function ?? location.address}`);
      return { number: nextNumber++ };
    },
    deleteBreakpoint: async (n: number) => void calls.push(`gdb delete ${n}`),
    forgetStopState: async () => undefined,
    stackPointer: async () => 1000n,
    next: async () => void calls.push('gdb next'),
    step: async () => void calls.push('gdb step'),
    finish: async () => void calls.push('gdb finish'),
    continue: async () => void calls.push('gdb continue'),
    breakIntoV8: async () => {
      calls.push('gdb break into V8');
      if (typeof v8Answer === 'object') return { done: false, why: v8Answer.why };
      if (v8Answer === 'pauses') {
        calls.push('v8 paused, stepOver armed');
        answerPause?.(true);
        answerPause = null;
      }
      return { done: true };
    },
  } as unknown as NativeEnginePort;
  const js = {
    pause: async () => void calls.push('v8 pause'),
    takenIn: async () => void calls.push('v8 taken in'),
    stepInto: async () => void calls.push('v8 stepInto'),
    stepOver: async () => void calls.push('v8 stepOver'),
    stepOut: async () => void calls.push('v8 stepOut'),
    resume: async () => void calls.push('v8 resume'),
    stepArmed: options.v8StepArmed ?? false,
    armStepAtNextPause: () => {
      const paused = new Promise<boolean>((resolvePaused) => (answerPause = resolvePaused));
      return {
        paused,
        cancel: () => {
          answerPause?.(false);
          answerPause = null;
        },
      };
    },
  } as unknown as JsEnginePort;
  const host: StepHost = {
    native,
    python: null,
    js,
    stackTrace: async () => stack,
    stackIfRead: Promise.resolve(stack),
    lastNativeStop: { threadId: 1, reason: 'breakpoint-hit', location: { path: '/w/lib.c', line: 3 } } as never,
    resumeAs: async (action) => action(),
    markRunning: () => undefined,
    withNativeThreadHeld: async (fn) => {
      calls.push('gdb hold');
      return fn();
    },
    placeOf: () => 'user',
    watchEntry: async () => undefined,
    reportNativeStep: async () => undefined,
    isUserModule: () => true,
    output: (text) => void calls.push(`output ${text}`),
  };
  return { stepper: new Stepper(host), calls };
}

const callbackStack: StackItem[] = [
  { kind: 'js', name: 'onStep' },
  { kind: 'label', name: 'c-to-js', boundary: 'c-to-js' },
  { kind: 'c', name: 'scene_walk', pc: '0x10' },
  { kind: 'label', name: 'js-to-c', boundary: 'js-to-c' },
  { kind: 'js', name: 'main' },
];

test('a step over in a JS callback guards the C caller; the stop that ends it deletes the guard', async () => {
  const { stepper, calls } = fakes(callbackStack);
  await stepper.fromJs('over');
  assert.deepEqual(calls, ['gdb break 0x10', 'v8 stepOver']);
  assert.equal(stepper.stepBreakpoint(40), 'return');
  assert.equal(stepper.plan.ends.js, true);
  calls.length = 0;
  await stepper.end();
  assert.deepEqual(calls, ['gdb delete 40']);
  assert.equal(stepper.stepBreakpoint(40), false);
  assert.equal(stepper.plan.ends.js, false, 'no plan after the stop: a later plain pause is stale');
});

test('a stop in JS or Python while a gdb step is under way interrupts it (the breakpoint on the way wins)', async () => {
  const { stepper, calls } = fakes([{ kind: 'c', name: 'scene_walk', pc: '0x10' }, { kind: 'c', name: 'x', pc: '0x20' }]);
  await stepper.fromC('in', false);
  assert.deepEqual(calls, ['v8 pause', 'v8 taken in', 'gdb step']);
  assert.ok(stepper.plan.native, 'the gdb step is in flight');
  calls.length = 0;
  await stepper.end();
  assert.deepEqual(calls, ['gdb hold']);
  assert.equal(stepper.plan.native, null);
});

const outermostC: StackItem[] = [{ kind: 'c', name: 'scene_scale', pc: '0x1' }, { kind: 'label', name: 'js-to-c', boundary: 'js-to-c' }, { kind: 'js', name: 'measure' }];

test('step out of the outermost C frame with a V8 step held (a JS step went into C): V8 pause queued and taken in, gdb continues', async () => {
  const { stepper, calls } = fakes(outermostC, { v8StepArmed: true });
  await stepper.outOfC();
  assert.deepEqual(calls, ['v8 pause', 'v8 taken in', 'gdb continue']);
  assert.deepEqual(stepper.plan.ends, { js: true, python: false });
  await stepper.end();
});

test('step out of the outermost C frame reached by a C breakpoint: V8 is made to pause there and steps over in the caller, no queued pause', async () => {
  const { stepper, calls } = fakes(outermostC);
  await stepper.outOfC();
  assert.deepEqual(calls, ['gdb break into V8', 'v8 paused, stepOver armed', 'gdb continue']);
  assert.deepEqual(stepper.plan.ends, { js: true, python: false });
});

test('when V8 cannot be made to pause from C, the step falls back to a queued pause and says once why it may land late', async () => {
  for (const v8Answer of [{ why: 'a stripped build' }, 'ignores'] as const) {
    const { stepper, calls } = fakes(outermostC, { v8Answer });
    await stepper.outOfC();
    await stepper.end();
    await stepper.outOfC();
    const notes = calls.filter((c) => c.startsWith('output'));
    assert.equal(notes.length, 1, `one note for two steps (${JSON.stringify(v8Answer)})`);
    assert.match(notes[0]!, typeof v8Answer === 'object' ? /a stripped build/ : /ignored the break/);
    assert.deepEqual(calls.filter((c) => !c.startsWith('output')), ['gdb break into V8', 'v8 pause', 'v8 taken in', 'gdb continue', 'gdb break into V8', 'v8 pause', 'v8 taken in', 'gdb continue']);
  }
});

test('step out of a nested C frame is a gdb finish that knows its caller language', async () => {
  const { stepper, calls } = fakes([{ kind: 'c', name: 'scene_add', pc: '0x2' }, { kind: 'c', name: 'scene_walk', pc: '0x1' }, { kind: 'label', name: 'js-to-c', boundary: 'js-to-c' }, { kind: 'js', name: 'main' }]);
  await stepper.outOfC();
  assert.deepEqual(calls, ['gdb finish']);
  assert.equal(stepper.plan.returnsTo, 'js');
  assert.equal(await stepper.returnLanguage(), 'js');
});
