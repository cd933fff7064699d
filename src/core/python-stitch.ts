// Python frames in their true place on the physical stack. Each C-level evaluation of Python code
// is one `_PyEval_EvalFrameDefault` frame on the native stack; since 3.11 it runs a Python frame
// entered from C plus every Python frame that one called directly. The agent marks the frames
// entered from C, which splits its list into one group per evaluation; the groups replace the
// evaluation frames in order. How a frame is marked differs by version (3.11's is_entry, 3.12+'s
// shim frame on the C stack); the agent reads each version's layout and checks it at run time, and
// when it cannot tell, the stack says so rather than guess. Pure, for tests.

import type { PhysicalFrame } from './engine-ports';

export interface PythonFrameInfo {
  name: string;
  path: string;
  line: number;
  /** Entered from C; null when the agent could not tell. */
  entry: boolean | null;
  /** The agent's id of the frame, when it is stopped and can show its values. */
  agentFrameId?: number;
}

const EVALUATION = /^_PyEval_EvalFrameDefault$|^_PyEval_EvalFrame$/;

/** A Python frame as a frame of the physical stack, at the C frame (`pc`) that runs it. */
export function pythonFrame(python: PythonFrameInfo, pc = '0x0'): PhysicalFrame {
  return { kind: 'python', pc, name: python.name, path: python.path, line: python.line, agentFrameId: python.agentFrameId };
}

/** A frame of CPython's C API or internals (`PyObject_Call`, `_PyObject_MakeTpCall`, `PyRun_…`). */
export const callsIntoPython = (frame: PhysicalFrame): boolean => frame.kind === 'native' && /^_?Py[A-Z_]/.test(frame.func ?? '');

export const isPythonEvaluation = (frame: PhysicalFrame): frame is Extract<PhysicalFrame, { kind: 'native' }> => frame.kind === 'native' && EVALUATION.test(frame.func ?? '');

/**
 * One evaluation can show as two frames: `_PyEval_EvalFrame` (an inline wrapper, a frame of its
 * own in gdb's walk when libpython has debug info) directly below the `_PyEval_EvalFrameDefault`
 * it calls. Counting both would give the next group of Python frames to the wrapper.
 */
function isWrapperOfPrevious(frame: PhysicalFrame, previous: PhysicalFrame | undefined): boolean {
  return frame.kind === 'native' && frame.func === '_PyEval_EvalFrame' && previous !== undefined && isPythonEvaluation(previous);
}

/** Consecutive frames up to and including each entry frame; all in one group when entries are unknown. */
export function evaluationGroups(frames: readonly PythonFrameInfo[]): PythonFrameInfo[][] {
  if (frames.some((f) => f.entry === null)) return frames.length > 0 ? [[...frames]] : [];
  const groups: PythonFrameInfo[][] = [];
  let current: PythonFrameInfo[] = [];
  for (const frame of frames) {
    current.push(frame);
    if (frame.entry) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * The physical stack with Python frames in place of the evaluations that run them. `skipEvaluations`
 * innermost evaluations belong to the agent itself (its trace or monitoring callback) and are
 * dropped. `version`: the interpreter's, named when its frame layout is not recognised.
 */
export function insertPythonFrames(physical: readonly PhysicalFrame[], frames: readonly PythonFrameInfo[], skipEvaluations = 0, version?: string): PhysicalFrame[] {
  const evaluations = physical.filter((frame, index) => isPythonEvaluation(frame) && !isWrapperOfPrevious(frame, physical[index - 1])).length;
  if (frames.some((f) => f.entry === null) && evaluations > 1) return unplacedPythonFrames(physical, frames, version);
  const groups = evaluationGroups(frames);
  const out: PhysicalFrame[] = [];
  let skipped = 0;
  let lastEvaluation = -1;
  let previous: PhysicalFrame | undefined;
  for (const frame of physical) {
    const wrapper = isWrapperOfPrevious(frame, previous);
    previous = frame;
    if (wrapper) continue;
    if (!isPythonEvaluation(frame)) {
      out.push(frame);
      continue;
    }
    if (skipped < skipEvaluations) {
      skipped++;
      out.length = 0; // everything above the user's Python is the agent waiting for commands
      continue;
    }
    const group = groups.shift();
    if (!group) continue;
    for (const python of group) out.push(pythonFrame(python, frame.pc));
    lastEvaluation = out.length;
  }
  // More groups than evaluations found (a walk cut short): keep them where the last one went.
  const rest = groups.flat().map((python) => pythonFrame(python));
  if (rest.length > 0) out.splice(lastEvaluation < 0 ? out.length : lastEvaluation, 0, ...rest);
  return out;
}

/**
 * Several evaluations and no way to tell which runs which Python frames: the Python frames
 * together where the first evaluation is, a notice saying why, and the frames below the last
 * evaluation (certainly below all Python). What lay between the evaluations is not shown.
 */
function unplacedPythonFrames(physical: readonly PhysicalFrame[], frames: readonly PythonFrameInfo[], version = '3.x'): PhysicalFrame[] {
  const first = physical.findIndex(isPythonEvaluation);
  const pc = (physical[first] as Extract<PhysicalFrame, { kind: 'native' }>).pc;
  const last = physical.length - 1 - [...physical].reverse().findIndex(isPythonEvaluation);
  const reason = `Python frames unavailable: CPython ${version} frame layout not recognised, so the C frames between Python frames are not shown`;
  return [...physical.slice(0, first), ...frames.map((python) => pythonFrame(python, pc)), { kind: 'notice', reason }, ...physical.slice(last + 1)];
}

/**
 * Python runs on the thread but the walk found no evaluation frame to put it in: the interpreter's
 * evaluation loop has no symbol gdb can name (CPython 3.14 builds without their -dbg package, a
 * stripped interpreter). The frames are not placed by guess; one row says they exist and why.
 */
export function unplacedPythonNotice(frames: readonly PythonFrameInfo[], version = '3.x'): PhysicalFrame[] {
  const innermost = frames[0];
  if (!innermost) return [];
  const count = frames.length === 1 ? '1 Python frame' : `${frames.length} Python frames`;
  const where = `${innermost.name} at ${innermost.path}:${innermost.line}`;
  const reason = `${count} (innermost: ${where}) not shown: CPython ${version}'s evaluation loop has no symbol in this build; install its debug symbols (e.g. python${version}-dbg)`;
  return [{ kind: 'notice', reason }];
}
