// A focused koffi read parses only the lines that can matter to it (`focusSpans`): the
// declarations and calls no kept line names are left out, and what it keeps is checked on the
// tree (`spansHeld`). That its answers are the whole file's is focus.test.ts's part.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { focusSpans, spansHeld, type LineSpan } from '../../src/language/koffi/skim';
import { parseText } from '../../src/language/syntax';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`fixtures/koffi-focus/${name}`, import.meta.url)), 'utf8');

/** The rows the spans cover. */
function keptRows(spans: readonly LineSpan[]): number[] {
  return spans.flatMap((s) => {
    const rows: number[] = [];
    const last = s.endPosition.column === 0 ? s.endPosition.row - 1 : s.endPosition.row;
    for (let row = s.startPosition.row; row <= last; row++) rows.push(row);
    return rows;
  });
}

test('a binding file hovered on one call: only the imports, that call and its declaration are parsed', async () => {
  const lines = ["import koffi = require('koffi');", "const lib = koffi.load('libx.so');", "koffi.struct('P', { x: 'double', y: 'double' });"];
  for (let i = 0; i < 50; i++) lines.push(`const f${i} = lib.func('double f${i}(P p, int n)');`, `f${i}({ x: 1, y: 2 }, ${i});`);
  const text = lines.join('\n');
  const call = lines.indexOf('f20({ x: 1, y: 2 }, 20);');
  const spans = focusSpans(text, { first: call, last: call });
  assert.ok(spans);
  assert.deepEqual(keptRows(spans), [0, 1, 2, call - 1, call]);
  const tree = await parseText('typescript', text, undefined, spans);
  try {
    assert.ok(spansHeld(tree.rootNode, spans));
    assert.equal(tree.rootNode.namedChildCount, 5);
  } finally {
    tree.delete();
  }
});

test('a declaration another kept line names is parsed, and so is what that line names', () => {
  const text = fixture('skipping.ts.txt');
  const lines = text.split('\n');
  const row = (start: string) => lines.findIndex((l) => l.startsWith(start));
  const spans = focusSpans(text, { first: row('alias(3)'), last: row('alias(3)') });
  assert.ok(spans);
  const kept = keptRows(spans);
  // Kept: named elsewhere, declares a type, spread over lines, inside a function, no semicolon,
  // inside a template, an escape in a string, a hex number (the line grammar reads neither).
  for (const start of ['const twice =', 'const alias =', 'defineStruct(', "koffi.struct('Pair'", 'const wide =', '  const inner', 'const bare =', 'bare(7)', 'const doc =', "quoted('it", 'flags(0x10)']) {
    assert.ok(kept.includes(row(start)), `${start} kept`);
  }
  for (const start of ['const add =', 'add(1, 2)', 'scale({', 'export const shown', 'const move =', 'move({', 'vec([1', 'const named', 'named(1']) {
    assert.ok(!kept.includes(row(start)), `${start} left out`);
  }
});

test('a regular expression the lexer takes for a division: the kept lines do not hold, and the whole file is read', async () => {
  const text = fixture('fooled.ts.txt');
  const lines = text.split('\n');
  const at = lines.indexOf('add(1, 2);');
  const spans = focusSpans(text, { first: at, last: at });
  assert.ok(spans, 'the lexer believed it could leave lines out');
  const tree = await parseText('typescript', text, undefined, spans);
  try {
    assert.equal(spansHeld(tree.rootNode, spans), false);
  } finally {
    tree.delete();
  }
});
