// Speed of the debug adapter against the raw engines, in one run, on examples/mixed. The adapter
// runs as VS Code runs it: in the same process as its client (the extension hands VS Code the
// session inline, bench/inline-client.ts), so it pays no hop the raw engine's frontend does not;
// the C step is also timed with the adapter in a process of its own over stdio (node
// dist/debugAdapter.js, as other DAP clients run it), where each request and event crosses a pipe.
//   launch → first C breakpoint   DAP launch vs bare gdb/MI running node to the same breakpoint
//   C step                        DAP next vs raw MI -exec-next on the same lines, stepped in turns
//                                 with the adapter, the raw side reading the stack after each stop
//                                 (-stack-list-frames) as a frontend does; also against the raw
//                                 steps back to back, with nothing in between (the floor); and each
//                                 side until the stack is in hand, which an editor waits for to show
//                                 the new line (DAP stackTrace vs MI -stack-list-frames); over stdio
//                                 as well, and a DAP request that does nothing (threads) over stdio,
//                                 what talking to an adapter in another process costs
//   JS step                       DAP next vs raw CDP Debugger.stepOver on the same lines (a JS loop)
//   across                        DAP step in TS → C and step out C → TS (examples/mixed; the step out
//                                 also from a C breakpoint, where V8 holds no step), step in
//                                 C → Python and step out Python → C (examples/chain): no raw
//                                 equivalent (one engine cannot do it), p50 and p90 against the goals
//   adapter memory                RSS of the adapter's own process (the stdio run) at the end
// Each timed step runs from the request to the stopped event; after each stop the bench asks for
// the stack (untimed), as VS Code does, so a step starts from the state a user's step starts from.
// BENCH_SETTLE=300 waits that many ms after each stop's stack before the next step (a user's pace;
// back to back by default, like holding F10).
// The launch is measured --launches times (default 5), adapter and bare gdb in turns: medians; also
// until the first stop's stack is in hand (what an editor shows), on both sides.
// BENCH_ADAPTER_NODE runs the stdio adapter with that executable instead of this node (a script
// that adds --cpu-prof, say, to profile it).
// Usage: npm run build && node --import tsx bench/dap-latency.mts [--rounds 30] [--launches 5]
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import WebSocket from 'ws';
import { InlineClient, inlineSession } from './inline-client';
// @ts-expect-error: a plain .mjs build script, no types
import { buildMixedExample } from '../examples/mixed/build.mjs';
// @ts-expect-error: a plain .mjs build script, no types
import { buildChainExample } from '../examples/chain/build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ex = buildMixedExample() as { root: string; app: string; appSource: string; cSource: string };
const chainEx = buildChainExample() as { root: string; appSource: string; cSource: string; pySource: string };
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 30;
const launches = Number(process.argv[process.argv.indexOf('--launches') + 1]) || 5;
const lineOf = (path: string, marker: string) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
const sceneEnv = { SCENE_STEPS: String(2 * rounds + 4), SCENE_TALLY: String(rounds + 2) };
const env = { ...process.env, ...sceneEnv };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;
const since = (t0: number) => performance.now() - t0;

// ── raw gdb/MI ────────────────────────────────────────────────────────────────────────────────

class RawMi {
  private readonly gdb: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  constructor() {
    this.gdb = spawn('gdb', ['--interpreter=mi3', '-nx', '-q'], { env });
    this.gdb.stdout.setEncoding('utf8');
    this.gdb.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const i = this.waiters.findIndex((w) => w.test(line));
        if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
      }
    });
  }
  wait(test: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  async send(command: string): Promise<string> {
    const done = this.wait((l) => l.startsWith('^'));
    this.gdb.stdin.write(command + '\n');
    return done;
  }
  kill(): void {
    this.gdb.kill('SIGKILL');
  }
}

/** A raw MI session stopped at the same C breakpoint: its launch time and a way to step it. */
interface RawSession {
  launchMs: number;
  /** The launch until the first stop's stack was in hand (-stack-list-frames). */
  launchWithStackMs: number;
  /** One -exec-next to the *stopped record, then the stack as a frontend asks for it: both times. */
  next: () => Promise<{ step: number; withStack: number }>;
  /** `n` -exec-next back to back, nothing asked in between. */
  tight: (n: number) => Promise<number[]>;
  kill: () => void;
}

