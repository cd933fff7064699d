// Compiles a batch of cases into one probe executable per target × compiler, runs it, and
// returns one outcome per case. A crash marks its case and the run resumes after it; a case the
// compiler rejects is dropped (and reported) and the batch compiled again without it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Arch, type BatchCase, callerSource, casesFile, tableSource } from './emit';
import { type PlaceResponse, isAnswer } from './engine';
import { buildForeignObject, callerAttribute, foreignSupportSources } from './foreign';
import type { ProbeCase } from './generate';
import { RUNTIME_DIR, type RunConfig, missingTools, mustRun, run } from './toolchain';

export type Status = 'ok' | 'fail' | 'crash' | 'engine-error' | 'rejected';

export interface Outcome {
  status: Status;
  /** `X …` mismatch lines and `G …` register dump lines from the runtime, or a message. */
  lines: string[];
  message?: string;
}

/** Null if the config can run here, else the reason (a missing Debian package). */
export async function unavailable(config: RunConfig): Promise<string | null> {
  return missingTools(config);
}

const runtimeObjects = new Map<string, Promise<string[]>>();
let workRoot: string | undefined;

function workDir(): string {
  workRoot ??= mkdtempSync(join(tmpdir(), 'abi-probe-'));
  return workRoot;
}

/** Removes the temporary build directory (unless ABI_PROBE_KEEP is set). */
export function cleanup(): void {
  if (workRoot && !process.env['ABI_PROBE_KEEP']) rmSync(workRoot, { recursive: true, force: true });
  workRoot = undefined;
  runtimeObjects.clear();
}

/** The runtime and stub objects for an architecture, built once per process. */
function runtimeFor(arch: Arch, hostCc: string): Promise<string[]> {
  let p = runtimeObjects.get(arch);
  if (!p) {
    const dir = workDir();
    const main = join(dir, `probe-main-${arch}.o`), stub = join(dir, `stub-${arch}.o`);
    p = Promise.all([
      mustRun([hostCc, '-O1', '-c', join(RUNTIME_DIR, 'probe-main.c'), '-o', main]),
      mustRun([hostCc, '-c', join(RUNTIME_DIR, `stub-${arch}.S`), '-o', stub]),
    ]).then(() => [main, stub]);
    runtimeObjects.set(arch, p);
  }
  return p;
}

let batchCounter = 0;

