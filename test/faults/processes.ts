// The processes a debug session owns, found from the adapter's process down, so a fault test can
// kill one of them and then check that none is left.
import { execFileSync } from 'node:child_process';
import type { DebugClient } from '@vscode/debugadapter-testsupport';

export interface Owned {
  pid: number;
  args: string;
}

function table(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

/** The adapter's process (DebugClient keeps it private). */
export function adapterPid(client: DebugClient): number {
  const pid = (client as unknown as { _adapterProcess?: { pid?: number } })._adapterProcess?.pid;
  if (!pid) throw new Error('the adapter process is not running');
  return pid;
}

/** Every process under the adapter: gdb, the debuggee, their children. */
export function descendants(root: number): Owned[] {
  const rows = table();
  const out: Owned[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const row of rows.filter((r) => r.ppid === parent)) {
      out.push({ pid: row.pid, args: row.args });
      queue.push(row.pid);
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !table().some((r) => r.pid === pid && r.args.includes('<defunct>'));
  } catch {
    return false;
  }
}

/** Waits up to `ms` for every process in `owned` to be gone; returns those still there. */
export async function leftAfter(owned: readonly Owned[], ms: number): Promise<Owned[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = owned.filter((p) => alive(p.pid));
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
