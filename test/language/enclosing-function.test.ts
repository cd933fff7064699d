// Names of the functions around positions, as the call stack shows JS frames read from V8's heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enclosingFunctionName } from '../../src/language/enclosing-function';

const source = [
  'function onStep(step: number) {', // 1
  '  return step + 1;', // 2
  '}', // 3
  'const measure = (x: number) => x * 2;', // 4
  'class Scene {', // 5
  '  draw() { return 1; }', // 6
  '}', // 7
  'main();', // 8
].join('\n');

test('declarations, arrow functions bound to names, methods with their class, module code', async () => {
  assert.equal(await enclosingFunctionName('app.ts', source, 2, 10), 'onStep');
  assert.equal(await enclosingFunctionName('app.ts', source, 4, 33), 'measure');
  assert.equal(await enclosingFunctionName('app.ts', source, 6, 12), 'Scene.draw');
  assert.equal(await enclosingFunctionName('app.ts', source, 8, 1), '<module>');
  assert.equal(await enclosingFunctionName('app.py', 'x = 1', 1, 1), null);
});
