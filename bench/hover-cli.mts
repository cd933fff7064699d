// `polyglot-abi hover` on a 2,000-line file against starting node itself (`node -e 0`), whole
// process, wall time: each run of the hover is paired with a run of node, one after the other, so
// the ratio holds while a shared machine's speed drifts. Cases: a koffi file and a ctypes file
// never seen (--no-cache: parsed on every run), and the koffi file read back from the cache
// (kept by content, as a second hover on an unchanged file finds it). Hovers line 1001, a call.
// Usage: npm run build && node --import tsx bench/hover-cli.mts [--runs 9] [--warmup 2]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedCtypesFile, generatedKoffiFile } from './ffi-files';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = option('--runs', 9);
const warmup = option('--warmup', 2);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Wall milliseconds of one process, which must exit 0. */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString()}`);
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'polyglot-hover-bench-'));
try {
  writeFileSync(join(dir, 'big2000.ts'), generatedKoffiFile(2000));
  writeFileSync(join(dir, 'big2000.py'), generatedCtypesFile(2000));
  const env = { ...process.env, POLYGLOT_ABI_CACHE: join(dir, 'cache') };
  const cases = [
    { name: 'koffi (.ts), not cached', args: [cli, 'hover', join(dir, 'big2000.ts'), '1001', '1', '--no-cache'] },
    { name: 'ctypes (.py), not cached', args: [cli, 'hover', join(dir, 'big2000.py'), '1001', '1', '--no-cache'] },
    { name: 'koffi (.ts), cached', args: [cli, 'hover', join(dir, 'big2000.ts'), '1001', '1'] },
  ];
  console.log(`polyglot-abi hover on a 2,000-line file vs node -e 0 (${process.version}); ${runs} pairs after ${warmup} warm-ups; wall ms, medians`);
  console.log(`load average at start ${loadavg()}`);
  for (const c of cases) {
    for (let i = 0; i < warmup; i++) {
      timed(c.args, env);
      timed(['-e', '0'], env);
    }
    const hover: number[] = [];
    const node: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      hover.push(timed(c.args, env));
      node.push(timed(['-e', '0'], env));
      ratios.push(hover.at(-1)! / node.at(-1)!);
    }
    console.log(
      `${c.name.padEnd(26)} hover ${median(hover).toFixed(0).padStart(4)}  node -e 0 ${median(node).toFixed(0).padStart(4)}  ` +
        `ratio ${median(ratios).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]   (aim ≤ 3×)`,
    );
  }
  console.log(`load average at end ${loadavg()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