async function rawGdb(): Promise<RawSession> {
  const t0 = performance.now();
  const mi = new RawMi();
  for (const c of ['-gdb-set non-stop on', '-gdb-set mi-async on', '-gdb-set breakpoint pending on', '-gdb-set debuginfod enabled off', '-gdb-set startup-with-shell off']) await mi.send(c);
  await mi.send(`-file-exec-and-symbols ${process.execPath}`);
  await mi.send(`-exec-arguments ${ex.app}`);
  await mi.send(`-break-insert -f ${ex.cSource}:${lineOf(ex.cSource, '@walk-entry')}`);
  const hit = mi.wait((l) => l.startsWith('*stopped,reason="breakpoint-hit"'));
  await mi.send('-exec-run');
  await hit;
  const launchMs = since(t0);
  await mi.send('-stack-list-frames --thread 1');
  const launchWithStackMs = since(t0);
  const step = async () => {
    const t = performance.now();
    const stop = mi.wait((l) => l.startsWith('*stopped'));

    await mi.send('-exec-next --thread 1');
    await stop;
    return since(t);
  };
  return {
    launchMs,
    launchWithStackMs,
    next: async () => {
      const t = performance.now();
      const ms = await step();
      await mi.send('-stack-list-frames --thread 1');
      return { step: ms, withStack: since(t) };
    },
    tight: async (n) => {
      const steps: number[] = [];
      for (let i = 0; i < n; i++) steps.push(await step());
      return steps;
    },
    kill: () => mi.kill(),
  };
}

// ── raw CDP ───────────────────────────────────────────────────────────────────────────────────

async function rawCdp(): Promise<number[]> {
  const node = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', '--inspect-publish-uid=stderr', ex.app], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve) => {
    let err = '';
    node.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /(ws:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
  });
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const pending = new Map<number, (v: unknown) => void>();
  const paused: ((p: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.id) pending.get(msg.id)?.(msg.result);
    else if (msg.method === 'Debugger.paused') paused.shift()?.(msg.params);
  });
  const send = (method: string, params: object = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const nextPause = () => new Promise((resolve) => paused.push(resolve));
  await send('Runtime.enable');
  await send('Debugger.enable');
  // The compiled line of @tally-loop: the same marker is in the generated JS.
  await send('Debugger.setBreakpointByUrl', { url: `file://${ex.app}`, lineNumber: lineOf(ex.app, '@tally-loop') - 1 });
  let p = nextPause();
  await send('Runtime.runIfWaitingForDebugger');
  await p; // break on start
  p = nextPause();
  await send('Debugger.resume');
  await p;
  const steps: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    p = nextPause();
    await send('Debugger.stepOver');
    await p;
    steps.push(since(t));
  }
  ws.close();
  node.kill('SIGKILL');
  return steps;
}

// ── the adapter's client ──────────────────────────────────────────────────────────────────────

type Transport = 'inline' | 'stdio';
/** What the bench asks of a DAP client: DebugClient's methods, which InlineClient has too. */
type BenchClient = Pick<DebugClient, 'start' | 'stop' | 'on' | 'waitForEvent' | 'initializeRequest' | 'launch' | 'configurationDoneRequest' | 'setBreakpointsRequest' | 'stackTraceRequest' | 'threadsRequest' | 'continueRequest' | 'nextRequest' | 'stepInRequest' | 'stepOutRequest' | 'disconnectRequest'> & { defaultTimeout: number };

async function connect(transport: Transport): Promise<BenchClient> {
  const client = transport === 'inline' ? (new InlineClient(inlineSession(root)) as unknown as BenchClient) : new DebugClient(process.env.BENCH_ADAPTER_NODE ?? process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 30_000;
  await client.start();
  return client;
}

/** Resident memory of the adapter's process (stdio only: inline, it shares this one). */
function adapterRssMb(client: BenchClient): number {
  const pid = (client as unknown as { _adapterProcess?: { pid: number } })._adapterProcess?.pid;
  return pid ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024 : NaN;
}

// ── the adapter on the three-language chain ───────────────────────────────────────────────────

async function adapterChain(): Promise<{ intoPy: number[]; outToC: number[] }> {
  const client = await connect('inline');
  const thread = { threadId: 1 };
  const timed = async (request: () => Promise<unknown>) => {
    const t = performance.now();
    const s = client.waitForEvent('stopped');
    await request();
    await s;
    const ms = since(t);
    await client.stackTraceRequest(thread);
    return ms;
  };
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    await client.setBreakpointsRequest({ source: { path: chainEx.cSource }, breakpoints: [{ line: lineOf(chainEx.cSource, '@call-python') }] });
    await client.configurationDoneRequest();
  });
  const first = client.waitForEvent('stopped');
  const n = Math.min(rounds, 15);
  const args = { program: chainEx.appSource, outFiles: [join(chainEx.root, 'build/js/**/*.js')], cwd: chainEx.root, env: { CHAIN_ROUNDS: String(n + 2) } };
  await Promise.all([configured, client.launch(args as never)]);
  await first;
  await client.stackTraceRequest(thread);
  const intoPy: number[] = [];
  const outToC: number[] = [];
  for (let i = 0; i < n; i++) {
    intoPy.push(await timed(() => client.stepInRequest(thread))); // chain_run → compute.py
    outToC.push(await timed(() => client.stepOutRequest(thread))); // compute.py → chain_run
    await timed(() => client.continueRequest(thread));
  }
  await client.stop().catch(() => undefined);
  return { intoPy, outToC };
}

