// The wasm grammars load and parse in every language we read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grammarForFile, parseText } from '../../src/language/syntax';

test('each grammar parses a line of its language without errors', async () => {
  const samples = [
    ['typescript', "const add = lib.func('int add(int a, int b)');"],
    ['tsx', 'const x = <div>{add(1, 2)}</div>;'],
    ['javascript', "const koffi = require('koffi');"],
    ['python', 'lib.add.argtypes = [c_int, c_int]'],
    ['c', 'int add(int a, int b) { return a + b; }'],
  ] as const;
  for (const [grammar, text] of samples) {
    const tree = await parseText(grammar, text);
    try {
      assert.equal(tree.rootNode.hasError, false, `${grammar}: ${tree.rootNode.toString()}`);
    } finally {
      tree.delete();
    }
  }
});

test('file extensions map to grammars', () => {
  assert.equal(grammarForFile('app.ts'), 'typescript');
  assert.equal(grammarForFile('ui.TSX'), 'tsx');
  assert.equal(grammarForFile('main.mjs'), 'javascript');
  assert.equal(grammarForFile('bridge.py'), 'python');
  assert.equal(grammarForFile('bridge.h'), 'c');
  assert.equal(grammarForFile('notes.md'), null);
});
