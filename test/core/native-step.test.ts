import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advance, MAX_STEP_HOPS, nativeStepPlan, nextNativeAction } from '../../src/core/native-step';

const origin = 1000n;

test('a step that stops in the user code ends there', () => {
  assert.deepEqual(nextNativeAction(nativeStepPlan('step', origin), 'user', undefined), { do: 'report' });
  assert.deepEqual(nextNativeAction(nativeStepPlan('next', origin), 'user', 1000n), { do: 'report' });
});

test('step in on a line calling a library with debug info: finish out of it, then the same step goes on', () => {
  let plan = nativeStepPlan('step', origin);
  const into = nextNativeAction(plan, 'library', 900n);
  assert.deepEqual(into, { do: 'finish', detour: true });
  plan = advance(plan, into);
  // Back in the origin, mid-line: not the end of the step.
  const back = nextNativeAction(plan, 'user', origin);
  assert.deepEqual(back, { do: 'repeat' });
  plan = advance(plan, back);
  assert.equal(plan.detour, false);
  assert.deepEqual(nextNativeAction(plan, 'user', origin), { do: 'report' });
});

test('leaving the user code upward: through a library with lines finish again; without lines hand over to the caller language', () => {
  const plan = nativeStepPlan('next', origin);
  assert.deepEqual(nextNativeAction(plan, 'library', 1100n), { do: 'finish', detour: false });
  assert.deepEqual(nextNativeAction(plan, 'no-source', 1100n), { do: 'hand-over' });
  // A stack pointer that could not be read is not "deeper".
  assert.deepEqual(nextNativeAction(nativeStepPlan('step', undefined), 'no-source', undefined), { do: 'hand-over' });
});

test('a finish (step out) never detours; instructions always stop where they end', () => {
  assert.deepEqual(nextNativeAction(nativeStepPlan('finish', origin), 'library', 900n), { do: 'finish', detour: false });
  assert.deepEqual(nextNativeAction(nativeStepPlan('stepi', undefined), 'library', 900n), { do: 'report' });
  assert.deepEqual(nextNativeAction(nativeStepPlan('nexti', undefined), 'no-source', undefined), { do: 'report' });
});

test('a step never loops for ever: after MAX_STEP_HOPS detours it gives up where it is', () => {
  let plan = nativeStepPlan('step', origin);
  for (let i = 0; i < MAX_STEP_HOPS; i++) plan = advance(plan, { do: 'finish', detour: true });
  assert.deepEqual(nextNativeAction(plan, 'library', 900n), { do: 'give-up' });
  assert.deepEqual(nextNativeAction(plan, 'user', origin), { do: 'give-up' });
});