// ── the adapter ───────────────────────────────────────────────────────────────────────────────

interface AdapterRun {
  launchMs: number;
  launchWithStackMs: number;
  cSteps: number[];
  cStepsWithStack: number[];
  rawSteps: number[];
  rawStepsWithStack: number[];
  roundTrips: number[];
  jsSteps: number[];
  intoC: number[];
  outToJs: number[];
  outAfterBreakpoint: number[];
  rssMb: number;
}

/** A launch to the first C breakpoint; with `raw`, the C steps in turns with it, then (unless `cOnly`) the other steps. */
async function adapter(raw: RawSession | null, transport: Transport, options: { cOnly?: boolean } = {}): Promise<AdapterRun> {
  const client = await connect(transport);
  if (process.env.BENCH_ADAPTER_TRACE) client.on('output', (e) => process.stderr.write(e.body.output));
  const stopped = () => client.waitForEvent('stopped');
  let withStack = 0; // the last timed step until its stack was in hand
  const timed = async (request: () => Promise<unknown>, what = '') => {
    if (process.env.BENCH_TRACE) console.error('…', what);
    const t = performance.now();
    const s = stopped();
    await request();
    await s;
    const ms = since(t);
    await client.stackTraceRequest({ threadId: 1 }); // what VS Code asks after every stop
    withStack = since(t);
    if (process.env.BENCH_SETTLE) await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE)));
    return ms;
  };
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const cLine = lineOf(ex.cSource, '@walk-entry');
  const t0 = performance.now();
  const configured = client.waitForEvent('initialized').then(async () => {
    await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [{ line: cLine }] });
    await client.configurationDoneRequest();
  });
  const first = stopped();
  await Promise.all([configured, client.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root, env: sceneEnv, trace: !!process.env.BENCH_ADAPTER_TRACE })]);
  await first;
  const launchMs = since(t0);
  await client.stackTraceRequest({ threadId: 1 });
  const launchWithStackMs = since(t0);
  const run: AdapterRun = { launchMs, launchWithStackMs, cSteps: [], cStepsWithStack: [], rawSteps: [], rawStepsWithStack: [], roundTrips: [], jsSteps: [], intoC: [], outToJs: [], outAfterBreakpoint: [], rssMb: NaN };
  if (!raw) {
    await client.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    await client.stop().catch(() => undefined);
    return run;
  }
  await client.stackTraceRequest({ threadId: 1 });
  const thread = { threadId: 1 };
  // The same lines stepped in the raw session, in turns (which side goes first alternates): a step
  // costs more after a pause than right after the previous one (caches, the scheduler of a shared
  // VM), so the two sides are timed in the same conditions, each after its stack was read.
  const { cSteps, cStepsWithStack, rawSteps, rawStepsWithStack, roundTrips } = run;
  const rawNext = async () => {
    const { step, withStack: both } = await raw.next();
    rawSteps.push(step);
    rawStepsWithStack.push(both);
  };
  for (let i = 0; i < rounds; i++) {
    if (i % 2) await rawNext();
    cSteps.push(await timed(() => client.nextRequest(thread), 'c next'));
    cStepsWithStack.push(withStack);
    if (!(i % 2)) await rawNext();
  }
  raw.kill();
  // What any request costs the client and the adapter, here while stopped in C: between two
  // processes, the part of a step the raw engine does not pay.
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await client.threadsRequest();
    roundTrips.push(since(t));
  }
  if (options.cOnly) {
    run.rssMb = adapterRssMb(client);
    await client.stop().catch(() => undefined);
    return run;
  }
  await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [{ line: lineOf(ex.appSource, '@callback-add') }] });
  const { intoC, outToJs, outAfterBreakpoint, jsSteps } = run;
  for (let i = 0; i < Math.min(rounds, 10); i++) {
    await timed(() => client.continueRequest(thread), 'continue');
    intoC.push(await timed(() => client.stepInRequest(thread), 'step in')); // TS → scene_add
    outToJs.push(await timed(() => client.stepOutRequest(thread), 'step out')); // scene_add → TS
  }
  // The same step out from a C breakpoint: V8 holds no step, the adapter makes it pause (v8-break.ts).
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [] });
  await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [{ line: lineOf(ex.cSource, '@add') }] });
  for (let i = 0; i < Math.min(rounds, 10); i++) {
    await timed(() => client.continueRequest(thread), 'continue to C');
    outAfterBreakpoint.push(await timed(() => client.stepOutRequest(thread), 'step out after a C breakpoint')); // scene_add → TS
  }
  await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [{ line: lineOf(ex.appSource, '@tally-loop') }] });
  await timed(() => client.continueRequest(thread), 'continue to tally');
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [] });
  for (let i = 0; i < rounds; i++) jsSteps.push(await timed(() => client.nextRequest(thread), 'js next'));
  await client.stop().catch(() => undefined);
  return run;
}

