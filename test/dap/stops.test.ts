// Breakpoint kinds and the ways a session stops or ends, in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assertTop, collectOutput, evaluateTop, example, finish, launchWith, lineOf, stackText, startClient, step, stopped } from './harness';

const ex = example();
const ts = (marker: string) => lineOf(ex.appSource, marker);
const c = (marker: string) => lineOf(ex.cSource, marker);

test('conditions and hit counts in C and in TS', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [
      { path: ex.cSource, line: c('@walk-callback'), condition: 'i == 2' },
      { path: ex.appSource, line: ts('@callback-return'), hitCondition: '2' },
    ]);
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.appSource, ts('@callback-return'), 'onStep');
    assert.equal(await evaluateTop(client, 'step'), '1', 'the second hit is step 1');
    await step(client, 'continue');
    await assertTop(client, ex.cSource, c('@walk-callback'), 'scene_walk');
    assert.equal(await evaluateTop(client, 'i'), '2');
  } finally {
    await finish(client);
  }
});

test('logpoints in C and in TS print and never stop', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [
      { path: ex.cSource, line: c('@add'), logMessage: 'C add {a}+{b}' },
      { path: ex.appSource, line: ts('@callback-return'), logMessage: 'TS sum={sum}' },
    ]);
    await client.waitForEvent('terminated');
    const text = output.text();
    for (const line of ['C add 0+0', 'C add 5+1', 'C add 10+2', 'TS sum=0', 'TS sum=6', 'TS sum=12', 'length 10, total 18, tally 3']) {
      assert.ok(text.includes(line), `output has "${line}":\n${text}`);
    }
  } finally {
    await finish(client);
  }
});

test('a C crash stops with the signal and the stitched stack', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [], { env: { SCENE_CRASH: '1' } });
    const event = await stopped(client, 'exception');
    assert.match(event.body.description ?? '', /SIGSEGV/);
    await assertTop(client, ex.cSource, c('@crash'), 'scene_crash');
    const stack = await stackText(client);
    assert.match(stack, /^scene_crash scene\.c:\d+\n── JS → C \(koffi\) ──\nmain app\.ts:\d+/);
    const info = await client.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'SIGSEGV');
  } finally {
    await finish(client);
  }
});

test('an uncaught JS exception stops in TS', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [], { env: { SCENE_THROW: '1' } });
    await stopped(client, 'exception');
    await assertTop(client, ex.appSource, ts('@throw'), 'main');
  } finally {
    await finish(client);
  }
});

test('the caught-exceptions filter stops on a caught JS exception; by default it does not', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setExceptionBreakpointsRequest({ filters: ['js-all'] });
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: ex.appSource, outFiles: [`${ex.root}/build/js/**/*.js`], cwd: ex.root, env: { SCENE_CATCH: '1' } })]);
    const event = await stopped(client, 'exception');
    assert.match(event.body.text ?? '', /JSON/);
    await assertTop(client, ex.appSource, ts('@caught'), 'main');
  } finally {
    await finish(client);
  }
  const quiet = await startClient();
  try {
    await launchWith(quiet, [], { env: { SCENE_CATCH: '1' } });
    const exited = (await quiet.waitForEvent('exited')) as { body: { exitCode: number } };
    assert.equal(exited.body.exitCode, 0);
  } finally {
    await finish(quiet);
  }
});

test('a run without breakpoints prints, exits with its code, and leaves nothing running', async () => {
  const marker = `--exit-marker-${process.pid}-${Date.now()}`;
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [], { args: [marker] });
    const exited = (await client.waitForEvent('exited')) as { body: { exitCode: number } };
    await client.waitForEvent('terminated');
    assert.equal(exited.body.exitCode, 0);
    assert.match(output.text(), /length 10, total 18, tally 3/);
    assert.doesNotMatch(output.text(), /Debugger listening/);
  } finally {
    await finish(client);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  assert.ok(!processes.includes(marker), 'no debuggee or gdb left');
});

test('disconnect while stopped in C kills the debuggee and gdb', async () => {
  const client = await startClient();
  const marker = `--disconnect-marker-${process.pid}-${Date.now()}`;
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@scale-len') }], { args: [marker] });
    await stopped(client, 'breakpoint');
    await client.disconnectRequest({ terminateDebuggee: true });
  } finally {
    // Also when the launch or the stop failed: an adapter left running keeps the test file from ending.
    await finish(client);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  assert.ok(!processes.includes(marker), 'no debuggee or gdb left');
});

test('a C breakpoint is pending until koffi loads the library, then verified', async () => {
  const client = await startClient();
  const changed: DebugProtocol.BreakpointEvent[] = [];
  client.on('breakpoint', (event: DebugProtocol.BreakpointEvent) => changed.push(event));
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      const answer = await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [{ line: c('@add') }] });
      assert.equal(answer.body.breakpoints[0]?.verified, false);
      assert.match(answer.body.breakpoints[0]?.message ?? '', /not loaded yet/);
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: ex.appSource, outFiles: [`${ex.root}/build/js/**/*.js`], cwd: ex.root })]);
    await stopped(client, 'breakpoint');
    assert.ok(changed.some((e) => e.body.breakpoint.verified && e.body.breakpoint.line === c('@add')), 'a breakpoint event verified it');
  } finally {
    await finish(client);
  }
});

test('errors a user can act on: gdb missing, program missing, koffi missing', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', pathFormat: 'path' });
    await assert.rejects(client.launch({ ...({ program: ex.appSource, gdbPath: '/nonexistent/gdb' } as object) }), /gdb .*not found.*apt-get install gdb/);
  } finally {
    await finish(client);
  }
  const second = await startClient();
  try {
    await second.initializeRequest({ adapterID: 'polyglot', pathFormat: 'path' });
    await assert.rejects(second.launch({ ...({ program: '/nonexistent/app.js' } as object) }), /does not exist/);
  } finally {
    await finish(second);
  }
  // A program outside any project with koffi installed.
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-nokoffi-'));
  writeFileSync(join(dir, 'app.js'), "const koffi = require('koffi');\n");
  const third = await startClient();
  try {
    await third.initializeRequest({ adapterID: 'polyglot', pathFormat: 'path' });
    await assert.rejects(third.launch({ ...({ program: join(dir, 'app.js') } as object) }), /koffi.*not installed.*npm install koffi/);
  } finally {
    await finish(third);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('breakpoints set and cleared while C holds the thread take effect when JavaScript runs', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: c('@scale-len') }]);
    await stopped(client, 'breakpoint');
    const set = await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [{ line: ts('@callback-entry') }] });
    assert.equal(set.body.breakpoints[0]?.verified, true);
    await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
    await step(client, 'continue');
    await assertTop(client, ex.appSource, ts('@callback-entry'), 'onStep');
  } finally {
    await finish(client);
  }
});

test('a function breakpoint on a C symbol stops at its first line', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      const answer = await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'scene_add' }] });
      assert.equal(answer.body.breakpoints.length, 1);
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: ex.appSource, outFiles: [`${ex.root}/build/js/**/*.js`], cwd: ex.root })]);
    await stopped(client, 'function breakpoint');
    await assertTop(client, ex.cSource, c('@add'), 'scene_add');
  } finally {
    await finish(client);
  }
});
