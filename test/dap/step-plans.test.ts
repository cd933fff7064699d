// Steps that meet a breakpoint on the way, and steps from awkward lines (a loop, a function's last
// line) on the real example: the breakpoint wins, and the step it cancelled leaves nothing behind
// (no stale gdb step or step breakpoint turns a later stop into a "step").
import { test } from 'node:test';
import { assertTop, example, finish, launchWith, lineOf, startClient, step, stopped, topFrame } from './harness';

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

// Known bug, open: after a C breakpoint (no V8 step armed), V8 takes the pause queued for the step
// out only at the next JS function entry or loop back edge, so the TS after the call runs first
// (here measure returns and main goes on to the next koffi call). A one-shot CDP breakpoint in the
// caller does not help: node's inspector runs every CDP message on the main thread at that same
// interrupt check (tried: a Debugger.setBreakpointByUrl on measure's `return` line sent at the C
// stop was answered, with the Debugger.pause, only on entry to koffi's register, after measure
// had returned). A fix needs the main thread to take the messages before the call returns.
const V8_LATE = 'open bug: V8 takes the queued pause (and any CDP message) late after a C breakpoint';

test('C next from a function\'s last line (reached by a C breakpoint) back into the TS caller', { skip: V8_LATE }, async () => {
  const client = await startClient();
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
  } finally {
    await finish(client);
  }
});

// The same bug, for step out from a C breakpoint (the stop's caller is measure, itself called by main).
test('C step out of a function stopped at by a C breakpoint: back in its TS caller on the call line', { skip: V8_LATE }, async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@scale-len') }]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, c('@scale-len'), 'scene_scale');
    await step(client, 'stepOut');
    await assertTop(client, ex.appSource, [ts('@call-scale'), ts('@after-scale')], 'measure');
  } finally {
    await finish(client);
  }
});