const gdbRaw = await rawGdb();
const rawTight = await gdbRaw.tight(rounds);
const cdpRaw = await rawCdp();
const dap = await adapter(gdbRaw, 'inline');
const stdio = await adapter(await rawGdb(), 'stdio', { cOnly: true });
// A launch is one sample of a second or two: more of them, taken in turns, for medians.
const rawLaunches = [gdbRaw.launchMs];
const dapLaunches = [dap.launchMs];
const rawLaunchesWithStack = [gdbRaw.launchWithStackMs];
const dapLaunchesWithStack = [dap.launchWithStackMs];
for (let i = 1; i < launches; i++) {
  const raw = await rawGdb();
  raw.kill();
  rawLaunches.push(raw.launchMs);
  rawLaunchesWithStack.push(raw.launchWithStackMs);
  const ours = await adapter(null, 'inline');
  dapLaunches.push(ours.launchMs);
  dapLaunchesWithStack.push(ours.launchWithStackMs);
}
const chainDap = await adapterChain();
const row = (what: string, ours: number[], raw: number[] | null) =>
  `${what.padEnd(34)} ${median(ours).toFixed(2).padStart(8)} ${p90(ours).toFixed(2).padStart(8)} ${raw ? median(raw).toFixed(2).padStart(9) : '        -'} ${raw ? (median(ours) / median(raw)).toFixed(2).padStart(7) + '×' : '       -'}`;
console.log(`Polyglot Debug adapter vs raw engines (examples/mixed, ${rounds} rounds; ms; the adapter inline, as VS Code runs it, unless said)`);
console.log(`${'what'.padEnd(34)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'raw p50'.padStart(9)} ${'ratio'.padStart(8)}`);
console.log(row(`launch → first C breakpoint (${launches}×)`, dapLaunches, rawLaunches));
console.log(row('  … and its stack', dapLaunchesWithStack, rawLaunchesWithStack));
console.log(row('C step (next) vs MI -exec-next', dap.cSteps, dap.rawSteps));
console.log(row('  vs MI -exec-next back to back', dap.cSteps, rawTight));
console.log(row('C step + its stack (what is shown)', dap.cStepsWithStack, dap.rawStepsWithStack));
console.log(row('  DAP round trip (threads request)', dap.roundTrips, null));
console.log(row('C step, adapter over stdio', stdio.cSteps, stdio.rawSteps));
console.log(row('  C step + its stack, over stdio', stdio.cStepsWithStack, stdio.rawStepsWithStack));
console.log(row('  DAP round trip over stdio', stdio.roundTrips, null));
console.log(row('JS step (next) vs CDP stepOver', dap.jsSteps, cdpRaw));
console.log(row('step in TS → C', dap.intoC, null));
console.log(row('step out C → TS', dap.outToJs, null));
console.log(row('step out C → TS from a C breakpoint', dap.outAfterBreakpoint, null));
console.log(row('step in C → Python', chainDap.intoPy, null));
console.log(row('step out Python → C', chainDap.outToC, null));
console.log('goals: a step within one language ≤ 1.2× raw; across, p50 ≤ 30 ms and p90 ≤ 60 ms; launch ≤ 1.15× bare gdb');
console.log(`adapter RSS at the end (its own process, over stdio): ${stdio.rssMb.toFixed(0)} MB`);
process.exit(0);
