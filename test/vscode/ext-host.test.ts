// Extension-host tests in a real VS Code (code-server + headless chromium, see code-server.ts):
// the extension is loaded from this repository as in "Run Extension", test/vscode/host/ runs inside
// its extension host, and every case there is reported here as a test of its own.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// @ts-expect-error: a plain .mjs build script, no types
import { buildChainExample } from '../../examples/chain/build.mjs';
// @ts-expect-error: a plain .mjs build script, no types
import { buildMixedExample } from '../../examples/mixed/build.mjs';
import { debuggeeNode } from '../debuggee-node';
import { missingVsCode, openWorkbench } from './code-server';
import type { CaseResult } from './host/runner';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUN_LIMIT_MS = 8 * 60_000;

async function bundleHostTests(out: string): Promise<string> {
  const outfile = join(out, 'index.js');
  await build({
    entryPoints: [join(root, 'test', 'vscode', 'host', 'index.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['vscode'], logLevel: 'warning',
  });
  return outfile;
}

/** A workspace of copies, so the quick fix may edit it: the ABI example and the mismatch fixture. */
function makeWorkspace(scratch: string): string {
  const folder = join(scratch, 'workspace');
  cpSync(join(root, 'examples', 'abi'), join(folder, 'abi'), { recursive: true });
  cpSync(join(root, 'test', 'language', 'fixtures', 'check'), join(folder, 'check'), { recursive: true });
  return folder;
}

test('in a real VS Code (code-server extension host)', { timeout: RUN_LIMIT_MS + 60_000 }, async (t) => {
  const missing = missingVsCode();
  assert.equal(missing, undefined, missing);
  assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run build` first');
  buildMixedExample();
  buildChainExample();
  const scratch = mkdtempSync(join(tmpdir(), 'polyglot-ext-tests-'));
  const resultsFile = join(scratch, 'results.json');
  let log: string[] = [];
  try {
    const workbench = await openWorkbench({
      folder: makeWorkspace(scratch),
      developmentPaths: [root],
      // Pictures of the workbench at the moments the cases name (kept for the README and CI).
      screenshotsDir: join(root, 'test-artifacts', 'vscode'),
      testsPath: await bundleHostTests(join(scratch, 'host')),
      env: {
        POLYGLOT_REPO: root,
        POLYGLOT_WORKSPACE: join(scratch, 'workspace'),
        POLYGLOT_EXT_RESULTS: resultsFile,
        POLYGLOT_DEBUGGEE_NODE: debuggeeNode,
      },
    });
    log = workbench.log;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      workbench.exited,
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_LIMIT_MS))),
    ]).finally(() => clearTimeout(timer));
    await workbench.close();
    assert.notEqual(code, 'timeout', `the extension tests did not finish in ${RUN_LIMIT_MS / 1000} s:\n${log.join('').slice(-4000)}`);
    assert.ok(existsSync(resultsFile), `the extension host wrote no results (exit code ${code}):\n${log.join('').slice(-4000)}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as CaseResult[];
    assert.ok(results.length > 0, 'no extension-host cases ran');
    for (const result of results) {
      await t.test(result.name, () => {
        if (!result.ok) assert.fail(result.error);
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
