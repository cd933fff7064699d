// A focused ctypes read parses only the lines that can matter to it (`ctypesLinesLeftOut`): the
// argtypes/restype lines and calls of functions no kept line names are left out. That its answers
// are the whole module's is focus.test.ts's part.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ctypesLinesLeftOut } from '../../src/language/ctypes/skim';
import { keptSpans, lineStartOffsets, parseText, spansHeld } from '../../src/language/syntax';

/** The lines a read focused on `line` parses (null: the whole module). */
function keptLines(text: string, line: number): number[] | null {
  const starts = lineStartOffsets(text);
  const leftOut = ctypesLinesLeftOut(text, starts, { first: line, last: line });
  return leftOut ? starts.map((_, row) => row).filter((row) => leftOut[row] === 0) : null;
}

test('a binding module hovered on one call: only the header, that function and its call are parsed', async () => {
  const lines = ['from ctypes import *', 'lib = CDLL("libx.so")', 'class P(Structure):', '    _fields_ = [("x", c_double), ("y", c_double)]'];
  for (let i = 0; i < 40; i++) lines.push(`lib.f${i}.argtypes = [P, c_int]`, `lib.f${i}.restype = c_double`, `lib.f${i}(P(1, 2), ${i})`);
  const text = lines.join('\n');
  const call = lines.indexOf('lib.f20(P(1, 2), 20)');
  assert.deepEqual(keptLines(text, call), [0, 1, 2, 3, call - 2, call - 1, call]);
  const starts = lineStartOffsets(text);
  const spans = keptSpans(text, starts, ctypesLinesLeftOut(text, starts, { first: call, last: call })!);
  const tree = await parseText('python', text, undefined, spans);
  try {
    assert.ok(spansHeld(tree.rootNode, spans));
    assert.equal(tree.rootNode.namedChildCount, 6);
  } finally {
    tree.delete();
  }
});

test('lines that name a kept function, and lines that only look like declarations or calls, are parsed', () => {
  const text = readFileSync(fileURLToPath(new URL('fixtures/ctypes-focus/leaving-out.py', import.meta.url)), 'utf8');
  const lines = text.split('\n');
  const row = (start: string) => lines.findIndex((l) => l.startsWith(start));
  const kept = keptLines(text, row('lib.add(1, 2)'));
  assert.ok(kept);
  // The function itself; a call naming two functions (kept for either); the same name through
  // another path; inside a string, a bracket, after a backslash, in a block; a method call that
  // changes a record; a number and an escape the line grammar does not read.
  for (const start of ['lib.add.argtypes', 'lib.add.restype', 'lib.moved = other.target', 'lib.hidden.argtypes', 'lib.joined.argtypes', 'lib.cont.restype', '    lib.indented', 'Pair._fields_.append', 'lib.hexed(0x10)', 'lib.raw(rb']) {
    assert.ok(kept.includes(row(start)), `${start} kept`);
  }
  for (const start of ['lib.scale.argtypes', 'lib.scale(Pair', 'lib.name.restype = None', 'lib.outer(lib.inner())', 'lib.ptr.argtypes', 'lib.neg(-1)', 'lib.twice(1)', 'lib.last()']) {
    assert.ok(!kept.includes(row(start)), `${start} left out`);
  }
  const nested = keptLines(text, row('lib.inner.restype'));
  assert.ok(nested?.includes(row('lib.outer(lib.inner())')), 'a call naming the focused function in its arguments is parsed');
});
