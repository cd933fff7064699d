// The extension host side of the VS Code tests: cases register with `test`, the host awaits `run`
// (the @vscode/test-electron contract), and each outcome is written as JSON for the node:test file
// outside, which reports every case as a test of its own.

import { writeFileSync } from 'node:fs';

export interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

const cases: { name: string; body: () => Promise<void>; timeoutMs: number }[] = [];

export function test(name: string, body: () => Promise<void>, timeoutMs = 60_000): void {
  cases.push({ name, body, timeoutMs });
}

function withinTime(name: string, body: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([body(), late]).finally(() => clearTimeout(timer));
}

export async function runCases(resultsFile: string | undefined): Promise<void> {
  const results: CaseResult[] = [];
  for (const { name, body, timeoutMs } of cases) {
    const start = Date.now();
    try {
      await withinTime(name, body, timeoutMs);
      results.push({ name, ok: true, ms: Date.now() - start });
      console.log(`ok   ${name}`);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name, ok: false, ms: Date.now() - start, error: text });
      console.error(`FAIL ${name}\n${text}`);
    }
  }
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} extension-host tests failed`);
}
