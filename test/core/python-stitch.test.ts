// Python frames put in place of the interpreter's evaluation frames of a physical walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhysicalFrame } from '../../src/core/engine-ports';
import { callsIntoPython, evaluationGroups, insertPythonFrames, unplacedPythonNotice, type PythonFrameInfo } from '../../src/core/python-stitch';

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

test('an inline _PyEval_EvalFrame wrapper below its _PyEval_EvalFrameDefault is the same evaluation (a ctypes callback under Python)', () => {
  const wrapper = native('_PyEval_EvalFrame');
  const physical = [native('recv'), evaluation, wrapper, native('call_trace'), evaluation, wrapper, native('closure_fcn'), native('host_visit', '/h.c'), native('ffi_call'), evaluation, wrapper, native('main', '/h.c')];
  const frames = [py('square', true), py('run', false), py('<module>', true)];
  assert.deepEqual(names(insertPythonFrames(physical, frames, 1)), ['call_trace', 'py:square', 'closure_fcn', 'host_visit', 'ffi_call', 'py:run', 'py:<module>', 'main']);
});

test('a frame layout the agent does not know: the Python frames where the first evaluation is, a notice, the frames below the last', () => {
  const physical = [native('recv'), evaluation, native('chain_add', '/c.c'), evaluation, native('chain_run', '/c.c')];
  const out = insertPythonFrames(physical, [py('scale', null), py('compute', null)], 0, '3.14');
  assert.deepEqual(names(out), ['recv', 'py:scale', 'py:compute', 'notice', 'chain_run']);
  const notice = out.find((f) => f.kind === 'notice');
  assert.match(notice?.kind === 'notice' ? notice.reason : '', /Python frames unavailable: CPython 3\.14 frame layout not recognised/);
});

test('a layout not known but a single evaluation: its frames are placed exactly, no notice', () => {
  assert.deepEqual(names(insertPythonFrames([native('recv'), evaluation, native('main', '/m.c')], [py('a', null), py('b', null)])), ['recv', 'py:a', 'py:b', 'main']);
});

test('Python running where no evaluation frame has a name (no debug symbols): one notice naming the frames and what to install, none when Python is idle', () => {
  const notice = unplacedPythonNotice([py('square', true), py('<module>', true)], '3.14');
  assert.equal(notice.length, 1);
  assert.match(notice[0]!.kind === 'notice' ? notice[0]!.reason : '', /^2 Python frames \(innermost: square at \/p\.py:1\) not shown: .*python3\.14-dbg/);
  assert.deepEqual(unplacedPythonNotice([], '3.14'), []);
});

test('frames of the C API mark where Python may run unnamed; a user function named Py… in lower case does not', () => {
  assert.equal(callsIntoPython(native('_PyObject_MakeTpCall')), true);
  assert.equal(callsIntoPython(native('PyRun_SimpleStringFlags')), true);
  assert.equal(callsIntoPython(native('chain_run', '/c.c')), false);
  assert.equal(callsIntoPython(native('pyramid')), false);
});
