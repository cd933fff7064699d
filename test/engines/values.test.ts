// How JavaScript values read in VARIABLES and hovers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue } from '../../src/engines/cdp/values';

test('primitives, null and strings', () => {
  assert.deepEqual(describeValue({ type: 'number', value: 3, description: '3' }), { value: '3', type: 'number' });
  assert.deepEqual(describeValue({ type: 'number', unserializableValue: 'NaN', description: 'NaN' }), { value: 'NaN', type: 'number' });
  assert.deepEqual(describeValue({ type: 'string', value: 'hi' }), { value: "'hi'", type: 'string' });
  assert.deepEqual(describeValue({ type: 'object', subtype: 'null', value: null }), { value: 'null', type: 'null' });
  assert.deepEqual(describeValue({ type: 'undefined' }), { value: 'undefined', type: 'undefined' });
});

test('objects and arrays show a preview and keep their id', () => {
  const point = describeValue({
    type: 'object',
    className: 'Object',
    description: 'Object',
    objectId: 'o1',
    preview: { type: 'object', overflow: false, properties: [{ name: 'x', type: 'number', value: '3' }, { name: 'label', type: 'string', value: 'p' }] },
  });
  assert.deepEqual(point, { value: "{x: 3, label: 'p'}", type: 'Object', objectId: 'o1' });
  const list = describeValue({
    type: 'object',
    subtype: 'array',
    className: 'Array',
    description: 'Array(3)',
    objectId: 'a1',
    preview: { type: 'object', subtype: 'array', overflow: true, properties: [{ name: '0', type: 'number', value: '1' }] },
  });
  assert.deepEqual(list, { value: 'Array(3) [1, …]', type: 'Array', objectId: 'a1' });
});

test('functions read as their signature', () => {
  assert.equal(describeValue({ type: 'function', className: 'Function', description: 'function onStep(step, value) {\n  return 1;\n}', objectId: 'f' }).value, 'ƒ onStep(step, value)');
});
