// A Python script as `program` (examples/pyhost): the interpreter runs under gdb with the Python
// agent, and the C library main.py loads with ctypes is debugged in the same session — breakpoints
// in both, steps into and out of C, a ctypes callback back into Python, a crash in C with the
// Python frames below, and the `python` launch option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
// @ts-expect-error: a plain .mjs build script, no types
import { buildPyHostExample } from '../../examples/pyhost/build.mjs';
// @ts-expect-error: a plain .mjs module, no types
import { suitePython } from '../../examples/build-steps.mjs';
import { execFileSync } from 'node:child_process';
import { assertTop, collectOutput, finish, lineOf, localsOfTop, stackText, startClient, step, stopped, topFrame } from './harness';

const ex = buildPyHostExample() as { root: string; program: string; cSource: string };
const at = (spec: string) => {
  const [file, marker] = spec.split(':') as [string, string];
  const path = file === 'c' ? ex.cSource : ex.program;
  return { path, line: lineOf(path, marker) };
};

interface Options {
  env?: Record<string, string>;
  python?: string;
  filters?: string[];
  stopOnEntry?: boolean;
}

async function launchPyHost(client: DebugClient, breakpoints: string[], options: Options = {}): Promise<void> {
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, number[]>();
    for (const { path, line } of breakpoints.map(at)) byPath.set(path, [...(byPath.get(path) ?? []), line]);
    for (const [path, lines] of byPath) {
      const answer = await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
      // The C library is loaded by the script: its breakpoints wait for it, and say so.
      assert.ok(answer.body.breakpoints.every((b) => b.verified || /not loaded yet/.test(b.message ?? '')), JSON.stringify(answer.body.breakpoints));
    }
    await client.setExceptionBreakpointsRequest({ filters: options.filters ?? ['py-uncaught'] });
    await client.configurationDoneRequest();
  });
  const args = { program: ex.program, cwd: ex.root, env: options.env ?? {}, python: options.python, stopOnEntry: options.stopOnEntry };
  await Promise.all([configured, client.launch(args as never)]);
}

async function session(breakpoints: string[], body: (client: DebugClient) => Promise<void>, options: Options = {}): Promise<void> {
  const client = await startClient();
  try {
    await launchPyHost(client, breakpoints, options);
    await body(client);
  } finally {
    await finish(client);
  }
}

const line = (spec: string) => at(spec).line;

test('a .py program: Python breakpoint, values, Python → C step in and C → Python step out', () =>
  session(['py:@py-sum'], async (client) => {
    await stopped(client, 'breakpoint');
    assert.equal(await stackText(client), [`summarize main.py:${line('py:@py-sum')}`, `main main.py:${line('py:@py-main-summarize')}`, '<module> main.py:' + lineOf(ex.program, 'sys.exit(main(')].join('\n'));
    assert.equal((await localsOfTop(client)).get('numbers')?.value, '[1.0, 2.0, 3.0]');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, line('c:@c-first-sum'), 'stats_sum');
    assert.equal((await localsOfTop(client)).get('count')?.value, '3');
    await step(client, 'stepOut');
    await assertTop(client, ex.program, [line('py:@py-sum'), line('py:@py-weighted')], 'summarize');
  }));

test('a C breakpoint in the library the script loads binds when it loads; step into the ctypes callback and back out to C', () =>
  session(['c:@c-weigh'], async (client) => {
    await stopped(client, 'breakpoint');
    assert.equal(await stackText(client), [
      `stats_weighted stats.c:${line('c:@c-weigh')}`,
      '── Python → C (ctypes) ──',
      `summarize main.py:${line('py:@py-weighted')}`,
      `main main.py:${line('py:@py-main-summarize')}`,
      '<module> main.py:' + lineOf(ex.program, 'sys.exit(main('),
    ].join('\n'));
    await step(client, 'stepIn');
    await assertTop(client, ex.program, line('py:@py-weigh'), 'weigh');
    assert.equal((await localsOfTop(client)).get('value')?.value, '1.0');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, line('c:@c-weigh'), 'stats_weighted');
    await step(client, 'next');
    await assertTop(client, ex.cSource, line('c:@c-weigh') + 1, 'stats_weighted');
    assert.equal((await localsOfTop(client)).get('weighted')?.value, '1');
  }));

test('a crash in C: SIGSEGV on the faulting line, the Python frames that called it below', () =>
  session([], async (client) => {
    const stop = await stopped(client, 'exception');
    assert.match(stop.body.description ?? '', /SIGSEGV/);
    assert.equal(await stackText(client), [
      `stats_at stats.c:${line('c:@c-at')}`,
      '── Python → C (ctypes) ──',
      `main main.py:${line('py:@py-crash')}`,
      '<module> main.py:' + lineOf(ex.program, 'sys.exit(main('),
    ].join('\n'));
  }, { env: { STATS_CRASH: '1' } }));

test('the python option picks the interpreter (the suite\'s CPython by its versioned path)', async () => {
  const python = suitePython() as string;
  const version = execFileSync(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).trim();
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchPyHost(client, ['c:@c-sum'], { python });
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.cSource, line('c:@c-sum'), 'stats_sum');
    assert.match(await stackText(client), /summarize main\.py/);
    assert.ok(output.text().includes(`Python ${version} started in the program`), `${python} (${version}) ran the program: ${output.text()}`);
  } finally {
    await finish(client);
  }
});

test('stopOnEntry stops on the script\'s first line, as Python\'s debugger does; next goes on from there', () =>
  session([], async (client) => {
    await stopped(client, 'entry');
    const top = await topFrame(client);
    assert.equal(top.name, '<module>');
    assert.equal(top.source?.path, ex.program);
    const firstImport = lineOf(ex.program, 'import ctypes');
    assert.ok(top.line >= 1 && top.line <= firstImport, `stopped at line ${top.line}, expected the first line run (1 to ${firstImport})`);
    await step(client, 'next');
    const after = await topFrame(client);
    assert.equal(after.source?.path, ex.program);
    assert.ok(after.line > top.line && after.line <= firstImport + 1, `next went from line ${top.line} to ${after.line}`);
  }, { stopOnEntry: true }));

test('a python option that names no interpreter is refused, naming the attribute', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await assert.rejects(client.launch({ program: ex.program, python: '/nowhere/python3' } as never), /"python"/);
  } finally {
    await finish(client);
  }
});
