// The interpreter that runs a `.py` program: the launch configuration's `python` (a path, or a
// name looked up on PATH; VS Code fills it from the Python extension's selected interpreter), or
// `python3` on PATH. gdb must start the real binary, not a launcher script (pyenv's shims are
// shell scripts), so the interpreter is asked for its own sys.executable first.

import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { ErrorCode, userError } from '../engines/common/errors';
import { findExecutable } from './executables';

const ASK_TIMEOUT_MS = 15_000;

function isElf(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const magic = Buffer.alloc(4);
      return readSync(fd, magic, 0, 4, 0) === 4 && magic.toString('latin1') === '\x7fELF';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The absolute path of the interpreter binary to run under gdb; a user error naming `python` when there is none. */
export function resolvePythonInterpreter(python: string | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = python ?? 'python3';
  const found = findExecutable(wanted, cwd, env.PATH ?? '');
  if (!found) {
    throw userError(
      ErrorCode.RuntimeNotFound,
      python
        ? `The Python interpreter "${python}" (the launch configuration's "python") was not found or is not executable. Set "python" to an interpreter's path (e.g. /usr/bin/python3).`
        : 'python3 was not found on PATH, and the launch configuration sets no "python". Install Python (`sudo apt-get install python3`) or set "python" to an interpreter\'s path.',
    );
  }
  if (isElf(found)) return found;
  let real = '';
  try {
    real = execFileSync(found, ['-c', 'import sys; print(sys.executable)'], { cwd, env, encoding: 'utf8', timeout: ASK_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    throw userError(ErrorCode.RuntimeNotFound, `The Python interpreter ${found} did not run (${(error as Error).message.split('\n')[0]}). Set "python" in the launch configuration to a working interpreter.`, error);
  }
  if (!real || !isElf(real)) {
    throw userError(ErrorCode.RuntimeNotFound, `${found} is not a Python interpreter gdb can start (its sys.executable is "${real}"). Set "python" in the launch configuration to the interpreter binary.`);
  }
  return real;
}
