// Agreement of the ABI engine with real compilers, at scale: thousands of random signatures per
// target × compiler, compiled, run and compared (see test/abi/probe/). Also the engine's own
// throughput through answerPlaceRequest.
//   node --import tsx bench/abi-agreement.ts [--cases N] [--seed S] [--run SUBSTRING]… [--json]
//     [--failures K: print the K smallest disagreements per run] [--shrink K: shrink K of them to minimal cases]

import { loadEngine } from '../test/abi/probe/engine';
import { generateCases } from '../test/abi/probe/generate';
import { type RunSummary, probeRun } from '../test/abi/probe/probe';
import { cleanup, unavailable } from '../test/abi/probe/runner';
import { minimalFailures } from '../test/abi/probe/shrink';
import { RUN_CONFIGS } from '../test/abi/probe/toolchain';

function args(): { cases: number; seed: number; json: boolean; runs: string[]; failures: number; shrink: number } {
  const a = process.argv.slice(2);
  const value = (flag: string, fallback: number) => {
    const i = a.indexOf(flag);
    return i >= 0 && a[i + 1] !== undefined ? Number(a[i + 1]) : fallback;
  };
  const runs: string[] = [];
  a.forEach((x, i) => x === '--run' && a[i + 1] && runs.push(a[i + 1] as string));
  return { cases: value('--cases', 2000), seed: value('--seed', 1), json: a.includes('--json'), runs, failures: value('--failures', 3), shrink: value('--shrink', 0) };
}

async function main(): Promise<void> {
  const opt = args();
  const engine = await loadEngine();
  const rows: (RunSummary & { skipped?: string; minimal?: string[] })[] = [];
  const allCases = [];
  for (const config of RUN_CONFIGS) {
    if (opt.runs.length && !opt.runs.some((r) => config.name.includes(r))) continue;
    const why = await unavailable(config);
    if (why) {
      rows.push({ run: config.name, target: config.target, compiler: config.compiler, total: 0, agree: 0, byStatus: { ok: 0, fail: 0, crash: 0, 'engine-error': 0, rejected: 0 }, failures: [], engineSeconds: 0, outcomes: [], skipped: why });
      continue;
    }
    const cases = generateCases(config.profile, { seed: opt.seed, count: opt.cases });
    allCases.push(...cases);
    const t0 = Date.now();
    const s = await probeRun(config, cases, engine);
    if (!opt.json) process.stderr.write(`${config.name}: ${s.agree}/${s.total} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const row: RunSummary & { minimal?: string[] } = s;
    if (opt.shrink > 0 && s.agree < s.total) row.minimal = await minimalFailures(config, cases, s.outcomes, engine, opt.shrink);
    rows.push(row);
  }
  cleanup();

  // Engine throughput, measured apart from compiling: answer every generated request again.
  let answered = 0;
  const t0 = process.hrtime.bigint();
  do {
    for (const c of allCases) engine(c.request);
    answered += allCases.length;
  } while (allCases.length && Number(process.hrtime.bigint() - t0) < 1e9);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const throughput = seconds > 0 ? Math.round(answered / seconds) : 0;

  if (opt.json) {
    const out = rows.map(({ failures, outcomes: _o, ...r }) => ({ ...r, failuresShown: failures.slice(0, opt.failures) }));
    console.log(JSON.stringify({ seed: opt.seed, casesPerRun: opt.cases, engineCasesPerSecond: throughput, runs: out }, null, 2));
    return;
  }
  const head = ['run', 'cases', 'agree', '%', 'fail', 'crash', 'engine-error', 'rejected'];
  const table = rows.map((r) =>
    r.skipped
      ? [r.run, 'skipped', '', '', '', '', '', '']
      : [r.run, String(r.total), String(r.agree), ((100 * r.agree) / Math.max(1, r.total)).toFixed(1), String(r.byStatus.fail), String(r.byStatus.crash), String(r.byStatus['engine-error']), String(r.byStatus.rejected)],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  table.forEach((row) => console.log(line(row)));
  for (const r of rows) if (r.skipped) console.log(`skipped ${r.run}: ${r.skipped}`);
  console.log(`\nengine throughput: ${throughput} cases/s through answerPlaceRequest (${answered} answers in ${seconds.toFixed(2)} s)`);
  for (const r of rows) {
    if (r.minimal?.length) {
      console.log(`\n${r.run}: ${r.minimal.length} minimal disagreements (shrunk)`);
      r.minimal.forEach((f) => console.log(f));
      continue;
    }
    if (r.failures.length === 0 || opt.failures === 0) continue;
    console.log(`\n${r.run}: smallest of ${r.failures.length} disagreements`);
    r.failures.slice(0, opt.failures).forEach((f) => console.log(f));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
