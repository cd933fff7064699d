// One entry point for tests and the bench: ask the engine about every case, run the cases in
// batches against the compiler, and summarise agreement with printable failure reports.

import { type Answerer, type PlaceResponse, loadEngine } from './engine';
import type { ProbeCase } from './generate';
import { failureText } from './report';
import { type Outcome, type Status, runBatch } from './runner';
import type { RunConfig } from './toolchain';

export interface RunSummary {
  run: string;
  target: string;
  compiler: string;
  total: number;
  agree: number;
  byStatus: Record<Status, number>;
  /** Printable reports of the cases that did not agree, smallest cases first. */
  failures: string[];
  engineSeconds: number;
  /** Per case, in the order given. */
  outcomes: Outcome[];
}

export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** Runs `cases` on `config` (batches of ABI_PROBE_BATCH, ABI_PROBE_JOBS at a time). */
export async function probeRun(config: RunConfig, cases: ProbeCase[], engine?: Answerer): Promise<RunSummary> {
  const answer = engine ?? (await loadEngine());
  const t0 = process.hrtime.bigint();
  const answers: PlaceResponse[] = cases.map((c) => answer(c.request));
  const engineSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const batchSize = envInt('ABI_PROBE_BATCH', 250);
  const jobs = envInt('ABI_PROBE_JOBS', 2);
  const chunks: number[][] = [];
  for (let i = 0; i < cases.length; i += batchSize) chunks.push(cases.slice(i, i + batchSize).map((_, j) => i + j));
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as number[];
      const res = await runBatch(config, chunk.map((i) => cases[i] as ProbeCase), chunk.map((i) => answers[i] as PlaceResponse));
      res.forEach((o, j) => (outcomes[chunk[j] as number] = o));
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, chunks.length) }, worker));

  const byStatus: Record<Status, number> = { ok: 0, fail: 0, crash: 0, 'engine-error': 0, rejected: 0 };
  const bad: { size: number; text: string }[] = [];
  outcomes.forEach((o, i) => {
    byStatus[o.status]++;
    if (o.status === 'ok') return;
    const pc = cases[i] as ProbeCase;
    const size = pc.request.decls.length + pc.request.proto.length;
    bad.push({ size, text: failureText(config.arch, config.name, pc, answers[i] as PlaceResponse, o) });
  });
  bad.sort((a, b) => a.size - b.size);
  return {
    run: config.name,
    target: config.target,
    compiler: config.compiler,
    total: cases.length,
    agree: byStatus.ok,
    byStatus,
    failures: bad.map((b) => b.text),
    engineSeconds,
    outcomes,
  };
}

/** A one-paragraph summary plus the first `max` failure reports. */
export function summaryText(s: RunSummary, max = 8): string {
  const counts = Object.entries(s.byStatus).filter(([k, v]) => v > 0 && k !== 'ok').map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [`${s.run}: ${s.agree}/${s.total} agree${counts ? ` (${counts})` : ''}`];
  lines.push(...s.failures.slice(0, max));
  if (s.failures.length > max) lines.push(`… and ${s.failures.length - max} more`);
  return lines.join('\n');
}
