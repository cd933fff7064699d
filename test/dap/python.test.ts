// Python in the session, on the real three-language example: Python breakpoints, the stitched
// stack from a stop in each language, Python values, every step kind within Python and across
// C ↔ Python in both directions, Python exceptions, and a host that keeps the GIL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXCEPTION_FILTERS } from '../../src/dap/exception-filters';
import { assertGolden } from '../language/golden';
import { at, chain, launchChain } from './chain';
import { assertTop, collectOutput, evaluateTop, finish, localsOfTop, stackText, startClient as startHarnessClient, step, stopped, topFrame } from './harness';

const ex = chain();

/** A client with a longer wait for stops: gdb reads a debug-info libpython (pyenv's, Debian's -dbg) slowly on a busy machine. */
async function startClient(): Promise<Awaited<ReturnType<typeof startHarnessClient>>> {
  const client = await startHarnessClient();
  client.defaultTimeout = 60_000;
  return client;
}

async function session(breakpoints: string[], body: (client: Awaited<ReturnType<typeof startClient>>) => Promise<void>, options: Parameters<typeof launchChain>[2] = {}): Promise<void> {
  const client = await startClient();
  try {
    await launchChain(client, breakpoints, options);
    await body(client);
  } finally {
    await finish(client);
  }
}

for (const [where, golden] of [
  ['py:@py-scale', 'stack-in-python.txt'],
  ['c:@chain-add', 'stack-in-c-under-python.txt'],
  ['ts:@ts-notify', 'stack-in-ts-under-python.txt'],
] as const) {
  test(`one stack over TS, C and Python from a stop at ${where}`, () =>
    session([where], async (client) => {
      await stopped(client, 'breakpoint');
      assertGolden(`../../dap/golden/${golden}`, (await stackText(client)) + '\n');
    }));
}

// VS Code opens the first scope that is not `expensive` of the frame it focuses (the first frame that
// is not a label or deemphasized): that must be the frame's locals, with values, in each language.
// One session, three stops in the order the program reaches them: C, Python, TypeScript.
test("the top frame's first scope at a C, a Python and a TS stop is its locals, not expensive, with values", () =>
  session(['c:@chain-add', 'py:@py-scale', 'ts:@ts-notify'], async (client) => {
    for (const [language, file] of [['C', ex.cSource], ['Python', ex.pySource], ['TS', ex.appSource]] as const) {
      await stopped(client, 'breakpoint');
      const top = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      assert.equal(top.source?.path, file, `the ${language} stop`);
      assert.ok(top.presentationHint === undefined || top.presentationHint === 'normal', `${language}: VS Code focuses the top frame: ${top.name} is ${top.presentationHint}`);
      assert.notEqual(top.source?.presentationHint, 'deemphasize');
      const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
      const opened = scopes.find((s) => !s.expensive);
      assert.equal(opened, scopes[0], `${language}: the first scope is the one VS Code opens: ${JSON.stringify(scopes)}`);
      assert.equal(opened?.presentationHint, 'locals', `${language}: ${opened?.name} is the locals`);
      assert.equal(opened?.expensive, false);
      const values = (await client.variablesRequest({ variablesReference: opened!.variablesReference })).body.variables;
      assert.ok(values.length > 0, `${language}: ${opened?.name} of ${top.name} has values`);
      // Only the first round of the loop: the C breakpoint is hit once per number added.
      if (language === 'C') await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
      if (language !== 'TS') await client.continueRequest({ threadId: 1 });
    }
  }));

test('Python values: locals, evaluate, setVariable changes what the program computes', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchChain(client, ['py:@py-scale']);
    await stopped(client, 'breakpoint');
    const locals = await localsOfTop(client);
    assert.equal(locals.get('total')?.value, '6');
    assert.equal(await evaluateTop(client, 'total * 3 + len("abc")'), '21');
    const top = await topFrame(client);
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name), ['Locals', 'Globals']);
    const globals = (await client.variablesRequest({ variablesReference: scopes[1]!.variablesReference })).body.variables;
    const lib = globals.find((v) => v.name === 'lib');
    assert.match(lib?.value ?? '', /CDLL/);
    await client.setVariableRequest({ variablesReference: scopes[0]!.variablesReference, name: 'total', value: '10' });
    const ended = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await ended;
    assert.match(output.text(), /chain result 1020/, '2 × 10 + 1000 after setting total to 10');
  } finally {
    await finish(client);
  }
});

