// Shared body of the per-target probe tests: for each run (target × compiler) the classics and
// ABI_PROBE_CASES random cases (seed ABI_SEED) must agree with what the compiler does.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { classicCases } from './classics';
import { generateCases } from './generate';
import { envInt, probeRun, summaryText } from './probe';
import { cleanup, unavailable } from './runner';
import { type RunConfig, runConfig } from './toolchain';

export const PROBE_CASES = envInt('ABI_PROBE_CASES', 250);
export const PROBE_SEED = envInt('ABI_SEED', 1);

/** A missing compiler or emulator is a broken machine: the test fails and names the package. */
async function requireTools(config: RunConfig): Promise<void> {
  const why = await unavailable(config);
  if (why) assert.fail(why);
}

export function probeTests(runNames: string[]): void {
  after(cleanup);
  for (const name of runNames) {
    const config = runConfig(name);
    test(`${name}: classic signatures agree with the compiler`, async () => {
      await requireTools(config);
      const s = await probeRun(config, classicCases(config.profile));
      assert.ok(s.agree === s.total, `\n${summaryText(s, 30)}`);
    });
    test(`${name}: ${PROBE_CASES} random signatures (seed ${PROBE_SEED}) agree with the compiler`, async (t) => {
      await requireTools(config);
      const s = await probeRun(config, generateCases(config.profile, { seed: PROBE_SEED, count: PROBE_CASES }));
      t.diagnostic(`${s.agree}/${s.total} agree`);
      assert.ok(s.agree === s.total, `\n${summaryText(s, 8)}`);
    });
  }
}
