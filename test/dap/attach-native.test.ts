// request: attach by process id to a Python and a C process started on their own (no node: this
// file runs once, not per node): gdb attaches (non-stop), the Python agent starts inside the running
// interpreter; Python and C breakpoints stop with the stitched stack; disconnect detaches and
// leaves the process running, untraced. Each CPython found on PATH (3.11 to 3.14) is tried: 3.14 starts
// the agent through sys.remote_exec, older ones through gdb.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
// @ts-expect-error: a plain .mjs build script, no types
import { buildPyHostExample } from '../../examples/pyhost/build.mjs';
import { resolvePythonInterpreter } from '../../src/core/python-interpreter';
import { attachWith, startService, tracerOf, type Service } from './attach';
import { chost, hostAt } from './chost';
import { collectOutput, finish, lineOf, stackText, startClient, step, stopped } from './harness';

const py = buildPyHostExample() as { root: string; program: string; cSource: string };
const serveScript = join(py.root, 'serve.py');

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

/** A CPython 3.`minor` interpreter: on PATH, or a pyenv version (pyenv's shims only run the selected one). */
function interpreter(minor: number): string | undefined {
  try {
    return resolvePythonInterpreter(`python3.${minor}`, process.cwd());
  } catch {
    const versions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
    const version = existsSync(versions) ? readdirSync(versions).find((v) => v.startsWith(`3.${minor}.`)) : undefined;
    const path = version && join(versions, version, 'bin', `python3.${minor}`);
    return path && existsSync(path) ? path : undefined;
  }
}

for (const minor of [12, 13, 14]) {
  const found = interpreter(minor);
  const way = minor >= 14 ? /through sys\.remote_exec \(PEP 768\)/ : /through gdb \(a pending call/;
  test(`attach to a Python 3.${minor} process: the agent starts in it (${minor >= 14 ? 'sys.remote_exec' : 'through gdb'}), a breakpoint stops, detach leaves it running`, { skip: !found && `no CPython 3.${minor} found` }, async () => {
    const service = await startService(found!, [serveScript], { cwd: py.root, ready: /serving as process/ });
    const client = await startClient();
    const output = collectOutput(client);
    try {
      const summarize = { path: py.program, line: lineOf(py.program, '@py-sum') };
      await attachWith(client, service.pid, [summarize]);
      await stopped(client, 'breakpoint');
      assert.match(await stackText(client), new RegExp(`^summarize main\\.py:${summarize.line}\\nhandle serve\\.py:`));
      assert.match(output.text(), way);
      await detachAndCheck(client, service, /served \d+/);
    } finally {
      await finish(client);
      await service.stop();
    }
  });
}
