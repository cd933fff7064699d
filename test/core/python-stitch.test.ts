// Python frames put in place of the interpreter's evaluation frames of a physical walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhysicalFrame } from '../../src/core/engine-ports';
import { evaluationGroups, insertPythonFrames, type PythonFrameInfo } from '../../src/core/python-stitch';

const native = (func: string, path?: string): PhysicalFrame => ({ kind: 'native', func, path, pc: `0x${func.length}` });
const evaluation = native('_PyEval_EvalFrameDefault');
const py = (name: string, entry: boolean | null): PythonFrameInfo => ({ name, path: '/p.py', line: 1, entry });
const names = (frames: PhysicalFrame[]) => frames.map((f) => (f.kind === 'python' ? `py:${f.name}` : f.kind === 'native' ? f.func : f.kind));

test('groups end at frames C entered; unknown entries make one group', () => {
  assert.deepEqual(evaluationGroups([py('a', false), py('b', true), py('c', true)]).map((g) => g.map((f) => f.name)), [['a', 'b'], ['c']]);
  assert.deepEqual(evaluationGroups([py('a', null), py('b', true)]).map((g) => g.length), [2]);
});

test('each evaluation frame becomes its group; the agent\'s own evaluation and what is above it go', () => {
  const physical = [native('recv'), evaluation, native('call_trace'), evaluation, native('chain_add', '/c.c'), native('ffi_call'), evaluation, native('chain_run', '/c.c')];
  const frames = [py('scale', false), py('compute', true), py('outer', true)];
  assert.deepEqual(names(insertPythonFrames(physical, frames, 1)), ['call_trace', 'py:scale', 'py:compute', 'chain_add', 'ffi_call', 'py:outer', 'chain_run']);
});

test('groups left over when the walk was cut short stay after the last evaluation', () => {
  assert.deepEqual(names(insertPythonFrames([evaluation, native('main', '/m.c')], [py('a', true), py('b', true)])), ['py:a', 'py:b', 'main']);
});
