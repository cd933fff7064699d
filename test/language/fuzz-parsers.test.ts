// Property-based fuzzing of every FFI parser entry point (koffi, ctypes, C, koffi prototype and
// type strings, and the hover that places what they found): no input makes one throw, and the
// shapes that once overflowed the stack or ran for seconds get a "too … to analyse" answer.
// Bounded in time here; bench/fuzz-parsers.mts runs the same properties for longer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { anyInput, parseEverywhere, pathologicalInputs, type Language } from './fuzz/inputs';

const TOO_MUCH = /^too (large|deeply nested|long) to analyse/;

test('the pathological inputs are refused with a reason, never a crash', async () => {
  for (const { name, language, text } of pathologicalInputs()) {
    const file = await parseEverywhere(language, text);
    const problems = (file.problems ?? []).map((p) => p.message);
    const refused = problems.some((m) => TOO_MUCH.test(m));
    // Some are harmless once bounded (nothing recursive reads them: the ctypes walk does not enter
    // `(` × 1000, which holds nothing it acts on); the rest must say why they were not read.
    if (!refused) assert.ok(!problems.some((m) => /internal error/.test(m)), `${name}: ${problems.join('; ')}`);
    if (/POINTER|1 MB|3 MB|f\( × 1000 in Python/.test(name)) assert.ok(refused, `${name}: refused with a reason, got ${problems.join('; ') || 'nothing'}`);
  }
});

for (const language of ['koffi', 'ctypes', 'c'] as Language[]) {
  test(`fuzz: ${language} parsers never throw`, async () => {
    await fc.assert(
      fc.asyncProperty(anyInput(language), async (text) => {
        await parseEverywhere(language, text);
      }),
      // Bounded by time, not only runs: the suite shares 2 cores in CI. The seed varies per run;
      // a failure prints it (and the shrunk input) for `fc.assert(…, { seed, path })`.
      { numRuns: 150, interruptAfterTimeLimit: 6_000 },
    );
  });
}
