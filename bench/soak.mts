// Memory under a long session: ≥ 2,000 cross-boundary steps on examples/mixed, each stop inspected
// the way VS Code inspects it (threads, stackTrace, scopes, variables of the top frame), and the
// resident memory of the adapter, gdb and the debuggee printed at intervals.
//   cycle = continue to the TS callback line → step in TS → C (scene_add) → step out C → TS
// Usage: npm run build && node --import tsx bench/soak.mts [--steps 2000] [--every 200] [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
// @ts-expect-error: a plain .mjs build script, no types
import { buildMixedExample } from '../examples/mixed/build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ex = buildMixedExample() as { root: string; appSource: string; cSource: string };
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const steps = option('--steps', 2000);
const every = option('--every', 200);
const asJson = process.argv.includes('--json');
const cycles = Math.ceil(steps / 2);
const lineOf = (path: string, marker: string) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

/** Resident set size in MiB, from /proc; NaN once the process is gone. */
function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter((n) => n > 0);
  } catch {
    return [];
  }
}
const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
client.defaultTimeout = 60_000;
await client.start();
const adapterPid = (client as unknown as { _adapterProcess?: { pid: number } })._adapterProcess?.pid;
const thread = { threadId: 1 };
const stops: DebugProtocol.StoppedEvent[] = [];
const waiters: ((e: DebugProtocol.StoppedEvent) => void)[] = [];
client.on('stopped', (e: DebugProtocol.StoppedEvent) => {
  const w = waiters.shift();
  if (w) w(e);
  else stops.push(e);
});
const nextStop = () => {
  const ready = stops.shift();
  return ready ? Promise.resolve(ready) : new Promise<DebugProtocol.StoppedEvent>((r) => waiters.push(r));
};

/** What VS Code asks for at each stop. */
async function inspect(): Promise<string> {
  await client.threadsRequest();
  const frames = (await client.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 })).body.stackFrames;
  const top = frames[0];
  if (!top) return '?';
  const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
  const first = scopes.find((s) => !s.expensive);
  if (first) await client.variablesRequest({ variablesReference: first.variablesReference });
  return `${top.name}:${top.line}`;
}

async function act(request: () => Promise<unknown>, expect: string): Promise<void> {
  const stop = nextStop();
  await request();
  const event = await stop;
  const where = await inspect();
  if (!where.startsWith(expect)) throw new Error(`expected a stop in ${expect}, got ${where} (${event.body.reason})`);
}

await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
const configured = client.waitForEvent('initialized').then(async () => {
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [{ line: lineOf(ex.appSource, '@callback-add') }] });
  await client.configurationDoneRequest();
});
const first = nextStop();
await Promise.all([
  configured,
  client.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root, env: { SCENE_STEPS: String(cycles + 5) } } as DebugProtocol.LaunchRequestArguments),
]);
await first;
await inspect();

const gdbPid = childrenOf(adapterPid ?? 0).find((p) => commandOf(p)[0]?.includes('gdb'));
const debuggeePid = gdbPid ? childrenOf(gdbPid).find((p) => commandOf(p).some((a) => a.endsWith('.js'))) : undefined;

interface Sample { steps: number; adapter: number; gdb: number; debuggee: number; seconds: number }
const samples: Sample[] = [];
const t0 = performance.now();
const sample = (done: number) => {
  const s = { steps: done, adapter: rssMiB(adapterPid), gdb: rssMiB(gdbPid), debuggee: rssMiB(debuggeePid), seconds: (performance.now() - t0) / 1000 };
  samples.push(s);
  if (!asJson) console.log(`${String(s.steps).padStart(6)} ${s.adapter.toFixed(1).padStart(9)} ${s.gdb.toFixed(1).padStart(9)} ${s.debuggee.toFixed(1).padStart(9)} ${s.seconds.toFixed(0).padStart(7)}`);
};
if (!asJson) {
  console.log(`Soak: ${cycles} cycles of continue → step in TS → C → step out C → TS on examples/mixed, each stop inspected (RSS in MiB)`);
  console.log(`${'steps'.padStart(6)} ${'adapter'.padStart(9)} ${'gdb'.padStart(9)} ${'debuggee'.padStart(9)} ${'seconds'.padStart(7)}`);
}
sample(0);
let done = 0;
for (let i = 0; i < cycles; i++) {
  if (i > 0) await act(() => client.continueRequest(thread), 'onStep');
  await act(() => client.stepInRequest(thread), 'scene_add');
  await act(() => client.stepOutRequest(thread), 'onStep');
  done += 2;
  if (done % every === 0) sample(done);
}
if (done % every !== 0) sample(done);
await client.stop().catch(() => undefined);

// Warm-up: the first sample after 10 % of the steps (caches, JIT, gdb's symbol tables fill then).
const warm = samples.find((s) => s.steps >= steps * 0.1) ?? samples[0]!;
const last = samples[samples.length - 1]!;
const growth = { adapter: last.adapter - warm.adapter, gdb: last.gdb - warm.gdb, debuggee: last.debuggee - warm.debuggee };
if (asJson) console.log(JSON.stringify({ steps: done, samples, warmUpAt: warm.steps, growthMiB: growth }));
else {
  console.log(`growth after warm-up (${warm.steps} → ${last.steps} steps): adapter ${growth.adapter.toFixed(1)} MiB, gdb ${growth.gdb.toFixed(1)} MiB, debuggee ${growth.debuggee.toFixed(1)} MiB`);
  console.log(`per 1,000 steps: adapter ${((growth.adapter / Math.max(1, last.steps - warm.steps)) * 1000).toFixed(2)} MiB`);
}
process.exit(0);
