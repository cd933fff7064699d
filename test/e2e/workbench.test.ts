// The user's path in a real workbench (code-server + headless chromium, driven by Playwright): the
// .vsix installed as a user installs it, the three-language example opened, breakpoints set with F9
// in a .py, a .c and a .ts file, F5, the CALL STACK view read back from the page, a step across a
// boundary with F11, and the ABI hover on a koffi call. A screenshot of each step lands in
// test-artifacts/e2e/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs build script, no types
import { buildChainExample } from '../../examples/chain/build.mjs';
import { debuggeeNode } from '../debuggee-node';
import { missingVsCode, openWorkbench, type Workbench } from '../vscode/code-server';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(root, 'test-artifacts', 'e2e');
const STEP_MS = 60_000;

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: STEP_MS });
}

/** Puts the cursor on the line holding `marker` in the active editor and toggles a breakpoint. */
async function breakpointAt(page: Page, marker: string): Promise<void> {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: marker }).first().click();
  await page.keyboard.press('F9');
  await editor.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: STEP_MS });
}

async function callStack(page: Page, mustContain: string): Promise<string[]> {
  const view = page.locator('.debug-call-stack');
  await view.locator('.monaco-list-row', { hasText: mustContain }).first().waitFor({ timeout: STEP_MS });
  await page.waitForTimeout(500); // the list renders the rest of the stitched stack
  return (await view.locator('.monaco-list-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
}

test('in a real workbench: F9 in .py, .c and .ts, F5, one CALL STACK over three languages, F11 across a boundary, the ABI hover', { timeout: 10 * 60_000 }, async (t) => {
  const missing = missingVsCode();
  assert.equal(missing, undefined, missing);
  const ex = buildChainExample() as { root: string };
  const scratch = mkdtempSync(join(tmpdir(), 'polyglot-e2e-'));
  const vsix = join(scratch, 'polyglot-debug.vsix');
  execFileSync(process.execPath, [join(root, '.ci', 'package-vsix.mjs'), '--out', vsix], { stdio: 'pipe' });
  assert.ok(existsSync(vsix));
  let workbench: (Workbench & { exited: Promise<number> }) | undefined;
  try {
    workbench = await openWorkbench({
      folder: ex.root,
      vsixFiles: [vsix],
      screenshotsDir: shots,
      settings: {
        // A user-level launch configuration, so the example's folder stays as it is in git.
        launch: {
          configurations: [{
            type: 'polyglot', request: 'launch', name: 'Polyglot: chain', program: '${workspaceFolder}/src/app.ts',
            outFiles: ['${workspaceFolder}/build/js/**/*.js'], runtimeExecutable: debuggeeNode,
          }],
        },
      },
    });
    const page = workbench.page;
    const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
    await page.locator('.monaco-workbench').waitFor({ timeout: STEP_MS });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: STEP_MS });

    await t.test('F9 in a .py, a .c and a .ts file', async () => {
      await openFile(page, 'compute.py');
      await breakpointAt(page, '@py-notify');
      await openFile(page, 'chain.c');
      await breakpointAt(page, '@chain-notify');
      await openFile(page, 'app.ts');
      await breakpointAt(page, '@ts-report'); // after the chain: the callback is reached by F11 alone
      await shot('1-breakpoints');
    });

    await t.test('F5 stops in Python with TS, C and Python on one CALL STACK', async () => {
      await page.keyboard.press('F5');
      const rows = await callStack(page, 'C → Python');
      await shot('2-stopped-in-python');
      const text = rows.join('\n');
      assert.match(text, /compute\s*compute\.py/);
      assert.ok(rows.findIndex((r) => r.includes('compute')) < rows.findIndex((r) => r.includes('C → Python')), text);
      assert.ok(rows.findIndex((r) => r.includes('C → Python')) < rows.findIndex((r) => r.includes('chain_run')), text);
      assert.ok(rows.findIndex((r) => r.includes('chain_run')) < rows.findIndex((r) => r.includes('JS → C (koffi)')), text);
      assert.ok(rows.findIndex((r) => r.includes('JS → C (koffi)')) < rows.findIndex((r) => /^main/.test(r)), text);
    });

    await t.test('F5 on to C, F11 across the koffi boundary into the TypeScript callback', async () => {
      await page.keyboard.press('F5');
      await callStack(page, 'Python → C (ctypes)');
      await shot('3-stopped-in-c');
      await page.keyboard.press('F11');
      const rows = await callStack(page, 'C → JS (koffi callback)');
      await shot('4-stepped-into-ts');
      assert.match(rows[0] ?? '', /^onNotify/);
      assert.match(await page.locator('.pane-header', { hasText: /call stack/i }).innerText(), /Paused on step/i);
      const text = rows.join('\n');
      for (const expected of ['C → JS (koffi callback)', 'chain_notify', 'Python → C (ctypes)', 'compute', 'C → Python', 'chain_run', 'JS → C (koffi)', 'main']) {
        assert.ok(text.includes(expected), `${expected} in\n${text}`);
      }
    });

    await t.test('the ABI hover on the koffi call', async () => {
      const editor = page.locator('.editor-instance .monaco-editor').first();
      const word = editor.locator('.view-line span', { hasText: /^chain_run$/ }).last();
      let hover = '';
      for (let attempt = 0; attempt < 10 && !hover; attempt++) {
        await word.hover();
        hover = await page.locator('.monaco-hover:visible', { hasText: 'x86-64 System V' }).first().innerText({ timeout: 3000 }).catch(() => '');
        if (!hover) await page.mouse.move(0, 0);
      }
      await shot('5-abi-hover');
      assert.match(hover, /double chain_run\(const char \*dir, int n, Notify \*notify\)/);
      assert.match(hover, /rdi/);
    });

    await page.keyboard.press('Shift+F5');
  } finally {
    await workbench?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
});
