// Bad launch input through the shipped adapter: the launch fails at once with a message naming the
// attribute, and breakpoints that cannot exist are refused with the reason (never "pending").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { chost, hostAt } from './chost';
import { finish, startClient, stopped } from './harness';

const ex = chost();

async function launchFails(args: Record<string, unknown>, expected: RegExp): Promise<void> {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await assert.rejects(client.launch(args as never), expected);
  } finally {
    await finish(client);
  }
}

test('env as an array, a directory as program, a missing cwd: each launch fails naming the attribute', async () => {
  await launchFails({ program: ex.program, env: ['HOST_RAISE=1'] }, /"env" must be an object of strings.*it is an array/);
  await launchFails({ program: ex.root }, /"program" is the directory .*it must be a file/);
  await launchFails({ program: ex.program, cwd: join(ex.root, 'no-such-dir') }, /"cwd" must be an existing directory/);
  await launchFails({ program: join(ex.root, 'python', 'work.py'), python: '/nowhere/python3' }, /"python"/);
});

test('breakpoints at line 0, past the end or in a file that does not exist are refused with the reason; the rest bind', async () => {
  const client = await startClient();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      const c = await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [{ line: 0 }, { line: 99_999 }, { line: hostAt('c:@host-mix').line }] });
      assert.deepEqual(c.body.breakpoints.map((b) => b.verified), [false, false, true]);
      assert.match(c.body.breakpoints[0]?.message ?? '', /Line 0 is not a line of host\.c/);
      assert.match(c.body.breakpoints[1]?.message ?? '', /past the end of host\.c/);
      const missing = await client.setBreakpointsRequest({ source: { path: join(ex.root, 'native', 'missing.c') }, breakpoints: [{ line: 3 }] });
      assert.match(missing.body.breakpoints[0]?.message ?? '', /missing\.c does not exist/);
      assert.doesNotMatch(missing.body.breakpoints[0]?.message ?? '', /Pending/);
      const py = await client.setBreakpointsRequest({ source: { path: ex.workSource }, breakpoints: [{ line: 0 }] });
      assert.match(py.body.breakpoints[0]?.message ?? '', /Line 0 is not a line of work\.py/);
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: ex.program, args: [ex.pyDir, '2'], cwd: ex.root } as never)]);
    await stopped(client, 'breakpoint');
  } finally {
    await finish(client);
  }
});
