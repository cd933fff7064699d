// What must hold before a session can start, checked before anything is launched, each problem
// with the exact command that fixes it: gdb found; node for a JavaScript/TypeScript program, a
// Python interpreter for a .py one (a native executable needs neither); and the kernel letting gdb
// trace its child (Yama's ptrace_scope) — or, to attach, any process of the user's.

import { readFileSync } from 'node:fs';
import { findExecutable } from './executables';

export interface PreflightProblem {
  message: string;
  /** A shell command the user can run to fix it, when there is one. */
  fix?: string;
}

export interface PreflightInput {
  cwd: string;
  gdbPath?: string;
  runtimeExecutable?: string;
  /** What runs: node (the default), a Python script, a native executable, or an attach. */
  kind?: 'node' | 'python' | 'native' | 'attach';
  /** The interpreter of a Python program (default python3). */
  python?: string;
  pathVariable?: string;
  /** Where the kernel says how ptrace is restricted; a test points it elsewhere. */
  ptraceScopeFile?: string;
  isRoot?: boolean;
}

export function preflight(input: PreflightInput): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const path = input.pathVariable ?? process.env.PATH ?? '';
  if (!findExecutable(input.gdbPath ?? 'gdb', input.cwd, path)) {
    problems.push(input.gdbPath
      ? { message: `gdb was not found at "${input.gdbPath}" (the launch configuration's gdbPath).` }
      : { message: 'gdb was not found on PATH: Polyglot Debug runs the program under gdb.', fix: 'sudo apt-get install gdb' });
  }
  const kind = input.kind ?? 'node';
  if (kind === 'python' && !findExecutable(input.python ?? 'python3', input.cwd, path)) {
    problems.push(input.python
      ? { message: `The Python interpreter "${input.python}" (the launch configuration's "python") was not found.` }
      : { message: 'python3 was not found on PATH, and the launch configuration sets no "python".', fix: 'sudo apt-get install python3' });
  }
  if (kind === 'node' && !findExecutable(input.runtimeExecutable ?? 'node', input.cwd, path)) {
    problems.push(input.runtimeExecutable
      ? { message: `Node.js was not found at "${input.runtimeExecutable}" (the launch configuration's runtimeExecutable).` }
      : { message: 'Node.js was not found on PATH.', fix: 'sudo apt-get install nodejs' });
  }
  const scope = readPtraceScope(input.ptraceScopeFile ?? '/proc/sys/kernel/yama/ptrace_scope');
  const isRoot = input.isRoot ?? process.getuid?.() === 0;
  // gdb starts the program as its own child: scope 0 and 1 allow that; 2 needs root; 3 allows nothing.
  if (kind === 'attach' && scope === 1 && !isRoot) {
    problems.push({ message: 'The kernel lets gdb trace only its own children (kernel.yama.ptrace_scope = 1), so it cannot attach to a running process.', fix: 'sudo sysctl kernel.yama.ptrace_scope=0' });
  }
  if (scope === 3) problems.push({ message: 'The kernel forbids ptrace until the next reboot (kernel.yama.ptrace_scope = 3), so gdb cannot debug any program.' });
  else if (scope === 2 && !isRoot) problems.push({ message: 'The kernel lets only root use ptrace (kernel.yama.ptrace_scope = 2), so gdb cannot debug the program.', fix: 'sudo sysctl kernel.yama.ptrace_scope=1' });
  return problems;
}

function readPtraceScope(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined; // no Yama: ptrace is governed by the usual permissions
  }
}
