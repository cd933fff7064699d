// Source maps of the compiled example: TS → JS for breakpoints before load, JS → TS for frames.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { SourceMaps } from '../../src/engines/cdp/source-maps';
import { example, lineOf } from '../dap/harness';

test('outFiles are indexed; TS lines map to the compiled lines with the same marker and back', () => {
  const ex = example();
  const maps = new SourceMaps();
  maps.indexOutFiles([join(ex.root, 'build', '**', '*.js'), '!**/node_modules/**']);
  for (const marker of ['@call-scale', '@callback-add', '@tally-loop']) {
    const [generated] = maps.toGenerated(ex.appSource, lineOf(ex.appSource, marker));
    assert.ok(generated, `${marker} maps to compiled code`);
    assert.equal(generated.path, ex.app);
    assert.ok(readFileSync(ex.app, 'utf8').split('\n')[generated.line - 1]?.includes(marker), `compiled line of ${marker}`);
    const back = maps.toOriginal(pathToFileURL(ex.app).href, generated.line, generated.column);
    assert.deepEqual([back?.path, back?.line], [ex.appSource, lineOf(ex.appSource, marker)]);
  }
  assert.deepEqual(maps.toGenerated('/nowhere/x.ts', 1), []);
});
