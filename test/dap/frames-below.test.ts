// C frames below the frame that holds the thread — under a Python stop (the agent holds it) and
// under a stop in a JavaScript callback (V8 holds it) — show their arguments and locals, read by
// gdb while it holds the thread for a moment; and every frame's message says what is true of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { chain, launchChain } from './chain';
import { finish, startClient, stopped } from './harness';

chain();
/** The n that app.ts passes to chain_run. */
const N = '4';
let outputs: DebugProtocol.OutputEvent['body'][] = [];

async function frames(client: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  return (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

async function valuesOf(client: DebugClient, frame: DebugProtocol.StackFrame): Promise<{ scopes: DebugProtocol.Scope[]; values: Map<string, string> }> {
  const scopes = (await client.scopesRequest({ frameId: frame.id })).body.scopes;
  const locals = scopes.find((s) => s.presentationHint === 'locals');
  const values = new Map<string, string>();
  if (locals) for (const v of (await client.variablesRequest({ variablesReference: locals.variablesReference })).body.variables) values.set(v.name, v.value);
  return { scopes, values };
}

async function withChain(breakpoint: string, body: (client: DebugClient) => Promise<void>): Promise<void> {
  const client = await startClient();
  outputs = [];
  client.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e.body));
  try {
    await launchChain(client, [breakpoint]);
    await stopped(client, 'breakpoint');
    await body(client);
  } finally {
    await finish(client);
  }
}

test('under a Python stop, the C frame that called Python shows its arguments and locals', () =>
  withChain('py:@py-scale', async (client) => {
    const all = await frames(client);
    const chainRun = all.find((f) => f.name === 'chain_run');
    assert.ok(chainRun, all.map((f) => f.name).join(', '));
    const { scopes, values } = await valuesOf(client, chainRun);
    assert.equal(scopes[0]?.expensive, false);
    assert.ok(!scopes.some((s) => /JavaScript/.test(s.name)), `no message about JavaScript: ${scopes.map((s) => s.name).join(' | ')}`);
    assert.equal(values.get('n'), N, [...values].join(', '));
    assert.match(values.get('dir') ?? '', /examples\/chain/);
    assert.ok(values.has('module') && values.has('value'), [...values.keys()].join(', '));
    // Asked twice (the Variables view refreshes): the same answer, and the program still goes on.
    assert.equal((await valuesOf(client, chainRun)).values.get('n'), N);
    // Information is not shown as a warning (VS Code colours category 'console' as one).
    const hello = outputs.find((o) => /agent is connected/.test(o.output));
    assert.ok(hello, outputs.map((o) => o.output).join(''));
    assert.notEqual(hello.category, 'console');
    const python = all[0]!;
    const pyScopes = (await client.scopesRequest({ frameId: python.id })).body.scopes;
    assert.ok(pyScopes.length > 0);
  }));

test('under a stop in the TypeScript callback, the C frames past koffi’s stack switch say why they have no values', () =>
  withChain('ts:@ts-notify', async (client) => {
    const all = await frames(client);
    const notify = all.find((f) => f.name === 'chain_notify');
    assert.ok(notify, all.map((f) => f.name).join(', '));
    const { scopes, values } = await valuesOf(client, notify);
    assert.equal(values.size, 0);
    assert.match(scopes[0]?.name ?? '', /koffi’s stack switch/);
    assert.ok(!scopes.some((s) => /paused JavaScript frame/.test(s.name)));
    // The JS frame holding the thread has its locals, expanded (not expensive).
    const top = await valuesOf(client, all[0]!);
    assert.equal(top.scopes[0]?.expensive, false);
    assert.ok(top.values.has('value'), [...top.values.keys()].join(', '));
  }));
