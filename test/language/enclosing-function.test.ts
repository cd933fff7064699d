// Names of the functions around positions, as the call stack shows JS frames read from V8's heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catchesAt, enclosingFunctionName } from '../../src/language/enclosing-function';

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

test('positions inside a try block with a catch of their own function', async () => {
  const code = [
    'function guarded() {', // 1
    '  try {', // 2
    '    risky();', // 3
    '  } catch {', // 4
    '    recover();', // 5
    '  }', // 6
    '  try { a(); } finally { b(); }', // 7
    '}', // 8
    'try {', // 9
    '  const cb = () => risky();', // 10
    '  cb();', // 11
    '} catch (e) {}', // 12
  ].join('\n');
  assert.equal(await catchesAt('a.ts', code, 3, 5), true);
  assert.equal(await catchesAt('a.ts', code, 5, 5), false, 'in the catch clause itself');
  assert.equal(await catchesAt('a.ts', code, 7, 9), false, 'try/finally catches nothing');
  assert.equal(await catchesAt('a.ts', code, 10, 20), false, 'the arrow function runs later, outside the try');
  assert.equal(await catchesAt('a.ts', code, 11, 3), true, 'top-level code in a try');
  assert.equal(await catchesAt('a.py', 'x', 1, 1), null);
});
