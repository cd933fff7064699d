// Steps within each language and across the koffi boundary, both ways, on the real example.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertTop, example, finish, launchWith, lineOf, startClient, step, stopped, topFrame } from './harness';

const ex = example();
const ts = (marker: string) => lineOf(ex.appSource, marker);
const c = (marker: string) => lineOf(ex.cSource, marker);

test('JS → C step in lands on the first line of the C function koffi calls; C → JS step out returns to the TS caller', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@call-scale') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.appSource, ts('@call-scale'), 'measure');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@scale-len'), 'scene_scale');
    await step(client, 'next');
    await assertTop(client, ex.cSource, c('@scale-len') + 1);
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@call-scale'), ts('@after-scale')], 'measure');
  } finally {
    await finish(client);
  }
});

test('stepping over the end of a C function entered from TS returns to the TS caller, not into koffi', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@call-scale') }]);
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@scale-len'), 'scene_scale');
    let top = await topFrame(client);
    for (let i = 0; i < 6 && top.source?.path === ex.cSource; i++) {
      await step(client, 'next');
      top = await topFrame(client);
    }
    await assertTop(client, ex.appSource, [ts('@call-scale'), ts('@after-scale')], 'measure');
  } finally {
    await finish(client);
  }
});

test('C → JS step in enters the koffi callback; JS callback → C step out is back in the C caller', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@walk-callback') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@walk-callback'), 'scene_walk');
    await step(client, 'stepIn');
    await assertTop(client, ex.appSource, ts('@callback-entry'), 'onStep');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, [c('@walk-callback'), c('@walk-after-callback')], 'scene_walk');
    await step(client, 'next');
    await assertTop(client, ex.cSource, [c('@walk-after-callback'), c('@walk-after-callback') - 2]);
  } finally {
    await finish(client);
  }
});

test('steps within TypeScript stay in TypeScript, stepping over FFI calls', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@callback-entry') }]);
    await stopped(client, 'breakpoint');
    await step(client, 'next');
    await assertTop(client, ex.appSource, ts('@callback-add'), 'onStep');
    await step(client, 'next');
    await assertTop(client, ex.appSource, ts('@callback-return'), 'onStep');
  } finally {
    await finish(client);
  }
});

test('JS step in on a line that calls C from a callback goes into that C function', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@callback-add') }]);
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, c('@add'), 'scene_add');
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@callback-add'), ts('@callback-return')], 'onStep');
  } finally {
    await finish(client);
  }
});

test('pause stops a busy TypeScript loop where it runs', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [], { env: { SCENE_TALLY: '20000000000' } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const paused = stopped(client, 'pause');
    await client.pauseRequest({ threadId: 1 });
    await paused;
    const top = await topFrame(client);
    assert.equal(top.name, 'tally');
  } finally {
    await finish(client);
  }
});
