// skipFiles: which frames are folded and which scripts V8 steps through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SKIP_FILES, globToRegExpSource, markSkipped, nodeInternalsPath, SkipFiles } from '../../src/core/skip-files';
import type { StackItem } from '../../src/core/stitch';

test('the default skips node internals only', () => {
  const skip = new SkipFiles(DEFAULT_SKIP_FILES);
  assert.equal(skip.skips('node:internal/modules/cjs/loader'), true);
  assert.equal(skip.skips('node:fs'), true);
  assert.equal(skip.skips('/home/u/app/src/app.ts'), false);
  assert.equal(skip.skips('file:///home/u/app/build/js/app.js'), false);
  assert.equal(skip.skips(undefined), false);
  assert.deepEqual(skip.v8BlackboxPatterns(), ['^node:.*$']);
  assert.equal(nodeInternalsPath('node:internal/main/run_main_module'), '<node_internals>/internal/main/run_main_module');
  assert.equal(nodeInternalsPath('/a.js'), undefined);
});

test('globs: ** at any depth, * within a name, ! takes files back, the last match decides', () => {
  const skip = new SkipFiles(['**/node_modules/**', '!**/node_modules/mine/**', '/usr/src/*.c']);
  assert.equal(skip.skips('/w/node_modules/koffi/index.js'), true);
  assert.equal(skip.skips('file:///w/node_modules/koffi/index.js'), true);
  assert.equal(skip.skips('/w/node_modules/mine/x.js'), false);
  assert.equal(skip.skips('/usr/src/a.c'), true);
  assert.equal(skip.skips('/usr/src/deeper/a.c'), false);
  assert.equal(skip.skips('node:fs'), false, 'node internals are skipped only when listed');
  // With a negation V8 cannot be told the file globs: the stop-time check does it.
  assert.deepEqual(skip.v8BlackboxPatterns(), []);
  assert.match('file:///w/node_modules/a.js', new RegExp(new SkipFiles(['**/node_modules/**']).v8BlackboxPatterns()[0]!));
  assert.equal(globToRegExpSource('a.b?/**'), '^a\\.b[^/]/.*$');
});

test('frames of skipped files are marked; labels and other frames are not', () => {
  const items: StackItem[] = [
    { kind: 'js', name: 'main', path: '/w/src/app.ts', line: 3 },
    { kind: 'label', name: 'JS → C (koffi)', boundary: 'js-to-c' },
    { kind: 'js', name: 'Module._compile', url: 'node:internal/modules/cjs/loader', line: 1 },
  ];
  const marked = markSkipped(items, new SkipFiles());
  assert.deepEqual(marked.map((i) => (i.kind === 'label' || i.kind === 'note' ? 'label' : !!i.skipped)), [false, 'label', true]);
});
