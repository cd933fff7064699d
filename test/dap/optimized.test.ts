// The example's C built as users ship it: gcc and clang at -O2 with -g (values gdb cannot read are
// shown as <optimized out>, never a lost session) and at -O2 without -g (function breakpoints bind,
// line breakpoints say why they cannot, C frames keep their names and the boundary labels).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
// @ts-expect-error: a plain .mjs build script, no types
import { buildSceneVariant } from '../../examples/mixed/build.mjs';
import { example, finish, launchArgs, lineOf, startClient, step, stopped } from './harness';

const ex = example();


async function launchVariant(client: DebugClient, library: string, setup: { functions?: string[]; lines?: number[] }): Promise<DebugProtocol.Breakpoint[]> {
  let lineAnswers: DebugProtocol.Breakpoint[] = [];
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    if (setup.functions) await client.setFunctionBreakpointsRequest({ breakpoints: setup.functions.map((name) => ({ name })) });
    if (setup.lines) lineAnswers = (await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: setup.lines.map((line) => ({ line })) })).body.breakpoints;
    await client.configurationDoneRequest();
  });
  await Promise.all([configured, client.launch(launchArgs({ env: { SCENE_LIBRARY: library } }))]);
  return lineAnswers;
}

async function variablesOf(client: DebugClient, frameId: number): Promise<Map<string, string>> {
  const scopes = (await client.scopesRequest({ frameId })).body.scopes;
  const variables = (await client.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
  return new Map(variables.map((v) => [v.name, v.value]));
}

for (const compiler of ['gcc', 'clang']) {
  test(`${compiler} -O2 -g: struct argument and optimised-out locals shown honestly, evaluate and steps keep the session`, async () => {
    const client = await startClient();
    try {
      await launchVariant(client, buildSceneVariant(compiler, ['-O2', '-g']), { functions: ['scene_scale'] });
      await stopped(client, 'function breakpoint');
      const top = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      assert.equal(top.name, 'scene_scale');
      const values = await variablesOf(client, top.id);
      assert.match(values.get('p') ?? '', /x = 3, y = 4|^unavailable: gdb error/, `p = ${values.get('p')}`);
      assert.match(values.get('scaled') ?? '', /<optimized out>|^-?[\d.e+-]+$/, `scaled = ${values.get('scaled')}`);
      const px = (await client.evaluateRequest({ expression: 'p.x', frameId: top.id, context: 'watch' })).body.result;
      assert.match(px, /^3$|<optimized out>|^unavailable: gdb error/);
      await step(client, 'next');
      const after = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      const again = await variablesOf(client, after.id);
      assert.ok(again.size > 0, 'values are still read after a step');
      for (const [name, value] of again) assert.ok(value !== '', `${name} has a value or says why not`);
      const ended = client.waitForEvent('terminated');
      await client.continueRequest({ threadId: 1 });
      await ended;
    } finally {
      await finish(client);
    }
  });
}

for (const compiler of ['gcc', 'clang']) {
  test(`${compiler} -O2 without -g: function breakpoints bind, line breakpoints say why not, C frames keep names and labels, next leaves C`, async () => {
    const client = await startClient();
    const changed: DebugProtocol.Breakpoint[] = [];
    client.on('breakpoint', (event: DebugProtocol.BreakpointEvent) => changed.push(event.body.breakpoint));
    try {
      const lines = await launchVariant(client, buildSceneVariant(compiler, ['-O2']), { functions: ['scene_add'], lines: [lineOf(ex.cSource, '@walk-callback')] });
      assert.match(lines[0]?.message ?? '', /Pending/);
      await stopped(client, 'function breakpoint');
      const lineBp = changed.filter((b) => b.id === lines[0]!.id).at(-1);
      assert.equal(lineBp?.verified, false);
      assert.match(lineBp?.message ?? '', /^No debug info in libscene\.so: compile it with -g/);
      const frames = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const shown = frames.filter((f) => f.presentationHint !== 'subtle').map((f) => f.name);
      const labels = frames.filter((f) => f.presentationHint === 'label').map((f) => f.name);
      assert.equal(labels.length, 3, `three boundary labels: ${shown.join(' | ')}`);
      assert.deepEqual(shown.slice(0, 7), ['scene_add', labels[0], 'onStep', labels[1], 'scene_walk', labels[2], 'main'], shown.join(' | '));
      assert.match(labels[1]!, /C → JS/);
      const top = frames[0]!;
      assert.equal(top.name, 'scene_add');
      assert.ok(top.instructionPointerReference, 'a C frame without source has its disassembly');
      const code = await client.customRequest('disassemble', { memoryReference: top.instructionPointerReference, instructionCount: 4 });
      assert.ok((code.body as DebugProtocol.DisassembleResponse['body'])!.instructions.length === 4);
      // No line table: next finishes to the caller instead of gdb's "Cannot find bounds of current function",
      // and lands on the caller's next statement in the same call (not the next call, where the
      // function breakpoint is met again: scene_walk calls onStep three times).
      await step(client, 'next');
      const after = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      assert.equal(after.source?.path, ex.appSource, `out of C: ${after.name} ${after.source?.path ?? ''}:${after.line}`);
      assert.equal(after.name, 'onStep');
      assert.equal(after.line, lineOf(ex.appSource, '@callback-return'));
      assert.equal((await client.evaluateRequest({ expression: 'step', frameId: after.id, context: 'watch' })).body.result, '0', 'the first call');
    } finally {
      await finish(client);
    }
  });
}
