// The step plans without engines: what each boundary arms (boundaries.ts) and what each stop means
// to the plan in flight (plan.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callbackOf, callerLanguageOfC, cCallerOfPython, cStep, cStepOut, isOutermostC, jsStep, pythonMayReturnToC, pythonStep } from '../../src/core/steps/boundaries';
import { jsPauseVerdict, MAX_LIBRARY_SKIPS, nativeStopVerdict, newPlan, noStep, pythonStopVerdict, type NativeStopFacts } from '../../src/core/steps/plan';
import type { StackItem } from '../../src/core/stitch';

const js = (name: string, line = 1): StackItem => ({ kind: 'js', name, path: '/w/app.ts', line });
const c = (name: string, pc: string): StackItem => ({ kind: 'c', name, pc, path: '/w/lib.c', line: 3 });
const py = (name: string, path: string): StackItem => ({ kind: 'py', name, path, line: 1 });
const label = (boundary: 'js-to-c' | 'c-to-js' | 'c-to-py' | 'py-to-c'): StackItem => ({ kind: 'label', name: boundary, boundary });
const withFile = (path: string | undefined) => !!path && !path.includes('<');

// ── TS ↔ C ──────────────────────────────────────────────────────────────────────────────────────

test('TS → C step in: breakpoints on the C functions the line calls, then V8 steps in; only a V8 pause or one of them ends it', () => {
  const arming = jsStep('in', ['scene_scale'], undefined);
  assert.deepEqual(arming, { ends: { js: true, python: false }, functions: ['scene_scale'], addresses: [], v8: 'stepInto' });
  assert.deepEqual(jsStep('over', ['scene_scale'], undefined), { ends: { js: true, python: false }, functions: [], addresses: [], v8: 'stepOver' });
  assert.deepEqual(jsStep('out', [], undefined).v8, 'stepOut');
});

test('in a JS callback C called: over and in guard the C caller; out of the callback itself runs to it', () => {
  const stack = [js('onStep'), label('c-to-js'), c('scene_walk', '0x10'), label('js-to-c'), js('main')];
  const callback = callbackOf(stack);
  assert.deepEqual(callback, { callerPc: '0x10', outermost: true });
  assert.deepEqual(jsStep('over', [], callback).addresses, ['0x10']);
  assert.deepEqual(jsStep('in', ['scene_add'], callback), { ends: { js: true, python: false }, functions: ['scene_add'], addresses: ['0x10'], v8: 'stepInto' });
  assert.deepEqual(jsStep('out', [], callback), { ends: { js: true, python: false }, functions: [], addresses: ['0x10'], v8: 'resume' });
  // From a function the callback called, step out returns to the callback: V8's own step out.
  const deeper = callbackOf([js('tenthsOf'), js('onStep'), label('c-to-js'), c('scene_walk', '0x10')]);
  assert.deepEqual(jsStep('out', [], deeper), { ends: { js: true, python: false }, functions: [], addresses: [], v8: 'stepOut' });
  assert.equal(callbackOf([js('main')]), undefined);
  assert.equal(callbackOf([js('main'), label('js-to-c'), c('x', '0x1')]), undefined);
});

test('C step over and in: gdb steps; step in also queues a V8 pause and an agent step (a callback or Python the line runs)', () => {
  assert.deepEqual(cStep('over', false, true), { gdb: 'next', ends: { js: false, python: false }, queue: { js: false, python: false } });
  assert.deepEqual(cStep('in', false, true), { gdb: 'step', ends: { js: true, python: true }, queue: { js: true, python: true } });
  assert.deepEqual(cStep('in', true, true), { gdb: 'stepi', ends: { js: false, python: false }, queue: { js: false, python: false } });
  assert.deepEqual(cStep('over', true, false), { gdb: 'nexti', ends: { js: false, python: false }, queue: { js: false, python: false } });
  // No line information: gdb cannot step by lines, the step finishes to the caller.
  assert.equal((cStep('in', false, false) as { gdb: string }).gdb, 'finish');
});

