// What a running process is, read from /proc before attaching: its executable, whether it is node
// (its inspector can be opened) and whether it runs CPython (the agent can be started in it).

import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ErrorCode, userError } from '../engines/common/errors';

export interface RunningProcessFacts {
  executable: string;
  node: boolean;
  /** CPython is in the process: libpython mapped, or an interpreter with it linked in. */
  python: boolean;
  /** The executable itself is a Python interpreter (python3.11, …). */
  pythonExecutable: boolean;
  /** CPython's minor version (3.`minor`), from the interpreter's name or the libpython mapped; undefined when neither says. */
  pythonMinor?: number;
  /** The user the process runs as. */
  uid: number;
}

export function runningProcessFacts(pid: number): RunningProcessFacts {
  if (!existsSync(`/proc/${pid}`)) {
    throw userError(ErrorCode.ProgramNotFound, `No process ${pid} is running. Check "processId" in the attach configuration (or pick one with \${command:pickProcess}).`);
  }
  if (pid === process.pid) throw userError(ErrorCode.InvalidLaunchConfig, `Process ${pid} is the debug adapter itself; pick the program to debug.`);
  let executable: string;
  try {
    executable = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    const owner = statSync(`/proc/${pid}`).uid;
    throw userError(
      ErrorCode.PtraceNotPermitted,
      `Process ${pid} belongs to another user (uid ${owner}) or is a kernel thread: gdb cannot attach to it. Attach to a process of your own, or run the debugger as its user.`,
    );
  }
  const name = basename(executable);
  const maps = (() => {
    try {
      return readFileSync(`/proc/${pid}/maps`, 'utf8');
    } catch {
      return '';
    }
  })();
  const pythonExecutable = /^python[\d.]*$/.test(name);
  const minor = /^python3\.(\d+)$/.exec(name)?.[1] ?? /\/libpython3\.(\d+)\.so/.exec(maps)?.[1];
  return {
    executable,
    node: /^node(js)?[\d.]*$/.test(name),
    pythonExecutable,
    python: pythonExecutable || /\/libpython3[\d.]*\.so/.test(maps),
    pythonMinor: minor === undefined ? undefined : Number(minor),
    uid: statSync(`/proc/${pid}`).uid,
  };
}
