// Just my code, mostly with libc and libpython debug info installed (libc6-dbg, python3.11-dbg): steps
// end in the user's code and go through the libraries', a stop inside a library shows its frames
// by name and step out returns to the user's code; gdb never waits on debuginfod unless asked.
// Python run by PyRun_StringFlags: its <string> code is no place for a step to end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assertTop, collectOutput, example, finish, launchWith, lineOf, startClient, step, stopped } from './harness';
import { at, chain, launchChain } from './chain';
import { chost as host, hostAt, launchCHost } from './chost';

const ex = example();
const c = (marker: string) => lineOf(ex.cSource, marker);
const ts = (marker: string) => lineOf(ex.appSource, marker);

/** Whether this machine's libc has a line table gdb finds (libc6-dbg): a step can stop inside it. */
function libcHasLines(): boolean {
  const libc = '/lib/x86_64-linux-gnu/libc.so.6';
  if (!existsSync(libc)) return false;
  const answer = execFileSync('gdb', ['-nx', '-batch', '-ex', 'info line __libc_malloc', libc], { encoding: 'utf8' });
  return /^Line \d+ of/m.test(answer);
}

test('C step in on lines calling strlen and snprintf stays in the user code; stepping off the end returns to TS', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@label-strlen') }], { trace: true });
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@label-snprintf'), 'scene_label');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@label-return'), 'scene_label');
    await step(client, 'stepIn');
    await step(client, 'stepIn');
    const top = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    assert.equal(top.source?.path, ex.appSource, `back in TypeScript, not in ${top.name} ${top.source?.path ?? ''}`);
    assert.match(output.text(), /-gdb-set debuginfod enabled off/, 'gdb told not to download debug info');
  } finally {
    await finish(client);
  }
});

test('justMyCode off: step in enters libc; the library frame is named, step out returns to the user line', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@label-strlen') }], { justMyCode: false, debuginfod: true, trace: true });
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    if (!libcHasLines()) {
      // Without libc's line table (no libc6-dbg: the Debian 13 root) there is no line to stop on
      // in strlen: the step goes over it, as gdb's own step does.
      await assertTop(client, ex.cSource, c('@label-snprintf'), 'scene_label');
      assert.match(output.text(), /-gdb-set debuginfod enabled on/, 'the launch option turns debuginfod on');
      return;
    }
    const frames = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.match(frames[0]!.name, /strlen/, `in libc's strlen: ${frames.map((f) => f.name).join(' < ')}`);
    assert.equal(frames[1]?.name, 'scene_label');
    assert.ok(frames[0]!.instructionPointerReference, 'the library frame can show its disassembly');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, c('@label-strlen'), 'scene_label');
    await step(client, 'next');
    await assertTop(client, ex.cSource, c('@label-snprintf'), 'scene_label');
    assert.match(output.text(), /-gdb-set debuginfod enabled on/, 'the launch option turns debuginfod on');
  } finally {
    await finish(client);
  }
});

test('TS → C step in, then C steps over libc calls, step out lands on the TS call line or the next', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@call-label') }]);
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@label-strlen'), 'scene_label');
    await step(client, 'next');
    await assertTop(client, ex.cSource, c('@label-snprintf'), 'scene_label');
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@call-label'), ts('@after-label')], 'label');
  } finally {
    await finish(client);
  }
});

test('C → Python step in with libpython debug info lands in the Python function, not in libpython', async () => {
  const client = await startClient();
  try {
    await launchChain(client, ['c:@call-python']);
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    const top = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0] as DebugProtocol.StackFrame;
    assert.equal(top.source?.path, chain().pySource, `top frame ${top.name} ${top.source?.path ?? ''}:${top.line}`);
    assert.equal(top.line, at('py:@py-compute').line);
  } finally {
    await finish(client);
  }
});

test('PyRun_StringFlags: step in lands in the user Python the string calls; step out passes the <string> code back to the C caller', async () => {
  const client = await startClient();
  try {
    await launchCHost(client, ['c:@host-run-flags']);
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, host().workSource, hostAt('work:@py-mix-twice').line, 'mix_twice');
    await step(client, 'stepOut');
    const runFlags = hostAt('c:@host-run-flags').line;
    await assertTop(client, host().cSource, [runFlags, runFlags + 1], 'main');
  } finally {
    await finish(client);
  }
});
