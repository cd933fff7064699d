// Python in the session, measured against the raw engines in one run, on examples/chain:
//   Python step       DAP next on Python lines through the adapter (request → stopped event)
//                     vs debugpy's DAP next on the same loop in a plain python3 (where Debian's
//                     python3-debugpy is installed), both over their DAP connections
//   debuggee speed    CHAIN_ROUNDS round trips TS → C → Python → ctypes → C → koffi callback → TS:
//                     plain node vs under the adapter with no breakpoint vs with a breakpoint on a
//                     line of the same Python file that never runs, in another function and in the
//                     function the round trip runs (whose lines are then traced)
// Usage: npm run build && node --import tsx bench/python.mts [--rounds 30] [--chain-rounds 20000]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
// @ts-expect-error: a plain .mjs build script, no types
import { buildChainExample } from '../examples/chain/build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ex = buildChainExample() as { root: string; app: string; appSource: string; pySource: string };
const argument = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const rounds = argument('--rounds', 30);
const chainRounds = argument('--chain-rounds', 20000);
const lineOf = (path: string, marker: string) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

async function timedSteps(client: DebugClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const stop = client.waitForEvent('stopped');
    const t0 = performance.now();
    await client.nextRequest({ threadId: 1 });
    await stop;
    times.push(performance.now() - t0);
  }
  return times;
}

async function adapterSteps(): Promise<number[]> {
  const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 30_000;
  await client.start();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [{ line: lineOf(ex.pySource, '@py-add') }] });
      await client.configurationDoneRequest();
    });
    const first = client.waitForEvent('stopped');
    await Promise.all([configured, client.launch({ program: ex.appSource, cwd: ex.root, outFiles: [join(ex.root, 'build/js/**/*.js')], env: { CHAIN_N: String(rounds * 2 + 10) } } as DebugProtocol.LaunchRequestArguments)]);
    await first;
    await client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [] });
    return await timedSteps(client, rounds);
  } finally {
    await client.stop().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function debugpySteps(): Promise<number[] | string> {
  if (spawnSync('/usr/bin/python3', ['-c', 'import debugpy'], { stdio: 'ignore' }).status !== 0) return 'not installed (apt-get install python3-debugpy)';
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-debugpy-'));
  const script = join(dir, 'loop.py');
  writeFileSync(script, ['total = 0', `for i in range(${rounds * 2 + 10}):`, '    total = total + i  # @loop', 'print(total)', ''].join('\n'));
  const port = await freePort();
  const python = spawn('/usr/bin/python3', ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--wait-for-client', script], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // debugpy opens its port
    const client = new DebugClient('unused', 'unused', 'python');
    client.defaultTimeout = 30_000;
    await client.start(port);
    await client.initializeRequest({ adapterID: 'python', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setBreakpointsRequest({ source: { path: script }, breakpoints: [{ line: 3 }] });
      await client.configurationDoneRequest();
    });
    const first = client.waitForEvent('stopped');
    await Promise.all([configured, client.attachRequest({ justMyCode: true } as DebugProtocol.AttachRequestArguments)]);
    await first;
    await client.setBreakpointsRequest({ source: { path: script }, breakpoints: [] });
    const steps = await timedSteps(client, rounds);
    await client.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    return steps;
  } finally {
    python.kill('SIGKILL');
  }
}

/** Milliseconds the program itself reports for CHAIN_ROUNDS round trips. */
function roundTripMs(output: string): number {
  const match = /chain rounds \d+ in ([\d.]+) ms/.exec(output);
  if (!match) throw new Error(`no timing in the program's output:\n${output}`);
  return Number(match[1]);
}

function plainRun(n = 4): number {
  const run = spawnSync(process.execPath, [ex.app], { cwd: ex.root, env: { ...process.env, CHAIN_ROUNDS: String(chainRounds), CHAIN_N: String(n) }, encoding: 'utf8' });
  return roundTripMs(run.stdout);
}

async function underAdapter(breakpointLine?: number, n = 4): Promise<number> {
  const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 120_000;
  let output = '';
  client.on('output', (e: DebugProtocol.OutputEvent) => (output += e.body.output));
  await client.start();
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      if (breakpointLine) await client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [{ line: breakpointLine }] });
      await client.setExceptionBreakpointsRequest({ filters: ['js-uncaught', 'py-uncaught'] });
      await client.configurationDoneRequest();
    });
    const ended = client.waitForEvent('terminated');
    await Promise.all([configured, client.launch({ program: ex.appSource, cwd: ex.root, outFiles: [join(ex.root, 'build/js/**/*.js')], env: { CHAIN_ROUNDS: String(chainRounds), CHAIN_N: String(n) } } as DebugProtocol.LaunchRequestArguments)]);
    await ended;
    return roundTripMs(output);
  } finally {
    await client.stop().catch(() => undefined);
  }
}

const ours = await adapterSteps();
const theirs = await debugpySteps();
const plain = plainRun();
const untouched = await underAdapter();
const sameFile = await underAdapter(lineOf(ex.pySource, '@py-report'));
const sameFunction = await underAdapter(lineOf(ex.pySource, '@py-raise'));
// A round trip that does more work per Python call: 64 ctypes calls in compute's loop.
const plain64 = plainRun(64);
const untouched64 = await underAdapter(undefined, 64);
const sameFile64 = await underAdapter(lineOf(ex.pySource, '@py-report'), 64);

const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`Python ${spawnSync('/usr/bin/python3', ['--version'], { encoding: 'utf8' }).stdout.trim()} (sys.settrace), ${rounds} steps, ${chainRounds} round trips`);
console.log(`Python step (adapter, DAP next)      p50 ${ms(median(ours))}  p90 ${ms(p90(ours))}`);
if (typeof theirs === 'string') console.log(`Python step (debugpy)                 ${theirs}`);
else console.log(`Python step (debugpy, DAP next)      p50 ${ms(median(theirs))}  p90 ${ms(p90(theirs))}  → adapter is ${(median(theirs) / median(ours)).toFixed(1)}× faster`);
console.log(`round trip TS → C → Py → C → TS (compute runs 4 ctypes calls), plain: ${((plain / chainRounds) * 1000).toFixed(1)} µs each (${ms(plain)} total)`);
console.log(`  under the adapter, no breakpoint   ${ms(untouched)} total → ${(untouched / plain).toFixed(2)}×`);
console.log(`  breakpoint elsewhere in compute.py ${ms(sameFile)} total → ${(sameFile / plain).toFixed(2)}×  (in a function the round trip does not run)`);
console.log(`  breakpoint in compute() itself    ${ms(sameFunction)} total → ${(sameFunction / plain).toFixed(2)}×  (on a line it never reaches: its lines are traced)`);
console.log(`round trip with 64 ctypes calls in compute, plain: ${((plain64 / chainRounds) * 1000).toFixed(1)} µs each`);
console.log(`  under the adapter, no breakpoint   → ${(untouched64 / plain64).toFixed(2)}×`);
console.log(`  breakpoint elsewhere in compute.py → ${(sameFile64 / plain64).toFixed(2)}×`);