/** Runs one batch (answers[i] is the engine's response to cases[i]). */
export async function runBatch(config: RunConfig, cases: ProbeCase[], answers: PlaceResponse[]): Promise<Outcome[]> {
  const outcomes: (Outcome | undefined)[] = new Array(cases.length);
  const dir = join(workDir(), `b${batchCounter++}`);
  const callConv = config.callers.kind === 'foreign' ? callerAttribute(config.callers.flavor) : '';

  let live: number[] = [];
  cases.forEach((c, i) => {
    const a = answers[i] as PlaceResponse;
    if (!isAnswer(a)) outcomes[i] = { status: 'engine-error', lines: [], message: a.error };
    else live.push(i);
  });

  for (let attempt = 0; attempt < 4 && live.length > 0; attempt++) {
    const callerParts: string[] = [], decls: string[] = [], rows: string[] = [], order: number[] = [];
    const lineOwner: [number, number][] = []; // [first line of a case in callers.c, case index]
    let line = 1;
    for (const i of live) {
      const bc: BatchCase = { probe: cases[i] as ProbeCase, answer: answers[i] as BatchCase['answer'] };
      const table = tableSource(i, bc, config.arch, callConv);
      if (typeof table === 'string') {
        outcomes[i] = { status: 'fail', lines: [], message: table };
        continue;
      }
      const src = callerSource(i, bc.probe, config.stubAttr);
      lineOwner.push([line, i]);
      line += src.split('\n').length; // parts are joined with one more newline
      callerParts.push(src);
      decls.push(table.decl);
      rows.push(table.row);
      order.push(i);
    }
    if (order.length === 0) break;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const callersC = join(dir, 'callers.c'), casesC = join(dir, 'cases.c');
    writeFileSync(callersC, callerParts.join('\n'));
    writeFileSync(casesC, casesFile(decls, rows, callConv));

    const callersO = join(dir, 'callers.o');
    const rejected = await compileCallers(config, callersC, callersO);
    if (rejected) {
      const bad = rejectedCases(rejected, lineOwner);
      if (bad.size === 0) throw new Error(`${config.name}: compiling the callers failed:\n${rejected.slice(0, 4000)}`);
      for (const i of bad) outcomes[i] = { status: 'rejected', lines: [], message: rejected.split('\n').filter((l) => l.includes('error')).slice(0, 3).join('\n') };
      live = live.filter((i) => !bad.has(i));
      continue;
    }
    const [runtime] = await Promise.all([
      runtimeFor(config.arch, config.hostCc),
      mustRun([config.hostCc, '-O1', '-w', '-I', RUNTIME_DIR, '-c', casesC, '-o', join(dir, 'cases.o')]),
    ]);
    const support = config.callers.kind === 'foreign' ? foreignSupportSources(config.callers.flavor) : [];
    const exe = join(dir, 'probe');
    await mustRun([config.hostCc, '-o', exe, ...runtime, join(dir, 'cases.o'), callersO, ...support, ...config.linkFlags]);
    await execute(config, exe, order, outcomes);
    break;
  }
  return outcomes.map((o) => o ?? { status: 'rejected', lines: [], message: 'could not be compiled' });
}

/** Compiler stderr if the callers do not compile, else null. */
async function compileCallers(config: RunConfig, src: string, out: string): Promise<string | null> {
  if (config.callers.kind === 'native') {
    const r = await run([...config.callers.argv, '-c', src, '-o', out]);
    return r.code === 0 ? null : r.stderr || `exit ${r.code}`;
  }
  try {
    await buildForeignObject(config.callers.flavor, src, out);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Cases whose lines in callers.c the compiler's diagnostics point at. */
function rejectedCases(stderr: string, lineOwner: [number, number][]): Set<number> {
  const bad = new Set<number>();
  for (const m of stderr.matchAll(/callers\.c:(\d+):(?:\d+:)? (?:fatal )?error/g)) {
    const ln = Number(m[1]);
    let owner: number | undefined;
    for (const [first, i] of lineOwner) if (first <= ln) owner = i;
    if (owner !== undefined) bad.add(owner);
  }
  return bad;
}

/** Runs the probe, restarting after a crashing case, and fills outcomes from its output. */
async function execute(config: RunConfig, exe: string, order: number[], outcomes: (Outcome | undefined)[]): Promise<void> {
  let start = 0;
  while (start < order.length) {
    const r = await run([...config.runner, exe, String(start)], { timeoutMs: 120_000 });
    let current = -1;
    let lines: string[] = [];
    let ended = false;
    for (const l of r.stdout.split('\n')) {
      if (l.startsWith('B ')) {
        current = Number(l.slice(2));
        lines = [];
      } else if (l.startsWith('R ')) {
        const [, pos, status] = l.split(' ');
        const i = order[Number(pos)] as number;
        outcomes[i] = status === 'ok' ? { status: 'ok', lines: [] } : { status: 'fail', lines, message: status === 'skip' ? l : undefined };
        current = -1;
      } else if (l === 'END') ended = true;
      else if (current >= 0 && l) lines.push(l);
    }
    if (ended) return;
    if (current < 0) throw new Error(`${config.name}: the probe died outside any case (${r.signal ?? r.code}): ${r.stderr.slice(0, 2000)}`);
    outcomes[order[current] as number] = { status: 'crash', lines, message: `probe crashed (${r.signal ?? `exit ${r.code}`}) ${r.stderr.slice(0, 500)}` };
    start = current + 1;
  }
}
