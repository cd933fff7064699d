// request: attach by process id, to a Python, a C and a node process started on their own: gdb
// attaches (non-stop), the Python agent starts inside the running interpreter, node's inspector is
// opened with SIGUSR1; breakpoints in each language stop with the stitched stack; disconnect
// detaches and leaves the process running, untraced.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
// @ts-expect-error: a plain .mjs build script, no types
import { buildPyHostExample } from '../../examples/pyhost/build.mjs';
import { loopbackListeningPorts } from '../../src/engines/cdp/inspector-discovery';
import { startService, tracerOf, type Service } from './attach';
import { chost, hostAt } from './chost';
import { example, finish, lineOf, stackText, startClient, step, stopped } from './harness';

const py = buildPyHostExample() as { root: string; program: string; cSource: string };
const serveScript = join(py.root, 'serve.py');

async function attachWith(client: DebugClient, pid: number, breakpoints: { path: string; line: number }[], extra: Record<string, unknown> = {}): Promise<void> {
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, number[]>();
    for (const { path, line } of breakpoints) byPath.set(path, [...(byPath.get(path) ?? []), line]);
    for (const [path, lines] of byPath) {
      const answer = await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
      assert.ok(answer.body.breakpoints.every((b) => b.verified), JSON.stringify(answer.body.breakpoints));
    }
    await client.configurationDoneRequest();
  });
  await Promise.all([configured, client.attachRequest({ processId: String(pid), ...extra } as never)]);
}

/** Disconnects and checks the process is untraced and still running (its output goes on). */
async function detachAndCheck(client: DebugClient, service: Service, progress: RegExp): Promise<void> {
  await client.disconnectRequest({});
  assert.equal(tracerOf(service.pid), 0, 'no debugger attached any more');
  await service.waitFor(progress, service.output().length);
  assert.equal(service.child.exitCode, null, 'still running');
}

test('attach to a Python process: the agent starts in the running interpreter; Python and C breakpoints; detach leaves it running', async () => {
  const service = await startService('python3', [serveScript], { cwd: py.root, ready: /serving as process/ });
  const client = await startClient();
  try {
    const summarize = { path: py.program, line: lineOf(py.program, '@py-sum') };
    await attachWith(client, service.pid, [summarize]);
    await stopped(client, 'breakpoint');
    assert.match(await stackText(client), new RegExp(`^summarize main\\.py:${summarize.line}\\nhandle serve\\.py:${lineOf(serveScript, '@serve-handle')}\\nserve serve\\.py:\\d+`));
    await client.setBreakpointsRequest({ source: { path: py.program }, breakpoints: [] });
    await client.setBreakpointsRequest({ source: { path: py.cSource }, breakpoints: [{ line: lineOf(py.cSource, '@c-first-sum') }] });
    await step(client, 'continue');
    assert.match(await stackText(client), /^stats_sum stats\.c:\d+\n── Python → C \(ctypes\) ──\nsummarize main\.py:\d+\nhandle serve\.py/);
    await detachAndCheck(client, service, /served \d+/);
  } finally {
    await finish(client);
    await service.stop();
  }
});

test('attach to a C program embedding Python: C breakpoint with the Python frames below; detach leaves it running', async () => {
  const ex = chost();
  const service = await startService(ex.program, [ex.pyDir, '2'], { cwd: ex.root, env: { HOST_SERVE: '1' }, ready: /host done/ });
  const client = await startClient();
  try {
    await attachWith(client, service.pid, [hostAt('c:@host-mix')]);
    await stopped(client, 'breakpoint');
    assert.match(await stackText(client), new RegExp(`^host_mix host\\.c:\\d+\\n── Python → C \\(ctypes\\) ──\\nrun work\\.py:\\d+\\n── C → Python \\(embedded\\) ──\\nmain host\\.c:${hostAt('c:@host-serve').line}`));
    await detachAndCheck(client, service, /served \d+/);
  } finally {
    await finish(client);
    await service.stop();
  }
});

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
