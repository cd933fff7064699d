// Golden files that are cheap to update on purpose: POLYGLOT_UPDATE_GOLDEN=1 rewrites them;
// a mismatch leaves the actual text beside the golden one as `.actual` for a diff.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function assertGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`golden/${name}`, import.meta.url));
  if (process.env['POLYGLOT_UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    writeFileSync(path, actual);
    if (process.env['CI'] && process.env['POLYGLOT_UPDATE_GOLDEN'] !== '1') assert.fail(`golden file ${name} was missing; it has been written, commit it`);
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (actual === expected) {
    rmSync(`${path}.actual`, { force: true });
    return;
  }
  writeFileSync(`${path}.actual`, actual);
  assert.equal(actual, expected, `${name} differs from its golden file (see ${path}.actual; POLYGLOT_UPDATE_GOLDEN=1 rewrites it)`);
}

/** 1-based line and column of the first occurrence of `marker` in `text` (after `after`, if given). */
export function findMarker(text: string, marker: string, after = ''): { line: number; column: number } {
  const from = after ? text.indexOf(after) : 0;
  const index = text.indexOf(marker, from < 0 ? 0 : from);
  assert.ok(index >= 0, `marker ${JSON.stringify(marker)} not found`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
