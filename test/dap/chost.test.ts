// A native executable as `program` (examples/chost): C main embeds Python, which calls the
// executable's own functions through ctypes, one of which calls a Python callback. No node in the
// session: gdb and the Python agent only. Breakpoints set before Py_Initialize, the stitched stack,
// steps across C ↔ Python both ways, values, exceptions, a crash, stopOnEntry, args/cwd/env.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { chost, hostAt, launchCHost, type HostLaunch } from './chost';
import { assertTop, collectOutput, finish, localsOfTop, stackText, startClient, step, stopped, topFrame } from './harness';

const ex = chost();

async function session(breakpoints: string[], body: (client: DebugClient) => Promise<void>, options: HostLaunch = {}): Promise<void> {
  const client = await startClient();
  try {
    await launchCHost(client, breakpoints, options);
    await body(client);
  } finally {
    await finish(client);
  }
}

test('a Python breakpoint set before Py_Initialize binds; one stack from Python down to C main, the <string> code without a source', () =>
  session(['work:@py-mix'], async (client) => {
    await stopped(client, 'breakpoint');
    assert.equal(await stackText(client), [
      `run work.py:${hostAt('work:@py-mix').line}`,
      '── C → Python (embedded) ──',
      `main host.c:${hostAt('c:@host-run-string').line}`,
    ].join('\n'));
    const frames = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    const inline = frames.find((f) => f.name === '<module>');
    assert.ok(inline, `the PyRun_SimpleString code's frame: ${frames.map((f) => f.name).join(', ')}`);
    assert.equal(inline.source, undefined, 'code from a string has no file to open');
    const locals = await localsOfTop(client);
    assert.equal(locals.get('rounds')?.value, '3');
  }));

test('C breakpoint in a function Python calls through ctypes.CDLL(None): C values, the Python caller below', () =>
  session(['c:@host-mix'], async (client) => {
    await stopped(client, 'breakpoint');
    const locals = await localsOfTop(client);
    assert.equal(locals.get('a')?.value, '0');
    assert.equal(locals.get('b')?.value, '0');
    assert.equal(await stackText(client), [
      `host_mix host.c:${hostAt('c:@host-mix').line}`,
      '── Python → C (ctypes) ──',
      `run work.py:${hostAt('work:@py-mix').line}`,
      '── C → Python (embedded) ──',
      `main host.c:${hostAt('c:@host-run-string').line}`,
    ].join('\n'));
  }));

test('Python → C step in lands in the exported C function; step out returns to the Python caller', () =>
  session(['work:@py-mix'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, hostAt('c:@host-mix').line, 'host_mix');
    await step(client, 'stepOut');
    await assertTop(client, ex.workSource, [hostAt('work:@py-mix').line, hostAt('work:@py-mix').line - 1], 'run');
  }));

test('next over a PyRun_StringFlags line in C runs its Python and stops on the next C line', () =>
  session(['c:@host-run-flags'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'next');
    await assertTop(client, ex.cSource, hostAt('c:@host-run-flags').line + 1, 'main');
    assert.match((await localsOfTop(client)).get('value')?.value ?? '', /^0x[0-9a-f]+/, 'PyRun_StringFlags returned an object');
  }));

test('Python module code run by PyEval_EvalCode: step out lands in the C caller', () =>
  session(['script:@script-print'], async (client) => {
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.scriptSource, hostAt('script:@script-print').line, '<module>');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, [hostAt('c:@host-run-file').line, hostAt('c:@host-run-file').line + 1], 'run_file');
  }));

test('Python module code: next from its last line lands in the C caller', () =>
  session(['script:@script-print'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'next');
    await assertTop(client, ex.cSource, [hostAt('c:@host-run-file').line, hostAt('c:@host-run-file').line + 1], 'run_file');
  }));

test('C → Python callback: step in lands in the callback, step out returns to the C loop, next in C runs the callback over', () =>
  session(['c:@host-visit'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.workSource, hostAt('work:@py-square').line, 'square');
    assert.match(await stackText(client), /square work\.py:\d+\n── C → Python \(embedded\) ──\nhost_visit host\.c:\d+\n── Python → C \(ctypes\)/);
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, hostAt('c:@host-visit').line, 'host_visit');
    await step(client, 'next');
    await assertTop(client, ex.cSource, [hostAt('c:@host-visit').line - 1, hostAt('c:@host-visit').line], 'host_visit');
  }));

test('a Python exception stops in the raising code; args, cwd and env reach the program', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchCHost(client, [], { env: { HOST_RAISE: '1' }, args: [ex.pyDir, '5'], filters: ['py-raised'] });
    const stop = await stopped(client, 'exception');
    assert.match(stop.body.text ?? '', /run failed at 1234/, 'host_mix over 5 rounds (the args reached main)');
    assert.equal((await topFrame(client)).name, 'run');
    const ended = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await ended;
    assert.match(output.text(), /host done: status -1/);
  } finally {
    await finish(client);
  }
});

test('a crash in C called from Python: SIGSEGV at the faulting line with the Python frames below', () =>
  session([], async (client) => {
    const stop = await stopped(client, 'exception');
    assert.match(stop.body.description ?? '', /SIGSEGV/);
    assert.equal(await stackText(client), [
      `host_read host.c:${hostAt('c:@host-read').line}`,
      '── Python → C (ctypes) ──',
      `run work.py:${hostAt('work:@py-crash').line}`,
      '── C → Python (embedded) ──',
      `main host.c:${hostAt('c:@host-run-string').line}`,
    ].join('\n'));
  }, { env: { HOST_CRASH: '1' } }));

test('stopOnEntry stops in main before Python starts', () =>
  session([], async (client) => {
    await stopped(client, 'entry');
    await assertTop(client, ex.cSource, [lineOfMain(), lineOfMain() + 1, lineOfMain() + 2], 'main');
  }, { stopOnEntry: true }));

function lineOfMain(): number {
  return hostAt('c:int main(').line;
}

// Every C function holding a breakpoint gets an internal one on its first instruction (the
// arguments' entry snapshot). Those must never end or redirect a step: `next` over a call of such a
// function stays in the caller, and step out of a frame whose rest calls one returns to its caller.
// (Breakpoints that do not stop: one on a line the call never reaches, one with a false condition.)
async function watchWithoutStopping(client: DebugClient, stoppedAt: string): Promise<void> {
  const answer = await client.setBreakpointsRequest({
    source: { path: ex.cSource },
    breakpoints: [
      { line: hostAt(stoppedAt).line },
      { line: hostAt('c:@host-no-file').line },
      { line: hostAt('c:@host-mix').line, condition: 'a == 999' },
    ],
  });
  assert.ok(answer.body.breakpoints.every((b) => b.verified), JSON.stringify(answer.body.breakpoints));
}

test('next over a call of a function holding a breakpoint (not hit) lands on the caller\'s next line', () =>
  session(['c:@host-call-run-file'], async (client) => {
    await stopped(client, 'breakpoint');
    await watchWithoutStopping(client, 'c:@host-call-run-file');
    await step(client, 'next');
    await assertTop(client, ex.cSource, hostAt('c:@host-done').line, 'main');
    assert.equal((await localsOfTop(client)).get('file_status')?.value, '0', 'run_file ran to its end');
  }));

test('step out of a C function whose rest calls watched functions (through Python) returns to its caller', () =>
  session(['c:@host-run-file'], async (client) => {
    await stopped(client, 'breakpoint');
    await watchWithoutStopping(client, 'c:@host-run-file');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, hostAt('c:@host-call-run-file').line, 'main');
  }));
