// The long fuzz run of the FFI parsers (the test suite runs the same inputs, bounded to seconds):
// N generated inputs per language — token soups, mutated fixtures, deep nests — plus the known
// pathological ones, each through every parser entry point and the hover. Prints, per language,
// inputs, crashes (exceptions), inputs refused as too large/deep/long, and the slowest input.
//   node --import tsx bench/fuzz-parsers.mts [inputs per language, default 2000] [seed]
import fc from 'fast-check';
import { anyInput, parseEverywhere, pathologicalInputs, type Language } from '../test/language/fuzz/inputs';

const perLanguage = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const TOO_MUCH = /^too (large|deeply nested|long) to analyse/;

interface Tally {
  inputs: number;
  crashes: number;
  refused: number;
  maxMs: number;
  maxInput: string;
  totalMs: number;
  bytes: number;
}

async function run(language: Language, texts: string[], tally: Tally): Promise<void> {
  for (const text of texts) {
    const t0 = performance.now();
    try {
      const file = await parseEverywhere(language, text);
      if ((file.problems ?? []).some((p) => TOO_MUCH.test(p.message))) tally.refused++;
    } catch (err) {
      tally.crashes++;
      console.error(`CRASH (${language}): ${err instanceof Error ? err.message : String(err)}\n  input (${text.length} chars): ${JSON.stringify(text.slice(0, 200))}`);
    }
    const ms = performance.now() - t0;
    tally.inputs++;
    tally.totalMs += ms;
    tally.bytes += text.length;
    if (ms > tally.maxMs) {
      tally.maxMs = ms;
      tally.maxInput = `${text.length} chars: ${JSON.stringify(text.slice(0, 60))}`;
    }
  }
}

console.log(`fuzz-parsers: ${perLanguage} generated inputs per language, seed ${seed}, node ${process.version}`);
const totals: Tally = { inputs: 0, crashes: 0, refused: 0, maxMs: 0, maxInput: '', totalMs: 0, bytes: 0 };
for (const language of ['koffi', 'ctypes', 'c'] as Language[]) {
  const tally: Tally = { inputs: 0, crashes: 0, refused: 0, maxMs: 0, maxInput: '', totalMs: 0, bytes: 0 };
  const texts = fc.sample(anyInput(language), { numRuns: perLanguage, seed });
  texts.push(...pathologicalInputs().filter((p) => p.language === language).map((p) => p.text));
  await run(language, texts, tally);
  console.log(
    `${language.padEnd(6)} inputs ${String(tally.inputs).padStart(6)}  crashes ${tally.crashes}  refused ${String(tally.refused).padStart(4)}  ` +
      `mean ${(tally.totalMs / tally.inputs).toFixed(1)} ms  max ${tally.maxMs.toFixed(0)} ms (${tally.maxInput})  ${(tally.bytes / 1e6).toFixed(1)} MB read`,
  );
  for (const key of ['inputs', 'crashes', 'refused', 'totalMs', 'bytes'] as const) totals[key] += tally[key];
  if (tally.maxMs > totals.maxMs) totals.maxMs = tally.maxMs;
}
console.log(`total  inputs ${totals.inputs}  crashes ${totals.crashes}  refused ${totals.refused}  max ${totals.maxMs.toFixed(0)} ms per input`);
process.exitCode = totals.crashes > 0 ? 1 : 0;