test('C → TS step out: from the outermost C frame the JS caller takes over; from a nested C frame gdb finishes', () => {
  const outer = [c('scene_scale', '0x1'), label('js-to-c'), js('measure')];
  assert.equal(isOutermostC(outer), true);
  assert.equal(callerLanguageOfC(outer), 'js');
  assert.deepEqual(cStepOut(true, 'js', true), { handOver: 'js', ends: { js: true, python: false } });
  const nested = [c('scene_add', '0x2'), c('scene_walk', '0x1'), label('js-to-c'), js('main')];
  assert.equal(isOutermostC(nested), false);
  assert.deepEqual(cStepOut(false, 'js', true), { gdb: 'finish', ends: { js: false, python: false }, queue: { js: false, python: false }, returnsTo: 'js' });
  // main of a native program: nothing to hand over to, the program runs to its end.
  assert.equal(isOutermostC([c('main', '0x1')]), true);
  assert.deepEqual(cStepOut(true, undefined, false), { handOver: 'none', ends: { js: false, python: false } });
});

// ── C ↔ Python ──────────────────────────────────────────────────────────────────────────────────

test('C → Python step out: the outermost C frame under ctypes hands over to the agent', () => {
  const stack = [c('add', '0x1'), label('py-to-c'), py('compute', '/w/work.py')];
  assert.equal(callerLanguageOfC(stack), 'python');
  assert.deepEqual(cStepOut(true, 'python', true), { handOver: 'python', ends: { js: false, python: true } });
});

test('Python → C step in: breakpoints on the ctypes functions the line calls; the agent steps in', () => {
  assert.deepEqual(pythonStep('in', ['add'], undefined), { ends: { js: false, python: true }, functions: ['add'], addresses: [], agent: 'stepIn' });
  assert.deepEqual(pythonStep('over', ['add'], undefined).functions, []);
});

test('Python → C step out: from Python that C called, a breakpoint where the C caller resumes', () => {
  const stack = [py('mix', '/w/work.py'), label('c-to-py'), c('main', '0x40')];
  assert.equal(cCallerOfPython(stack, withFile), '0x40');
  assert.deepEqual(pythonStep('out', [], '0x40'), { ends: { js: false, python: true }, functions: [], addresses: ['0x40'], agent: 'stepOut' });
  // A Python caller with a file between: the step returns there, not to C.
  assert.equal(cCallerOfPython([py('mix', '/w/work.py'), py('run', '/w/run.py'), label('c-to-py'), c('main', '0x40')], withFile), undefined);
});

test('PyRun_String module code: <string> and <frozen> frames between the top frame and C are passed to the C caller', () => {
  const stack = [py('mix', '/w/work.py'), py('<module>', '/w/<string>'), label('c-to-py'), c('main', '0x40')];
  assert.equal(cCallerOfPython(stack, withFile), '0x40');
  const frames = [{ path: '/w/work.py', entry: false }, { path: '/w/<string>', entry: true }];
  assert.equal(pythonMayReturnToC(frames, 'out', withFile), true);
  assert.equal(pythonMayReturnToC([{ path: '/w/work.py', entry: false }, { path: '/w/main.py', entry: true }], 'out', withFile), false);
});

test('Python step over or in may return into C only from a line that can leave the frame', () => {
  assert.equal(pythonMayReturnToC([{ path: '/w/cb.py', entry: true, mayLeave: false }], 'over', withFile), false);
  assert.equal(pythonMayReturnToC([{ path: '/w/cb.py', entry: true, mayLeave: true }], 'over', withFile), true);
  assert.equal(pythonMayReturnToC([{ path: '/w/cb.py', entry: true, mayLeave: false }], 'out', withFile), true);
  // A frame another Python frame called returns to Python.
  assert.equal(pythonMayReturnToC([{ path: '/w/cb.py', entry: false }, { path: '/w/main.py', entry: false }], 'out', withFile), false);
});

// ── what a stop means to the plan ───────────────────────────────────────────────────────────────

test('a breakpoint hit on the way wins over any step, in every engine', () => {
  const plan = newPlan('c', 'in', { js: true, python: true });
  assert.deepEqual(jsPauseVerdict(plan, { kind: 'breakpoint', stops: true, wasRunning: true }), { do: 'report', as: 'breakpoint' });
  assert.deepEqual(pythonStopVerdict(plan, { kind: 'breakpoint', stops: true }), { do: 'report', as: 'breakpoint' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ gdbStep: true, userBreakpoint: { stops: true }, stepEnded: false })), { do: 'report', as: 'breakpoint' });
  assert.deepEqual(jsPauseVerdict(plan, { kind: 'exception', reported: true }), { do: 'report', as: 'exception' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ gdbStep: true, signal: 'exception' })), { do: 'report', as: 'exception' });
});

