// Throughput of `polyglot-abi place` as scripts use it: N random requests (a quarter per
// target) piped through the shipped bundle, wall time from spawn to the last answer line.
// The aim is 10,000 cases in under 5 s.
//   npm run build && node --import tsx bench/abi-throughput.ts [--cases N] [--seed S]

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TARGET_IDS } from '../src/abi/model';
import { generateCases, profileFor } from '../test/abi/probe/generate';

function option(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const total = option('--cases', 10_000);
  const seed = option('--seed', 1);
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const perTarget = Math.ceil(total / TARGET_IDS.length);
  const lines = TARGET_IDS.flatMap((target) => {
    const compiler = target === 'arm64-apple' || target === 'x86_64-win64' ? 'clang' : 'gcc';
    return generateCases(profileFor(target, compiler), { seed, count: perTarget }).map((c) => JSON.stringify(c.request));
  }).slice(0, total);

  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'place'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let answers = 0;
  let errors = 0;
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      answers++;
      if ('error' in JSON.parse(line)) errors++;
    }
  });
  child.stdin.end(lines.join('\n') + '\n');
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0 || answers !== lines.length) throw new Error(`polyglot-abi place exited ${code} after ${answers}/${lines.length} answers`);
  console.log(`polyglot-abi place: ${answers} cases in ${seconds.toFixed(2)} s (${Math.round(answers / seconds)} cases/s), ${errors} error answers; aim: 10,000 in < 5 s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
