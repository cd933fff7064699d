// skipFiles, as VS Code's JavaScript debugger has it: node's internal frames shown as
// `<node_internals>/…` sources, greyed and folded by default, their text served on request;
// a step out of the program's last user frame does not stop in node's internals; a step in that
// leads into a skipped C or Python file runs through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { at as chainAt, chain, launchChain } from './chain';
import { chost, launchCHost } from './chost';
import { example, finish, launchWith, lineOf, startClient, step, stopped } from './harness';

const ex = example();

async function atReport(extra: Record<string, unknown>, body: (client: DebugClient, frames: DebugProtocol.StackFrame[]) => Promise<void>): Promise<void> {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: lineOf(ex.appSource, '@report') }], extra);
    await stopped(client, 'breakpoint');
    await body(client, (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames);
  } finally {
    await finish(client);
  }
}

const internals = (frames: DebugProtocol.StackFrame[]) => frames.filter((f) => f.source?.name?.startsWith('<node_internals>/'));

test('by default node internals are <node_internals> sources, greyed and folded, with their text on request', () =>
  atReport({}, async (client, frames) => {
    const inside = internals(frames);
    assert.ok(inside.length >= 2, frames.map((f) => `${f.name} ${f.source?.name}`).join('\n'));
    for (const frame of inside) {
      assert.equal(frame.presentationHint, 'subtle', frame.name);
      assert.equal(frame.source?.presentationHint, 'deemphasize', frame.name);
      assert.equal(frame.source?.origin, 'Skipped by skipFiles');
      assert.ok((frame.source?.sourceReference ?? 0) > 0);
    }
    // The user's frames are neither.
    const user = frames.filter((f) => f.source?.path?.endsWith('app.ts'));
    assert.deepEqual(user.map((f) => f.name), ['main', '<module>']);
    assert.ok(user.every((f) => f.presentationHint === undefined && f.source?.presentationHint === undefined));
    const text = await client.sourceRequest({ sourceReference: inside[0]!.source!.sourceReference!, source: inside[0]!.source });
    assert.match(text.body.content, /function|=>/);
  }));

test('skipFiles: [] shows node internals as ordinary frames', () =>
  atReport({ skipFiles: [] }, async (_client, frames) => {
    const inside = internals(frames);
    assert.ok(inside.length >= 2);
    assert.ok(inside.every((f) => f.presentationHint !== 'subtle' && f.source?.presentationHint !== 'deemphasize'));
  }));

test('a step out of the last user frame runs on instead of stopping in node internals', () =>
  atReport({}, async (client) => {
    await step(client, 'stepOut');
    const top = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top?.name, '<module>');
    const ended = client.waitForEvent('terminated', 30_000);
    await client.stepOutRequest({ threadId: 1 });
    await ended;
  }));

test('a launch configuration with skipFiles that is not a list of strings is refused, naming it', async () => {
  const client = await startClient();
  try {
    await assert.rejects(launchWith(client, [], { skipFiles: '<node_internals>/**' }), /skipFiles/);
  } finally {
    await finish(client);
  }
});

// skipFiles in C and Python: a step in whose way leads into a skipped file runs through it and
// stops past it, in the caller's file, whatever language the step started in.

async function topOf(client: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
}

test('skipFiles on a C file: a step in on the TypeScript line calling it stays in TypeScript', async () => {
  const client = await startClient();
  try {
    const call = lineOf(ex.appSource, '@call-scale');
    await launchWith(client, [{ path: ex.appSource, line: call }], { skipFiles: ['<node_internals>/**', '**/native/scene.c'] });
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    const top = await topOf(client);
    assert.equal(top.source?.path, ex.appSource, `not in the skipped scene.c: ${top.name} ${top.source?.path ?? ''}`);
    assert.ok([call, lineOf(ex.appSource, '@after-scale')].includes(top.line), `${top.name}:${top.line}`);
  } finally {
    await finish(client);
  }
});

test('skipFiles on a C file: a step in on the Python line calling it through ctypes stays in Python', async () => {
  const client = await startClient();
  client.defaultTimeout = 60_000;
  try {
    await launchChain(client, ['py:@py-add'], { launch: { skipFiles: ['<node_internals>/**', '**/native/chain.c'] } });
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    const top = await topOf(client);
    assert.equal(top.source?.path, chain().pySource, `not in the skipped chain.c: ${top.name} ${top.source?.path ?? ''}`);
    assert.equal(top.name, 'compute');
    assert.ok(top.line >= chainAt('py:@py-compute').line && top.line <= chainAt('py:@py-scale-call').line, `${top.name}:${top.line}`);
  } finally {
    await finish(client);
  }
});

test('skipFiles on the Python files: a step in on the C line that runs them stays in C', async () => {
  const client = await startClient();
  client.defaultTimeout = 60_000;
  const host = chost();
  try {
    await launchCHost(client, ['c:@host-run-file'], { launch: { skipFiles: [`${host.pyDir}/**`] } });
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    const top = await topOf(client);
    assert.equal(top.source?.path, host.cSource, `not in the skipped Python: ${top.name} ${top.source?.path ?? ''}`);
    assert.equal(top.name, 'run_file');
  } finally {
    await finish(client);
  }
});

test('skipFiles on a Python file: steps in on the Python line calling into it stay in the caller', async () => {
  const client = await startClient();
  client.defaultTimeout = 60_000;
  const host = chost();
  try {
    await launchCHost(client, ['script:@script-values'], { launch: { skipFiles: ['**/work.py'] } });
    await stopped(client, 'breakpoint');
    // Two: CPython 3.11 runs the list comprehension in a frame of its own (same line) first.
    for (let i = 0; i < 2; i++) {
      await step(client, 'stepIn', ''); // a step or the breakpoint again: the next round of the comprehension
      const top = await topOf(client);
      assert.equal(top.source?.path, host.scriptSource, `step in ${i + 1}: not in the skipped work.py: ${top.name} ${top.source?.path ?? ''}`);
    }
  } finally {
    await finish(client);
  }
});
