// Why -exec-run failed, said so the user can act on it.

import { ErrorCode, userError, type PolyglotError } from '../common/errors';
import { MiCommandError } from './mi-connection';

export const PTRACE_HINT =
  'gdb must be allowed to trace processes: run `sudo sysctl kernel.yama.ptrace_scope=0` (or 1, for children of gdb), ' +
  'or in a container start it with `--cap-add=SYS_PTRACE --security-opt seccomp=unconfined`.';

const PTRACE_REFUSED = /ptrace: Operation not permitted|Could not trace the inferior process|not permitted to attach|PTRACE_TRACEME/i;
const MISSING = /No such file or directory|not in executable format|cannot execute/i;

export function launchError(program: string, error: Error): PolyglotError {
  const message = error instanceof MiCommandError ? error.gdbMessage : error.message;
  if (PTRACE_REFUSED.test(message)) return userError(ErrorCode.PtraceNotPermitted, `gdb may not trace ${program} (${message}). ${PTRACE_HINT}`, error);
  if (MISSING.test(message)) return userError(ErrorCode.ProgramNotFound, `gdb could not start ${program}: ${message}`, error);
  return userError(ErrorCode.EngineExited, `gdb could not start ${program}: ${message}`, error);
}
