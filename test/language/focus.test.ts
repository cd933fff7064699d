// A read focused on some lines (what the editor's first hover and hints do on a new document)
// answers on those lines exactly as a read of the whole file: the same hover at every position,
// the same hints. Over every koffi and ctypes file of the fixtures and examples, line by line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DocumentFacts } from '../../src/language/ffi/document-facts';
import { parseFfiFile } from '../../src/language/ffi/file';
import { ffiHints } from '../../src/language/ffi/hints';
import { hoverMarkdown, subjectAt } from '../../src/language/ffi/hover';
import type { FfiFile, Position } from '../../src/language/ffi/model';

const root = fileURLToPath(new URL('../..', import.meta.url));
const target = 'x86_64-sysv' as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'build' || name === 'dist') return [];
    // The koffi fixtures are kept as `name.ts.txt`: read as the file they stand for.
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(?:[cm]?[jt]s|py)(?:\.txt)?$/.test(name) ? [path] : [];
  });
}

const sources = [...filesUnder(join(root, 'test/language/fixtures')), ...filesUnder(join(root, 'examples'))]
  .map((path) => ({ path: path.replace(/\.txt$/, ''), text: readFileSync(path, 'utf8') }))
  .filter(({ text }) => /koffi|ctypes/.test(text));

function hoverAt(file: FfiFile, at: Position): string {
  const subject = subjectAt(file, at);
  if (!subject) return '(none)';
  try {
    return hoverMarkdown(subject, { target });
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const hintText = (file: FfiFile, line: number) => JSON.stringify(ffiHints(file, { target }, { first: line, last: line }));

test('the fixtures and examples hold koffi and ctypes files to compare on', () => {
  assert.ok(sources.filter((s) => /\.py$/.test(s.path)).length >= 5);
  assert.ok(sources.filter((s) => !/\.py$/.test(s.path)).length >= 10);
});

for (const { path, text } of sources) {
  test(`focused reads of ${path.slice(root.length)} answer as the whole file's, line by line`, async () => {
    const whole = await parseFfiFile(path, text);
    const lines = text.split('\n');
    let answered = 0;
    for (let line = 0; line < lines.length; line++) {
      const focused = await parseFfiFile(path, text, { focus: { first: line, last: line } });
      assert.ok(focused.functions.length <= whole.functions.length && focused.calls.length <= whole.calls.length);
      for (let character = 0; character <= (lines[line]?.length ?? 0); character++) {
        const at = { line, character };
        const expected = hoverAt(whole, at);
        assert.equal(hoverAt(focused, at), expected, `hover at ${line + 1}:${character + 1}`);
        if (expected !== '(none)') answered++;
      }
      assert.equal(hintText(focused, line), hintText(whole, line), `hints on line ${line + 1}`);
    }
    if (whole.functions.length > 0 || whole.calls.length > 0) assert.ok(answered > 0, 'some hover compared');
  });
}

test('a new document: the first request reads its lines only; a request without lines reads the whole file', async () => {
  const lines = ["const koffi = require('koffi');", "const lib = koffi.load('libx.so');"];
  for (let i = 0; i < 40; i++) lines.push(`const f${i} = lib.func('int f${i}(int a, double b)');`, `f${i}(1, 2.5);`);
  const text = lines.join('\n');
  const facts = new DocumentFacts('big.js', text, {}, 60_000);
  const at = { line: 41, character: 1 };
  const first = await facts.get({ first: at.line, last: at.line });
  const whole = await facts.get();
  assert.equal(whole.functions.length, 40);
  assert.ok(first.functions.length < 3, `a focused read declares ${first.functions.length} functions`);
  assert.equal(hoverAt(first, at), hoverAt(whole, at));
  assert.match(hoverAt(first, at), /f19\(int32_t a, double b\)|f19/);
  // Once read whole, every request is answered from it.
  assert.equal(await facts.get({ first: 0, last: 0 }), whole);
  facts.dispose();
});
