// skipFiles, as VS Code's JavaScript debugger has it: node's internal frames shown as
// `<node_internals>/…` sources, greyed and folded by default, their text served on request;
// a step out of the program's last user frame does not stop in node's internals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
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
