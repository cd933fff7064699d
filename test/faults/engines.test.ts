// Faults of the engines and of the program, in each state a session can be in: whatever dies and
// whenever the user leaves, the session ends with an event the user sees (never a hang) and no
// process of it is left behind. Deadlines here are "never hangs" bounds, not speed limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { collectOutput, example, finish, launchWith, lineOf, startClient, step, stopped } from '../dap/harness';
import { adapterPid, descendants, leftAfter, type Owned } from './processes';

const ex = example();
const ts = (marker: string) => lineOf(ex.appSource, marker);
const c = (marker: string) => lineOf(ex.cSource, marker);
/** Enough callback rounds to keep the program busy for as long as a test needs it running. */
const BUSY = { SCENE_STEPS: '200000000' };
const BOUND_MS = 20_000;

function gdbOf(owned: readonly Owned[]): Owned {
  const gdb = owned.find((p) => /(^|\/)gdb\s/.test(p.args));
  assert.ok(gdb, `no gdb among ${owned.map((p) => p.args).join(' | ')}`);
  return gdb;
}

function debuggeeOf(owned: readonly Owned[]): Owned {
  const node = owned.find((p) => p.args.includes(ex.app) || p.args.includes('app.js'));
  assert.ok(node, `no debuggee among ${owned.map((p) => p.args).join(' | ')}`);
  return node;
}

function ended(client: DebugClient): Promise<unknown> {
  return client.waitForEvent('terminated', BOUND_MS);
}

async function nothingLeft(owned: readonly Owned[]): Promise<void> {
  const left = await leftAfter(owned, BOUND_MS);
  assert.deepEqual(left, [], 'no process of the session is left');
}

async function stoppedInC(client: DebugClient): Promise<Owned[]> {
  await launchWith(client, [{ path: ex.cSource, line: c('@scale-len') }]);
  await stopped(client, 'breakpoint');
  return descendants(adapterPid(client));
}

async function running(client: DebugClient): Promise<Owned[]> {
  await launchWith(client, [], { env: BUSY });
  // Running: the program is inside its long callback loop once its output says it got there.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return descendants(adapterPid(client));
}

/** Kills gdb or the program in the given state; the session must end (with `extra` events too) and leave nothing. */
async function killIn(state: (client: DebugClient) => Promise<Owned[]>, victim: (owned: readonly Owned[]) => Owned, extra: string[] = []): Promise<string> {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    const owned = await state(client);
    const events = [ended(client), ...extra.map((name) => client.waitForEvent(name, BOUND_MS))];
    process.kill(victim(owned).pid, 'SIGKILL');
    await Promise.all(events);
    await nothingLeft(owned);
    return output.text();
  } finally {
    await finish(client);
  }
}

test('gdb killed while the program is stopped in C: the session ends, saying so, and nothing is left', async () => {
  const output = await killIn(stoppedInC, gdbOf);
  assert.match(output, /gdb exited unexpectedly \(killed by SIGKILL\)/, 'the user is told that gdb went away, and how');
});

test('gdb killed while the program runs: the session ends and nothing is left', async () => {
  await killIn(running, gdbOf);
});

test('the program killed while stopped in C: exited, terminated, nothing left', async () => {
  await killIn(stoppedInC, debuggeeOf, ['exited']);
});

test('the program killed while it runs: terminated, nothing left', async () => {
  await killIn(running, debuggeeOf);
});

test('disconnect while the program runs leaves nothing', async () => {
  const client = await startClient();
  const owned = await running(client);
  await client.disconnectRequest({ terminateDebuggee: true });
  await finish(client);
  await nothingLeft(owned);
});

test('disconnect while stopped in TypeScript leaves nothing', async () => {
  const client = await startClient();
  await launchWith(client, [{ path: ex.appSource, line: ts('@call-walk') }]);
  await stopped(client, 'breakpoint');
  const owned = descendants(adapterPid(client));
  await client.disconnectRequest({ terminateDebuggee: true });
  await finish(client);
  await nothingLeft(owned);
});

test('the program exiting during a step ends the session instead of waiting for a stop', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: ts('@report') }]);
    await stopped(client, 'breakpoint');
    const owned = descendants(adapterPid(client));
    const done = ended(client);
    // Step over the program's last lines until it exits; every step either stops or the session ends.
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 40 && !finished; i++) {
      const outcome = await Promise.race([step(client, 'next').then(() => 'stopped', () => 'no stop'), done.then(() => 'ended')]);
      if (outcome === 'ended') break;
    }
    await done;
    await nothingLeft(owned);
  } finally {
    await finish(client);
  }
});
