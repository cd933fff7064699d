// The process picker's list and what attach reads about a process, on real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { attachableProcesses } from '../../src/core/process-list';
import { resolvePythonInterpreter } from '../../src/core/python-interpreter';
import { runningProcessFacts } from '../../src/core/running-process';

test('the picker lists this user\'s processes with what can be debugged in each, not the debugger itself', async () => {
  // The real binary (not a launcher script such as pyenv's shim, which is bash until it execs).
  const python = spawn(resolvePythonInterpreter(undefined, process.cwd()), ['-c', 'import time; time.sleep(30)'], { stdio: 'ignore' });
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    // Until both have exec'd (slow on a loaded machine).
    const execed = (pid: number | undefined, name: RegExp) => { try { return name.test(readlinkSync(`/proc/${pid}/exe`)); } catch { return false; } };
    for (let i = 0; i < 200 && !(execed(python.pid, /python/) && execed(sleeper.pid, /sleep/)); i++) await new Promise((resolve) => setTimeout(resolve, 25));
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
