// The program's end as the kernel sees it. gdb in non-stop mode can miss it: a program killed from
// outside while gdb holds it stopped leaves its main thread a zombie that gdb 13 never reaps nor
// reports (its other threads are reported gone, the thread group is not), and the session would
// wait forever. So the engine also watches the process itself, from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';

export interface ProcessEnd {
  exitCode?: number;
  signal?: string;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** How the process ended, or undefined while it lives (a zombie whose other threads run lives). */
export function processEnd(pid: number): ProcessEnd | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return {}; // reaped: its status went to gdb
  }
  // "pid (comm) state …": comm may hold spaces and parentheses, the fields after the last ')' do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] !== 'Z' && fields[0] !== 'X') return undefined;
  try {
    if (readdirSync(`/proc/${pid}/task`).length > 1) return undefined;
  } catch {
    // the task list is gone with the process
  }
  // Field 52, exit_code, in waitpid's encoding (fields[0] is field 3).
  const status = Number(fields[49]);
  if (!Number.isInteger(status)) return {};
  const signal = status & 0x7f;
  return signal ? { signal: SIGNAL_NAMES.get(signal) ?? `signal ${signal}` } : { exitCode: (status >> 8) & 0xff };
}

/**
 * Calls `onEnd` once the process has been seen ended twice in a row (gdb normally reports first);
 * returns the function that stops watching.
 */
export function watchProcess(pid: number, onEnd: (end: ProcessEnd) => void, intervalMs = 500): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    const end = processEnd(pid);
    seen = end ? seen + 1 : 0;
    if (end && seen >= 2) {
      clearInterval(timer);
      onEnd(end);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
