// takenIn(): a request sent while V8 cannot answer counts as in V8's hands only once node's
// inspector thread has read it. Against a real node whose threads are all stopped (SIGSTOP), as a
// busy machine may leave the inspector thread unscheduled while gdb lets the main thread go.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CdpConnection } from '../../src/engines/cdp/cdp-connection';
import { debuggeeNode } from '../debuggee-node';

async function nodeWithInspector(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(debuggeeNode, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk;
      const found = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(text)?.[0];
      if (found) resolve(found);
    });
    child.on('exit', () => reject(new Error(`node ended before its inspector listened: ${text}`)));
  });
  return { child, url };
}

/** Until every thread of `pid` has stopped: kill(2) returns before a SIGSTOP has taken effect. */
async function allThreadsStopped(pid: number): Promise<void> {
  const state = (tid: string) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return 'T'; // a thread that has ended
    }
  };
  for (let i = 0; i < 500; i++) {
    if (readdirSync(`/proc/${pid}/task`).every((tid) => state(tid) === 'T')) return;
    await sleep(10);
  }
  throw new Error(`process ${pid} did not stop within 5 s of SIGSTOP`);
}

test('takenIn waits until node’s inspector thread has read the requests sent, and not for their answers', async () => {
  const { child, url } = await nodeWithInspector();
  const cdp = await CdpConnection.connect(url, { ackFix: false });
  try {
    await cdp.takenIn(); // nothing sent yet: at once
    await cdp.send('Runtime.enable');
    await cdp.takenIn(); // answered: at once
    child.kill('SIGSTOP');
    await allThreadsStopped(child.pid!);
    const answer = cdp.send('Runtime.evaluate', { expression: '6 * 7' });
    let taken = false;
    const takenIn = cdp.takenIn().then(() => (taken = true));
    await sleep(300);
    assert.equal(taken, false, 'the inspector thread is stopped: nothing was read');
    child.kill('SIGCONT');
    await takenIn;
    assert.equal((await answer).result.value, 42);
  } finally {
    child.kill('SIGCONT');
    cdp.close();
    child.kill('SIGKILL');
  }
});
