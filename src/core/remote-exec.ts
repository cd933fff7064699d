// Starting Python code in a running CPython 3.14+ the way the interpreter itself offers (PEP 768):
// `sys.remote_exec(pid, script)`, run by an interpreter of the same version, writes the script's
// path into the target's thread state and sets its eval breaker; the target's main thread runs the
// file at its next safe point, as it runs a pending call. No hand-made calls in the debuggee, no
// stop. It needs what a ptrace attach needs (it writes the target's memory), and the target must
// not have turned it off (PYTHON_DISABLE_REMOTE_DEBUG, -X disable_remote_debug, a build without it).
// CPython 3.13 and older have no such door: the agent starts there through gdb (engines/gdb/attach.ts).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findExecutable } from './executables';
import type { RunningProcessFacts } from './running-process';

/** The first CPython with sys.remote_exec. */
export const REMOTE_EXEC_MINOR = 14;

const RUN_TIMEOUT_MS = 15_000;

/**
 * An interpreter of the target's own version to call sys.remote_exec with: the target's
 * executable when it is one, else python3.`minor` on PATH. Undefined for a target older than
 * 3.14, of unknown version, of another user (it could not read our private script), or when no
 * such interpreter is found.
 */
export function remoteExecRunner(facts: RunningProcessFacts, cwd: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  if (facts.pythonMinor === undefined || facts.pythonMinor < REMOTE_EXEC_MINOR) return undefined;
  if (facts.uid !== process.getuid?.()) return undefined;
  if (facts.pythonExecutable && existsSync(facts.executable)) return facts.executable;
  return findExecutable(`python3.${facts.pythonMinor}`, cwd, pathVariable) ?? undefined;
}

/** Asks `runner` to have process `pid` run the Python file `script`; rejects with the runner's error text. */
export function remoteExec(runner: string, pid: number, script: string): Promise<void> {
  // The pid and the path are arguments, not code: nothing of them is parsed as Python.
  const code = 'import sys; sys.remote_exec(int(sys.argv[1]), sys.argv[2])';
  return new Promise((resolve, reject) => {
    execFile(runner, ['-c', code, String(pid), script], { timeout: RUN_TIMEOUT_MS, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      // The exception's last line says it (PermissionError, RuntimeError: … remote debugging …).
      const said = stderr.trim().split('\n').filter(Boolean).at(-1);
      reject(new Error(said ?? error.message));
    });
  });
}
