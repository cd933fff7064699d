// Steps that meet a breakpoint on the way, and steps from awkward lines (a loop, a function's last
// line) on the real example: the breakpoint wins, and the step it cancelled leaves nothing behind
// (no stale gdb step or step breakpoint turns a later stop into a "step").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chain, launchChain } from './chain';
import { assertTop, collectOutput, example, finish, launchWith, lineOf, startClient, step, stopped, topFrame } from './harness';

const ex = example();
const ts = (marker: string) => lineOf(ex.appSource, marker);
const c = (marker: string) => lineOf(ex.cSource, marker);

test('TS step over a line whose C runs a callback with a breakpoint: the breakpoint wins; continue stops only at breakpoints', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [
      { path: ex.appSource, line: ts('@call-walk') },
      { path: ex.appSource, line: ts('@callback-add') },
    ]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.appSource, ts('@call-walk'), 'main');
    await step(client, 'next', 'breakpoint');
    await assertTop(client, ex.appSource, ts('@callback-add'), 'onStep');
    // The cancelled step over left no step armed: the next callback's breakpoint is a breakpoint.
    await step(client, 'continue', 'breakpoint');
    await assertTop(client, ex.appSource, ts('@callback-add'), 'onStep');
  } finally {
    await finish(client);
  }
});

test('C next inside a loop over a line that runs a callback with a breakpoint: the breakpoint wins; the dropped gdb step does not come back', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [
      { path: ex.cSource, line: c('@walk-callback') },
      { path: ex.appSource, line: ts('@callback-entry') },
    ]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@walk-callback'), 'scene_walk');
    await step(client, 'next', 'breakpoint');
    await assertTop(client, ex.appSource, ts('@callback-entry'), 'onStep');
    await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [] });
    // On through the rest of the callback and the loop: the C breakpoint of the next round.
    await step(client, 'continue', 'breakpoint');
    await assertTop(client, ex.cSource, c('@walk-callback'), 'scene_walk');
    // And a plain C next in the loop ends on the next line, the callback run over.
    await step(client, 'next');
    await assertTop(client, ex.cSource, c('@walk-after-callback'), 'scene_walk');
  } finally {
    await finish(client);
  }
});

test('C step in on a line whose callback calls C with a breakpoint: the C breakpoint wins over the JS pause queued for the callback', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [
      { path: ex.cSource, line: c('@walk-callback') },
      { path: ex.cSource, line: c('@add') },
    ]);
    await stopped(client, 'breakpoint');
    // The step in pauses in the callback first (its first statement), then a next over the
    // scene_add line meets the C breakpoint.
    await step(client, 'stepIn');
    await assertTop(client, ex.appSource, ts('@callback-entry'), 'onStep');
    await step(client, 'next');
    await assertTop(client, ex.appSource, ts('@callback-add'), 'onStep');
    await step(client, 'next', 'breakpoint');
    await assertTop(client, ex.cSource, c('@add'), 'scene_add');
    // Out of scene_add (called from the callback, a nested TS function): back in onStep.
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@callback-add'), ts('@callback-return')], 'onStep');
  } finally {
    await finish(client);
  }
});

// After a C breakpoint V8 holds no step: a queued pause would be taken only at V8's next function
// entry or loop back edge, after the TS following the call had run (measure returned, main went on
// to the next koffi call). The step out makes V8 pause while C still runs (v8-break.ts) and arms a
// step over in the TS caller. scene_scale returns a double: the program's report shows that the
// vector registers survived the call made on the stopped thread.
/**
 * Runs the program to its end without its C breakpoints: its report shows values computed after
 * the step (on examples/mixed, a double kept in xmm0 among them).
 */
async function runsToTheEnd(client: Awaited<ReturnType<typeof startClient>>, output: { text: () => string }, program = { cSource: ex.cSource, report: /length 10, total 18, tally 3/ }): Promise<void> {
  await client.setBreakpointsRequest({ source: { path: program.cSource }, breakpoints: [] });
  await client.continueRequest({ threadId: 1 });
  const exited = (await client.waitForEvent('exited')) as { body: { exitCode: number } };
  assert.equal(exited.body.exitCode, 0);
  assert.match(output.text(), program.report);
}

test('C next from a function\'s last line (reached by a C breakpoint) back into the TS caller', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@scale-return') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@scale-return'), 'scene_scale');
    let top = await topFrame(client);
    for (let i = 0; i < 3 && top.source?.path === ex.cSource; i++) {
      await step(client, 'next');
      top = await topFrame(client);
    }
    await assertTop(client, ex.appSource, [ts('@call-scale'), ts('@after-scale')], 'measure');
    await runsToTheEnd(client, output);
  } finally {
    await finish(client);
  }
});

// The same, for step out from a C breakpoint (the stop's caller is measure, itself called by main).
test('C step out of a function stopped at by a C breakpoint: back in its TS caller on the call line', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@scale-len') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@scale-len'), 'scene_scale');
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@call-scale'), ts('@after-scale')], 'measure');
    // Landed by V8's own break in the caller (v8-break.ts), not by the fallback that waits for the
    // caller's next call, which lands on the next line here as well.
    assert.doesNotMatch(output.text(), /V8 could not be stopped/);
    // On from there with plain JS steps: V8's own, nothing left armed by the step out.
    for (let i = 0; i < 3; i++) {
      const top = await topFrame(client);
      if (top.name === 'main') break;
      await step(client, 'next');
    }
    await assertTop(client, ex.appSource, [ts('@call-measure'), ts('@call-measure') + 1], 'main');
    await runsToTheEnd(client, output);
  } finally {
    await finish(client);
  }
});

test('C step out of a function a JS callback called, stopped at by a C breakpoint: back in the callback, not past it', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@add') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@add'), 'scene_add');
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@callback-add'), ts('@callback-return')], 'onStep');
    assert.doesNotMatch(output.text(), /V8 could not be stopped/);
    // The breakpoint is still there for the next round, and hit once more, not at once again.
    await step(client, 'continue', 'breakpoint');
    await assertTop(client, ex.cSource, c('@add'), 'scene_add');
    await runsToTheEnd(client, output);
  } finally {
    await finish(client);
  }
});

test('C step out of a C function that ran Python, stopped at by a C breakpoint after the Python returned: back in TS main on the call line', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchChain(client, ['c:@after-python']);
    await stopped(client, 'breakpoint');
    await assertTop(client, chain().cSource, lineOf(chain().cSource, '@after-python'), 'chain_run');
    await step(client, 'stepOut');
    const call = lineOf(chain().appSource, '@ts-call-run');
    await assertTop(client, chain().appSource, [call, call + 2], 'main');
    await runsToTheEnd(client, output, { cSource: chain().cSource, report: /chain result/ });
  } finally {
    await finish(client);
  }
});