test('steps within Python: over, in, out', () =>
  session(['py:@py-scale-call'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.pySource, at('py:@py-scale').line, 'scale');
    await step(client, 'next');
    await assertTop(client, ex.pySource, at('py:@py-scale').line + 1, 'scale');
    await step(client, 'stepOut');
    await assertTop(client, ex.pySource, [at('py:@py-scale-call').line, at('py:@py-scale-call').line + 1], 'compute');
    await step(client, 'next');
    assert.equal((await topFrame(client)).name, 'compute');
  }));

test('C → Python step in lands on the first line of the Python code run; Python → C step out returns to the C caller', () =>
  session(['c:@call-python'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.pySource, at('py:@py-compute').line, 'compute');
    await step(client, 'stepOut');
    await assertTop(client, ex.cSource, [at('c:@call-python').line, at('c:@call-python').line + 1], 'chain_run');
  }));

test('Python → C step in through ctypes lands in the C function; C → Python step out comes back', () =>
  session(['py:@py-add'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, at('c:@chain-add').line, 'chain_add');
    const locals = await localsOfTop(client);
    assert.equal(locals.get('a')?.value, '0');
    await step(client, 'stepOut');
    await assertTop(client, ex.pySource, at('py:@py-add').line, 'compute'); // back on the line of the ctypes call
  }));

test('the whole chain by stepping in: Python → C → TS callback', () =>
  session(['py:@py-notify'], async (client) => {
    await stopped(client, 'breakpoint');
    await step(client, 'stepIn');
    await assertTop(client, ex.cSource, at('c:@chain-notify').line, 'chain_notify');
    await step(client, 'stepIn');
    await assertTop(client, ex.appSource, at('ts:@ts-notify').line, 'onNotify');
    assert.equal(await stackText(client), [
      `onNotify app.ts:${at('ts:@ts-notify').line}`,
      '── C → JS (koffi callback) ──',
      `chain_notify chain.c:${at('c:@chain-notify').line}`,
      '── Python → C (ctypes) ──',
      `compute compute.py:${at('py:@py-notify').line}`,
      '── C → Python (embedded) ──',
      `chain_run chain.c:${at('c:@call-python').line}`,
      '── JS → C (koffi) ──',
      `main app.ts:${at('ts:@ts-call-run').line}`,
      `<module> app.ts:${at('ts:@ts-main').line}`,
    ].join('\n'));
  }));

test('an exception leaving Python for C stops where it was raised, with its text', () =>
  session([], async (client) => {
    const stop = await stopped(client, 'exception');
    assert.match(stop.body.text ?? stop.body.description ?? '', /ValueError: compute failed at 12/);
    await assertTop(client, ex.pySource, at('py:@py-raise').line, 'compute');
  }, { env: { CHAIN_RAISE: '1' } }));

test('with the default filters, an exception raised a frame below the one C called stops on the raising line, the traceback as the stack', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    const defaults = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);
    await launchChain(client, [], { filters: defaults, env: { CHAIN_RAISE: 'deep' } });
    const stop = await stopped(client, 'exception');
    assert.match(stop.body.text ?? '', /ArithmeticError: check failed: 12 > 10/);
    // (How the outermost TS frame is named differs by host: not this test's business.)
    assert.equal((await stackText(client)).split('\n').slice(0, 6).join('\n'), [
      `check compute.py:${at('py:@py-raise-deep').line}`,
      `compute compute.py:${at('py:@py-check-call').line}`,
      '── C → Python (embedded) ──',
      `chain_run chain.c:${at('c:@call-python').line}`,
      '── JS → C (koffi) ──',
      `main app.ts:${at('ts:@ts-call-run').line}`,
    ].join('\n'));
    const locals = await localsOfTop(client);
    assert.deepEqual([locals.get('total')?.value, locals.get('limit')?.value], ['12', '10'], 'the raising frame\'s values');
    assert.match((await client.exceptionInfoRequest({ threadId: 1 })).body.description ?? '', /check failed/);
    const ended = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await ended;
    assert.match(output.text(), /chain result -1/, 'C got the exception and went on');
  } finally {
    await finish(client);
  }
});

