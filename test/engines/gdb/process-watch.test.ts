// The engine's own view of the program's end (see src/engines/gdb/process-watch.ts), on real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { processEnd } from '../../../src/engines/gdb/process-watch';

/** A child that exits at once under a parent that never reaps it: a zombie for as long as the parent sleeps. */
async function zombie(script: string): Promise<{ pid: number; done: () => void }> {
  const parent = spawn('sh', ['-c', `${script} & echo $!; exec sleep 30`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
  const pid = Number(chunk.toString().trim());
  // Until the kernel has made it a zombie.
  for (let i = 0; i < 200 && !processEnd(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return { pid, done: () => parent.kill('SIGKILL') };
}

test('a living process has not ended', () => {
  assert.equal(processEnd(process.pid), undefined);
});

test('a process already reaped has ended, with nothing more known', () => {
  assert.deepEqual(processEnd(2 ** 22 + 12345), {});
});

test('a zombie has ended, with its exit code or the signal that killed it', async () => {
  const exited = await zombie('sh -c "sleep 0.3; exit 7"');
  const killed = await zombie('sh -c "sleep 0.3; kill -KILL \\$\\$"');
  try {
    assert.deepEqual(processEnd(exited.pid), { exitCode: 7 });
    assert.deepEqual(processEnd(killed.pid), { signal: 'SIGKILL' });
  } finally {
    exited.done();
    killed.done();
  }
});
