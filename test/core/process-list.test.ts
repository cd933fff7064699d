// The process picker's list and what attach reads about a process, on real processes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { attachableProcesses } from '../../src/core/process-list';
import { resolvePythonInterpreter } from '../../src/core/python-interpreter';
import { remoteExecRunner } from '../../src/core/remote-exec';
import { runningProcessFacts, type RunningProcessFacts } from '../../src/core/running-process';

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
    const facts = runningProcessFacts(python.pid!);
    assert.equal(facts.pythonExecutable, true);
    const minor = execFileSync(facts.executable, ['-c', 'import sys; print(sys.version_info[1])'], { encoding: 'utf8' }).trim();
    assert.equal(facts.pythonMinor, Number(minor), `the version of ${facts.executable}`);
    // sys.remote_exec for 3.14+, run by the target's own interpreter; gdb's way below 3.14.
    assert.equal(remoteExecRunner(facts, process.cwd()), facts.pythonMinor! >= 14 ? facts.executable : undefined);
  } finally {
    python.kill('SIGKILL');
    sleeper.kill('SIGKILL');
  }
});

test('attach to no process, or to the debugger itself, is refused naming processId', () => {
  assert.throws(() => runningProcessFacts(2 ** 22 + 12345), /No process \d+ is running\. Check "processId"/);
  assert.throws(() => runningProcessFacts(process.pid), /the debug adapter itself/);
});

test('who calls sys.remote_exec: an interpreter of the target\'s own version, only from 3.14 on, only for our own processes', () => {
  const uid = process.getuid!();
  const facts = (over: Partial<RunningProcessFacts>): RunningProcessFacts => ({ executable: process.execPath, node: false, python: true, pythonExecutable: true, pythonMinor: 14, uid, ...over });
  assert.equal(remoteExecRunner(facts({}), '/'), process.execPath, 'the target is the interpreter');
  assert.equal(remoteExecRunner(facts({ pythonMinor: 13 }), '/'), undefined, '3.13 has no sys.remote_exec');
  assert.equal(remoteExecRunner(facts({ pythonMinor: undefined }), '/'), undefined);
  assert.equal(remoteExecRunner(facts({ uid: uid + 1 }), '/'), undefined, 'another user cannot read our script');
  // An embedding program: python3.14 on PATH, none here.
  assert.equal(remoteExecRunner(facts({ pythonExecutable: false }), '/', '/nonexistent'), undefined);
});
