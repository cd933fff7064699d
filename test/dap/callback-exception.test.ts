// A JavaScript exception thrown in a koffi callback, with the default exception filters: the stop
// is on the throwing line, with the callback, the C frames and the outer TypeScript frames below —
// not after koffi has carried it back through C to the TypeScript call site.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assertTop, example, finish, launchWith, lineOf, stackText, startClient, stopped } from './harness';

const ex = example();
const ts = (marker: string) => lineOf(ex.appSource, marker);

test('a throw in a koffi callback stops on the throwing line with the whole stitched stack; koffi’s rethrow is not a second stop', async () => {
  const client = await startClient();
  const stops: DebugProtocol.StoppedEvent[] = [];
  try {
    await launchWith(client, [], { env: { SCENE_CALLBACK_THROW: '1' } });
    const stop = await stopped(client, 'exception');
    client.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
    assert.match(stop.body.text ?? '', /callback failed at step 1/);
    await assertTop(client, ex.appSource, ts('@callback-throw'), 'tenthsOf');
    const stack = await stackText(client);
    assert.match(
      stack,
      new RegExp(
        [
          `^tenthsOf app\\.ts:${ts('@callback-throw')}`,
          `onStep app\\.ts:${ts('@callback-entry')}`,
          '── C → JS \\(koffi callback\\) ──',
          'scene_walk scene\\.c:\\d+',
          '── JS → C \\(koffi\\) ──',
          `main app\\.ts:${ts('@call-walk')}`,
        ].join('\\n'),
      ),
    );
    const info = await client.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description ?? '', /callback failed at step 1/);
    const ended = client.waitForEvent('terminated', 30_000);
    await client.continueRequest({ threadId: 1 });
    await ended;
    assert.deepEqual(stops.map((s) => s.body.reason), [], 'no second stop for koffi’s rethrow at the call site');
  } finally {
    await finish(client);
  }
});

test('exception filters are named the way VS Code’s own debuggers name them', async () => {
  const client = await startClient();
  try {
    const capabilities = (await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).body;
    const labels = (capabilities?.exceptionBreakpointFilters ?? []).map((f) => f.label);
    assert.ok(labels.includes('JavaScript: Caught Exceptions') && labels.includes('JavaScript: Uncaught Exceptions'), labels.join(', '));
    const uncaught = capabilities?.exceptionBreakpointFilters?.find((f) => f.filter === 'js-uncaught');
    assert.equal(uncaught?.default, true);
    assert.match(uncaught?.description ?? '', /callback/);
  } finally {
    await finish(client);
  }
});
