// Python in the session, measured against the raw engines in one run, on examples/chain, for each
// CPython given (the chain example is rebuilt to embed each in turn):
//   Python step       DAP next on Python lines through the adapter (request → stopped event);
//                     once, debugpy's DAP next on the same loop in a plain python3 (where Debian's
//                     python3-debugpy is installed), both over their DAP connections
//   debuggee speed    CHAIN_ROUNDS round trips TS → C → Python → ctypes → C → koffi callback → TS:
//                     plain node vs under the adapter (default exception filters) with no
//                     breakpoint, with a breakpoint on a line of the same Python file in a function
//                     the round trip does not run, and on a line of the function it runs (a line it
//                     never reaches); each adapter run is paired with a plain run just before it and
//                     the median of --repeat such ratios is shown (with their range), since a shared
//                     machine's load comes and goes
// Usage: npm run build && node --import tsx bench/python.mts [--rounds 30] [--chain-rounds 20000] [--repeat 2]
//        [--python /usr/bin/python3.11-config --python ~/.pyenv/versions/3.13.0/bin/python3-config]
// Without --python: every /usr/bin/python3.1x-config there is, and pyenv's 3.12+/3.13+ builds with
// a shared libpython (python3-config of each), the system's first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const rounds = argument('--rounds', 30);
const chainRounds = argument('--chain-rounds', 20000);
const repeat = argument('--repeat', 3);
const lineOf = (path: string, marker: string) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

interface Chain {
  root: string;
  app: string;
  appSource: string;
  pySource: string;
}

function pythonConfigs(): string[] {
  const given = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--python' ? [arg] : []));
  if (given.length > 0) return given;
  const system = ['11', '12', '13', '14'].map((minor) => `/usr/bin/python3.${minor}-config`).filter(existsSync);
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const shared = existsSync(pyenv)
    ? readdirSync(pyenv)
        .filter((v) => /^3\.1[2-9]\.\d+$/.test(v) && readdirSync(join(pyenv, v, 'lib')).some((f) => f.startsWith('libpython3')))
        .map((v) => join(pyenv, v, 'bin', 'python3-config'))
    : [];
  return [...system, ...shared];
}

/** The chain example built against one CPython; the build script reads POLYGLOT_PYTHON_CONFIG. */
async function buildFor(config: string): Promise<Chain> {
  process.env.POLYGLOT_PYTHON_CONFIG = config;
  // @ts-expect-error: a plain .mjs build script, no types
  const { buildChainExample } = await import('../examples/chain/build.mjs');
  return buildChainExample() as Chain;
}

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

async function adapter(ex: Chain, setUp: (client: DebugClient) => Promise<void>, env: Record<string, string>, onOutput?: (text: string) => void): Promise<DebugClient> {
  const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 120_000;
  if (onOutput) client.on('output', (e: DebugProtocol.OutputEvent) => onOutput(e.body.output));
  await client.start();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    await setUp(client);
    await client.configurationDoneRequest();
  });
  const launch = { program: ex.appSource, cwd: ex.root, outFiles: [join(ex.root, 'build/js/**/*.js')], env } as DebugProtocol.LaunchRequestArguments;
  await Promise.all([configured, client.launch(launch)]);
  return client;
}

async function adapterSteps(ex: Chain): Promise<{ steps: number[]; events: string }> {
  let events = '?';
  const first = { stopped: null as Promise<unknown> | null };
  const client = await adapter(
    ex,
    async (c) => {
      first.stopped = c.waitForEvent('stopped');
      await c.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [{ line: lineOf(ex.pySource, '@py-add') }] });
    },
    { CHAIN_N: String(rounds * 2 + 10) },
    (text) => (events = /its agent is connected/.test(text) ? text.trim() : events),
  );
  try {
    await first.stopped;
    await client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [] });
    const steps = await timedSteps(client, rounds);
    return { steps, events: events.replace(/ started in the program: its agent is connected/, '').replace(/\.$/, '') };
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

