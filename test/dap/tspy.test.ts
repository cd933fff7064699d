// TypeScript calling libpython directly through koffi (examples/tspy): a Python breakpoint in code
// PyRun_SimpleString runs, with the TypeScript caller below a JS → Python boundary.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs build script, no types
import { buildTsPyExample } from '../../examples/tspy/build.mjs';
import { finish, lineOf, localsOfTop, stackText, startClient, stopped } from './harness';

const ex = buildTsPyExample() as { root: string; appSource: string; pySource: string };

test('TS → libpython through koffi: the Python frames, a JS → Python label, the TypeScript that called PyRun_SimpleString', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [{ line: lineOf(ex.pySource, '@py-hello') }] });
      await client.configurationDoneRequest();
    });
    const args = { program: ex.appSource, cwd: ex.root, outFiles: [join(ex.root, 'build', 'js', '**', '*.js')], runtimeExecutable: process.env.POLYGLOT_TEST_NODE };
    await Promise.all([configured, client.launch(args as never)]);
    await stopped(client, 'breakpoint');
    assert.equal(await stackText(client), [
      `hello greet.py:${lineOf(ex.pySource, '@py-hello')}`,
      '── JS → Python (koffi) ──',
      `greet app.ts:${lineOf(ex.appSource, '@ts-run')}`,
      `main app.ts:${lineOf(ex.appSource, '@ts-greet')}`,
      `<module> app.ts:${lineOf(ex.appSource, 'main();')}`,
    ].join('\n'));
    assert.equal((await localsOfTop(client)).get('i')?.value, '0');
  } finally {
    await finish(client);
  }
});
