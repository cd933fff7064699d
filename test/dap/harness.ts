// DAP tests drive the shipped adapter (dist/debugAdapter.js, built by `npm test`) over stdio with
// DebugClient, against the real example program: node + koffi + libscene.so under gdb.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
// @ts-expect-error: a plain .mjs build script, no types
import { buildMixedExample } from '../../examples/mixed/build.mjs';
import { debuggeeNode } from '../debuggee-node';

const root = fileURLToPath(new URL('../..', import.meta.url));
const adapter = join(root, 'dist', 'debugAdapter.js');

export interface Example {
  root: string;
  app: string;
  appSource: string;
  cSource: string;
}

let built: Example | undefined;
export function example(): Example {
  built ??= buildMixedExample() as Example;
  return built;
}

/** 1-based line of `marker` (e.g. `@call-scale`) in a source file. */
export function lineOf(path: string, marker: string): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `marker ${marker} not found in ${path}`);
  return index + 1;
}

export async function startClient(): Promise<DebugClient> {
  assert.ok(existsSync(adapter), `${adapter} is missing: run \`npm run build\` first`);
  const client = new DebugClient(process.execPath, adapter, 'polyglot', undefined, !!process.env.POLYGLOT_ADAPTER_STDERR);
  client.defaultTimeout = 20_000;
  await client.start();
  // Every launch runs the debuggee on the node under test unless the test names its own.
  const launch = client.launch.bind(client);
  client.launch = (args) => launch({ runtimeExecutable: debuggeeNode, ...args });
  // Every stop is queued as it arrives, so a test never misses one that beats its waiter.
  const queue: StopQueue = { events: [], waiters: [], recentOutput: '' };
  stopQueues.set(client, queue);
  client.on('stopped', (event: DebugProtocol.StoppedEvent) => {
    const waiter = queue.waiters.shift();
    if (waiter) waiter(event);
    else queue.events.push(event);
  });
  client.on('output', (event: DebugProtocol.OutputEvent) => {
    queue.recentOutput = (queue.recentOutput + `[${event.body.category ?? 'console'}] ${event.body.output}`).slice(-3_000);
  });
  return client;
}

interface StopQueue {
  events: DebugProtocol.StoppedEvent[];
  waiters: ((event: DebugProtocol.StoppedEvent) => void)[];
  /** The last output (the program's and the adapter's), for the message of a stop that never came. */
  recentOutput: string;
}
const stopQueues = new WeakMap<DebugClient, StopQueue>();

function nextStop(client: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const queue = stopQueues.get(client)!;
  const ready = queue.events.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      queue.waiters.splice(queue.waiters.indexOf(waiter), 1);
      reject(new Error(`no stop within ${client.defaultTimeout} ms; the session's last output:\n${queue.recentOutput || '(none)'}`));
    }, client.defaultTimeout);
    const waiter = (event: DebugProtocol.StoppedEvent) => {
      clearTimeout(timer);
      resolve(event);
    };
    queue.waiters.push(waiter);
  });
}

export function launchArgs(extra: Record<string, unknown> = {}): DebugProtocol.LaunchRequestArguments & Record<string, unknown> {
  const ex = example();
  return { program: ex.appSource, outFiles: [join(ex.root, 'build', 'js', '**', '*.js')], cwd: ex.root, ...extra };
}

export type Bp = { path: string; line: number; condition?: string; hitCondition?: string; logMessage?: string };

/** initialize → launch → breakpoints → configurationDone; resolves once the launch is answered. */
export async function launchWith(client: DebugClient, breakpoints: Bp[], extra: Record<string, unknown> = {}): Promise<void> {
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, Bp[]>();
    for (const bp of breakpoints) byPath.set(bp.path, [...(byPath.get(bp.path) ?? []), bp]);
    for (const [path, bps] of byPath) {
      const answer = await client.setBreakpointsRequest({
        source: { path },
        breakpoints: bps.map(({ line, condition, hitCondition, logMessage }) => ({ line, condition, hitCondition, logMessage })),
      });
      assert.equal(answer.body.breakpoints.length, bps.length);
    }
    await client.setExceptionBreakpointsRequest({ filters: ['js-uncaught'] });
    await client.configurationDoneRequest();
  });
  await Promise.all([configured, client.launch(launchArgs(extra))]);
}

export async function stopped(client: DebugClient, reason?: string): Promise<DebugProtocol.StoppedEvent> {
  const event = await nextStop(client);
  if (reason) assert.equal(event.body.reason, reason, `stopped for ${event.body.reason} (${event.body.description ?? ''}), expected ${reason}`);
  return event;
}

/** The stack as text, one frame a line: `name file:line`, labels as they are; runtime frames left out. */
export async function stackText(client: DebugClient): Promise<string> {
  const frames = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  return frames
    .filter((f) => f.presentationHint !== 'subtle' && (f.presentationHint === 'label' || f.source?.path))
    .filter((f) => f.presentationHint === 'label' || !f.source?.path?.includes('node:'))
    .map((f) => (f.presentationHint === 'label' ? f.name : `${f.name} ${basename(f.source?.path ?? '?')}:${f.line}`))
    .join('\n');
}

export async function topFrame(client: DebugClient): Promise<DebugProtocol.StackFrame> {
  const frame = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  assert.ok(frame, 'no stack frames');
  return frame;
}

export async function assertTop(client: DebugClient, file: string, line: number | number[], name?: string): Promise<void> {
  const top = await topFrame(client);
  const lines = Array.isArray(line) ? line : [line];
  assert.equal(basename(top.source?.path ?? ''), basename(file), `top frame ${top.name} in ${top.source?.path}:${top.line}`);
  assert.ok(lines.includes(top.line), `top frame ${top.name} at line ${top.line}, expected ${lines.join(' or ')}`);
  if (name) assert.equal(top.name, name);
}

/** Variables of the first scope of the top frame, by name. */
export async function localsOfTop(client: DebugClient): Promise<Map<string, DebugProtocol.Variable>> {
  const top = await topFrame(client);
  const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
  const first = scopes[0];
  assert.ok(first && first.variablesReference > 0, `no scope with values: ${JSON.stringify(scopes)}`);
  const variables = (await client.variablesRequest({ variablesReference: first.variablesReference })).body.variables;
  return new Map(variables.map((v) => [v.name, v]));
}

export async function evaluateTop(client: DebugClient, expression: string, context = 'watch'): Promise<string> {
  const top = await topFrame(client);
  return (await client.evaluateRequest({ expression, frameId: top.id, context })).body.result;
}

/** Collects output events (stdout and console) until the session ends. */
export function collectOutput(client: DebugClient): { text: () => string } {
  let text = '';
  client.on('output', (event: DebugProtocol.OutputEvent) => (text += event.body.output));
  return { text: () => text };
}

export async function finish(client: DebugClient): Promise<void> {
  await client.stop().catch(() => undefined);
}

/** Sends a step (or continue) and waits for the stop it causes; the waiter is armed first. */
export async function step(client: DebugClient, kind: 'next' | 'stepIn' | 'stepOut' | 'continue', reason = kind === 'continue' ? 'breakpoint' : 'step'): Promise<DebugProtocol.StoppedEvent> {
  const stop = stopped(client, reason);
  const args = { threadId: 1 };
  if (kind === 'next') await client.nextRequest(args);
  else if (kind === 'stepIn') await client.stepInRequest(args);
  else if (kind === 'stepOut') await client.stepOutRequest(args);
  else await client.continueRequest(args);
  return stop;
}