test('a breakpoint whose hit condition says no: the step ends there if it was going there, else the program runs on', () => {
  const stepping = newPlan('js', 'over', { js: true });
  assert.deepEqual(jsPauseVerdict(stepping, { kind: 'breakpoint', stops: false, wasRunning: true }), { do: 'report', as: 'step' });
  assert.deepEqual(jsPauseVerdict(noStep(), { kind: 'breakpoint', stops: false, wasRunning: true }), { do: 'resume' });
  assert.deepEqual(pythonStopVerdict(newPlan('py', 'over', { python: true }), { kind: 'breakpoint', stops: false }), { do: 'report', as: 'step' });
  assert.deepEqual(pythonStopVerdict(noStep(), { kind: 'breakpoint', stops: false }), { do: 'resume' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ userBreakpoint: { stops: false } })), { do: 'resume' });
});

test('a stale pause or agent step (the plan did not arm that engine) is resumed silently', () => {
  const cOver = newPlan('c', 'over');
  assert.deepEqual(jsPauseVerdict(cOver, { kind: 'plain', inLibrary: false }), { do: 'resume' });
  assert.deepEqual(pythonStopVerdict(cOver, { kind: 'step', inSkippedFile: false }), { do: 'resume' });
  assert.deepEqual(jsPauseVerdict(noStep(), { kind: 'exception', reported: false }), { do: 'resume' });
});

test('a step that lands in library code goes on out of it, a bounded number of times', () => {
  const plan = newPlan('c', 'out', { js: true });
  assert.deepEqual(jsPauseVerdict(plan, { kind: 'plain', inLibrary: true }), { do: 'step-out' });
  plan.librarySkips = MAX_LIBRARY_SKIPS;
  assert.deepEqual(jsPauseVerdict(plan, { kind: 'plain', inLibrary: true }), { do: 'report', as: 'step' });
  const py = newPlan('py', 'in', { python: true });
  assert.deepEqual(pythonStopVerdict(py, { kind: 'step', inSkippedFile: true }), { do: 'step-out' });
  py.pause = true;
  assert.deepEqual(pythonStopVerdict(py, { kind: 'step', inSkippedFile: true }), { do: 'report', as: 'pause' });
});

test('the stop that ends a plan the user paused is a pause', () => {
  const plan = noStep();
  plan.pause = true;
  plan.ends.js = true;
  assert.deepEqual(jsPauseVerdict(plan, { kind: 'plain', inLibrary: false }), { do: 'report', as: 'pause' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ signal: 'pause' })), { do: 'report', as: 'pause' });
});

test('gdb stops: a step breakpoint ends the step in C; a step that ended is carried on or handed over', () => {
  assert.deepEqual(nativeStopVerdict(nativeFacts({ stepBreakpoint: 'entry' })), { do: 'report', as: 'step' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ stepBreakpoint: 'return' })), { do: 'report', as: 'step' });
  // skipFiles: a step in that reached a skipped C function runs on; the language's own step ends it.
  assert.deepEqual(nativeStopVerdict(nativeFacts({ stepBreakpoint: 'entry', inSkippedFile: true })), { do: 'resume' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ entry: true })), { do: 'report', as: 'entry' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ gdbStep: true, stepEnded: true })), { do: 'carry' });
  // A gdb step that was dropped (the user went on) and ended without source: koffi or ctypes.
  assert.deepEqual(nativeStopVerdict(nativeFacts({ stepEnded: true, hasSource: false })), { do: 'hand-over' });
  assert.deepEqual(nativeStopVerdict(nativeFacts({ stepEnded: true, hasSource: true })), { do: 'report', as: 'step' });
});

function nativeFacts(facts: Partial<NativeStopFacts>): NativeStopFacts {
  return { gdbStep: false, entry: false, stepBreakpoint: false, inSkippedFile: false, stepEnded: false, hasSource: true, ...facts };
}
