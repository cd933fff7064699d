// The processes a user can attach to, for the process picker: this user's processes from /proc,
// each with its command line and what Polyglot Debug can debug in it (node, Python, C).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { runningProcessFacts } from './running-process';

export interface AttachableProcess {
  pid: number;
  /** The command line, arguments separated by spaces. */
  command: string;
  /** What the debugger will see in it: node, Python, or native code only. */
  kind: 'node' | 'python' | 'native';
}

/** This user's processes except `exclude` (the debugger itself), newest first. */
export function attachableProcesses(exclude: readonly number[] = [process.pid, process.ppid], uid = process.getuid?.()): AttachableProcess[] {
  const found: AttachableProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.includes(pid)) continue;
    try {
      if (uid !== undefined && uid !== 0 && statSync(`/proc/${pid}`).uid !== uid) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (!command) continue; // a kernel thread
      const facts = runningProcessFacts(pid);
      found.push({ pid, command, kind: facts.node ? 'node' : facts.python ? 'python' : 'native' });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found.sort((a, b) => b.pid - a.pid);
}
