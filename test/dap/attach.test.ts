// request: attach by process id to a node process started on its own: gdb attaches (non-stop),
// node's inspector is opened with SIGUSR1; C and TypeScript breakpoints stop with the stitched
// stack; disconnect detaches and leaves the process running, untraced, its inspector closed.
// (Python and C processes: attach-native.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loopbackListeningPorts } from '../../src/engines/cdp/inspector-discovery';
import { attachWith, startService, tracerOf } from './attach';
import { example, finish, lineOf, stackText, startClient, step, stopped } from './harness';

test('attach to a node process: its inspector opened with SIGUSR1, TypeScript and C breakpoints; detach leaves it running', async () => {
  const ex = example();
  const service = await startService(process.env.POLYGLOT_TEST_NODE ?? process.execPath, [ex.app], { cwd: ex.root, env: { SCENE_SERVE: '1' }, ready: /length/ });
  const client = await startClient();
  try {
    const cLine = lineOf(ex.cSource, '@scale-len');
    await attachWith(client, service.pid, [{ path: ex.cSource, line: cLine }], { outFiles: [join(ex.root, 'build', 'js', '**', '*.js')] });
    await stopped(client, 'breakpoint');
    // measure has run for a while before the attach: V8 may have compiled it, and a compiled frame
    // read from C has a name but no line.
    assert.match(await stackText(client), /^scene_scale scene\.c:\d+\n── JS → C \(koffi\) ──\nmeasure app\.(ts|js):\d+/);
    await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
    const after = { path: ex.appSource, line: lineOf(ex.appSource, '@after-scale') };
    await client.setBreakpointsRequest({ source: { path: after.path }, breakpoints: [{ line: after.line }] });
    await step(client, 'continue');
    assert.match(await stackText(client), new RegExp(`^measure app\\.ts:${after.line}`));
    await client.disconnectRequest({});
    assert.equal(tracerOf(service.pid), 0, 'no debugger attached any more');
    assert.equal(service.child.exitCode, null, 'still running');
    await service.waitFor(/Debugger ending|Waiting for the debugger to disconnect/, 0).catch(() => undefined);
    assert.deepEqual(loopbackListeningPorts(service.pid), [], 'the inspector opened for the session is closed again');
  } finally {
    await finish(client);
    await service.stop();
  }
});
