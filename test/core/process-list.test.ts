// The process picker's list and what attach reads about a process, on real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { attachableProcesses } from '../../src/core/process-list';
import { runningProcessFacts } from '../../src/core/running-process';

test('the picker lists this user\'s processes with what can be debugged in each, not the debugger itself', async () => {
  const python = spawn('python3', ['-c', 'import time; time.sleep(30)'], { stdio: 'ignore' });
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // exec done
    const listed = attachableProcesses();
    assert.equal(listed.find((p) => p.pid === python.pid)?.kind, 'python');
    assert.equal(listed.find((p) => p.pid === sleeper.pid)?.kind, 'native');
    assert.match(listed.find((p) => p.pid === sleeper.pid)?.command ?? '', /^sleep 30$/);
    assert.equal(listed.some((p) => p.pid === process.pid), false);
    assert.equal(runningProcessFacts(python.pid!).pythonExecutable, true);
  } finally {
    python.kill('SIGKILL');
    sleeper.kill('SIGKILL');
  }
});

test('attach to no process, or to the debugger itself, is refused naming processId', () => {
  assert.throws(() => runningProcessFacts(2 ** 22 + 12345), /No process \d+ is running\. Check "processId"/);
  assert.throws(() => runningProcessFacts(process.pid), /the debug adapter itself/);
});
