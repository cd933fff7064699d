// A focused koffi read parses only the lines that can matter to it (`koffiLinesLeftOut`): the
// declarations and calls no kept line names are left out, and what it keeps is checked on the
// tree (`spansHeld`). That its answers are the whole file's is focus.test.ts's part.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { koffiLinesLeftOut } from '../../src/language/koffi/skim';
import { keptSpans, lineStartOffsets, parseText, spansHeld } from '../../src/language/syntax';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`fixtures/koffi-focus/${name}`, import.meta.url)), 'utf8');

/** The lines a read focused on `line` parses (null: the whole file), and the spans they make. */
function focused(text: string, line: number) {
  const starts = lineStartOffsets(text);
  const leftOut = koffiLinesLeftOut(text, starts, { first: line, last: line });
  if (!leftOut) return null;
  return { kept: starts.map((_, row) => row).filter((row) => leftOut[row] === 0), spans: keptSpans(text, starts, leftOut) };
}

test('a binding file hovered on one call: only the imports, that call and its declaration are parsed', async () => {
  const lines = ["import koffi = require('koffi');", "const lib = koffi.load('libx.so');", "koffi.struct('P', { x: 'double', y: 'double' });"];
  for (let i = 0; i < 50; i++) lines.push(`const f${i} = lib.func('double f${i}(P p, int n)');`, `f${i}({ x: 1, y: 2 }, ${i});`);
  const text = lines.join('\n');
  const call = lines.indexOf('f20({ x: 1, y: 2 }, 20);');
  const read = focused(text, call);
  assert.ok(read);
  assert.deepEqual(read.kept, [0, 1, 2, call - 1, call]);
  const { spans } = read;
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
  const read = focused(text, row('alias(3)'));
  assert.ok(read);
  const { kept } = read;
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
  const read = focused(text, at);
  assert.ok(read, 'the lexer believed it could leave lines out');
  const { spans } = read;
  const tree = await parseText('typescript', text, undefined, spans);
  try {
    assert.equal(spansHeld(tree.rootNode, spans), false);
  } finally {
    tree.delete();
  }
});