test('a host that keeps the GIL: Python breakpoints and values work the same', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchChain(client, ['py:@py-add', 'py:@py-scale'], { env: { CHAIN_KEEP_GIL: '1', CHAIN_N: '2' } });
    await stopped(client, 'breakpoint');
    await assertTop(client, ex.pySource, at('py:@py-add').line, 'compute');
    assert.equal((await localsOfTop(client)).get('i')?.value, '0');
    await step(client, 'continue');
    assert.equal((await localsOfTop(client)).get('i')?.value, '1');
    await step(client, 'continue');
    await assertTop(client, ex.pySource, at('py:@py-scale').line, 'scale');
    assertGolden('../../dap/golden/stack-in-python.txt', (await stackText(client)) + '\n');
    const ended = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await ended;
    assert.match(output.text(), /chain result 1002/);
  } finally {
    await finish(client);
  }
});

test('Python conditions, hit counts and logpoints', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    const ex2 = chain();
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setBreakpointsRequest({
        source: { path: ex2.pySource },
        breakpoints: [
          { line: at('py:@py-add').line, condition: 'i == 2' },
          { line: at('py:@py-scale').line, logMessage: 'scaling {total} (twice: {total * 2})' },
          { line: at('py:@py-notify').line, hitCondition: '1' },
        ],
      });
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: ex2.appSource, cwd: ex2.root, outFiles: [`${ex2.root}/build/js/**/*.js`] } as never)]);
    await stopped(client, 'breakpoint');
    assert.equal((await localsOfTop(client)).get('i')?.value, '2', 'the condition held only for i == 2');
    await step(client, 'continue');
    await assertTop(client, ex.pySource, at('py:@py-notify').line, 'compute');
    assert.match(output.text(), /scaling 6 \(twice: 12\)/);
  } finally {
    await finish(client);
  }
});

interface FrameAbiBody {
  abi: { function: string; source: string; params: { name: string; value?: string; pieces: { loc: string }[] }[] } | null;
}

test('the ABI picture of a C function called from Python through ctypes', async () => {
  const client = await startClient();
  try {
    await launchChain(client, ['c:@chain-add']);
    for (const [a, b] of [['0', '0'], ['0', '1']]) {
      await stopped(client, 'breakpoint');
      const top = await topFrame(client);
      const { abi } = (await client.customRequest('polyglot/frameAbi', { frameId: top.id })).body as FrameAbiBody;
      assert.equal(abi?.source, 'snapshot');
      assert.deepEqual(abi?.params.map((p) => [p.name, p.pieces[0]?.loc, p.value]), [['a', 'rdi', a], ['b', 'rsi', b]]);
      await client.continueRequest({ threadId: 1 });
    }
  } finally {
    await finish(client);
  }
});

test('a Python exception handled where it is raised stops only with the "raised" filter', async () => {
  for (const [filters, stops] of [[['py-uncaught'], false], [['py-raised'], true]] as const) {
    const client = await startClient();
    try {
      const ended = client.waitForEvent('terminated', 30_000).then(() => 'ended');
      await launchChain(client, [], { filters: [...filters], env: { CHAIN_CATCH: '1' } });
      // Not the harness's stopped(): its deadline would fail the test after the program ended.
      const stop = client.waitForEvent('stopped', 60_000).then((event) => `stopped (${event.body.reason})`, () => 'no stop');
      const first = await Promise.race([ended, stop]);
      assert.equal(first, stops ? 'stopped (exception)' : 'ended', `with ${filters.join(', ')}`);
      if (stops) {
        await assertTop(client, ex.pySource, at('py:@py-caught').line, 'compute');
        assert.match((await client.exceptionInfoRequest({ threadId: 1 })).body.description ?? '', /invalid literal for int/);
      }
    } finally {
      await finish(client);
    }
  }
});