/** Ratios adapter / plain, each adapter run paired with a plain run just before it. */
async function pairedRatios(ex: Chain, breakpointLine: number | undefined, n: number): Promise<number[]> {
  const ratios: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const plain = plainRun(ex, n);
    ratios.push((await underAdapter(ex, breakpointLine, n)) / plain);
  }
  return ratios;
}

function plainRun(ex: Chain, n = 4): number {
  const run = spawnSync(process.execPath, [ex.app], { cwd: ex.root, env: { ...process.env, CHAIN_ROUNDS: String(chainRounds), CHAIN_N: String(n) }, encoding: 'utf8' });
  return roundTripMs(run.stdout);
}

async function underAdapter(ex: Chain, breakpointLine?: number, n = 4): Promise<number> {
  let output = '';
  let ended: Promise<unknown> = Promise.resolve();
  const client = await adapter(
    ex,
    async (c) => {
      ended = c.waitForEvent('terminated');
      if (breakpointLine) await c.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [{ line: breakpointLine }] });
      // The filters VS Code turns on by default.
      await c.setExceptionBreakpointsRequest({ filters: ['js-uncaught', 'py-uncaught'] });
    },
    { CHAIN_ROUNDS: String(chainRounds), CHAIN_N: String(n) },
    (text) => (output += text),
  );
  try {
    await ended;
    return roundTripMs(output);
  } finally {
    await client.stop().catch(() => undefined);
  }
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const ratio = (ratios: number[]) => `${median(ratios).toFixed(2)}×  [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`;
const configs = pythonConfigs();
if (configs.length === 0) throw new Error('no python3-config found: pass --python PATH_OF_A_PYTHON3_CONFIG');
console.log(`${rounds} steps, ${chainRounds} round trips per run; machine load at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const theirs = await debugpySteps();
if (typeof theirs === 'string') console.log(`Python step (debugpy)                   ${theirs}`);
else console.log(`Python step (debugpy, DAP next, /usr/bin/python3) p50 ${ms(median(theirs))}  p90 ${ms(p90(theirs))}`);
for (const config of configs) {
  const ex = await buildFor(config);
  const { steps, events } = await adapterSteps(ex);
  const plain = Math.min(plainRun(ex), plainRun(ex), plainRun(ex));
  const untouched = await pairedRatios(ex, undefined, 4);
  const sameFile = await pairedRatios(ex, lineOf(ex.pySource, '@py-report'), 4);
  const sameFunction = await pairedRatios(ex, lineOf(ex.pySource, '@py-raise'), 4);
  const plain64 = Math.min(plainRun(ex, 64), plainRun(ex, 64), plainRun(ex, 64));
  const untouched64 = await pairedRatios(ex, undefined, 64);
  const sameFile64 = await pairedRatios(ex, lineOf(ex.pySource, '@py-report'), 64);
  console.log(`\n${events} (${config})`);
  console.log(`  Python step (adapter, DAP next)      p50 ${ms(median(steps))}  p90 ${ms(p90(steps))}`);
  console.log(`  round trip TS → C → Py → C → TS (compute runs 4 ctypes calls), plain: ${((plain / chainRounds) * 1000).toFixed(1)} µs each (best of 3); ratios: median [range] of ${repeat} paired runs`);
  console.log(`    under the adapter, no breakpoint        ${ratio(untouched)}`);
  console.log(`    breakpoint elsewhere in compute.py      ${ratio(sameFile)}  (in a function the round trip does not run)`);
  console.log(`    breakpoint in compute() itself          ${ratio(sameFunction)}  (on a line it never reaches)`);
  console.log(`  round trip with 64 ctypes calls in compute, plain: ${((plain64 / chainRounds) * 1000).toFixed(1)} µs each (best of 3)`);
  console.log(`    under the adapter, no breakpoint        ${ratio(untouched64)}`);
  console.log(`    breakpoint elsewhere in compute.py      ${ratio(sameFile64)}`);
}
