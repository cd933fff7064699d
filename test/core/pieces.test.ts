import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BreakpointBook } from '../../src/core/breakpoint-book';
import { parseHitCondition } from '../../src/core/hit-condition';
import { InspectorOutputFilter } from '../../src/core/inspector-output';
import { validateLaunchConfig } from '../../src/core/launch-config';
import { parseLogMessage, renderLogMessage } from '../../src/core/log-message';

test('hit conditions', () => {
  const hits = (text: string) => [1, 2, 3, 4, 5, 6].filter((n) => parseHitCondition(text)!(n));
  assert.deepEqual(hits('3'), [3, 4, 5, 6]);
  assert.deepEqual(hits('>= 5'), [5, 6]);
  assert.deepEqual(hits('<3'), [1, 2]);
  assert.deepEqual(hits('%2'), [2, 4, 6]);
  assert.deepEqual(hits('==4'), [4]);
  assert.equal(parseHitCondition('often'), null);
});

test('logpoint templates: expressions, literal braces, failures shown inline', async () => {
  assert.deepEqual(parseLogMessage('a={a} {{b}} {x + 1}'), [{ text: 'a=' }, { expression: 'a' }, { text: ' {b} ' }, { expression: 'x + 1' }]);
  const text = await renderLogMessage(parseLogMessage('{ok} and {bad}'), async (e) => {
    if (e === 'bad') throw new Error('no symbol "bad"');
    return '7';
  });
  assert.equal(text, '7 and <bad: no symbol "bad">');
});

test('the inspector filter finds the URL across chunks and hides only its own chatter', () => {
  const urls: string[] = [];
  let waiting = 0;
  const filter = new InspectorOutputFilter((u) => urls.push(u), () => waiting++);
  let shown = filter.push('Debugger listen');
  shown += filter.push('ing on ws://127.0.0.1:40123/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab\nFor help, see: https://nodejs.org/en/docs/inspector\n');
  shown += filter.push('Debugger attached.\nhello\nprompt> ');
  shown += filter.push('Waiting for the debugger to disconnect...\n');
  assert.deepEqual(urls, ['ws://127.0.0.1:40123/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab']);
  assert.equal(shown, 'hello\nprompt> ');
  assert.equal(waiting, 1);
});

test('launch configurations are checked attribute by attribute', () => {
  assert.throws(() => validateLaunchConfig({}), /"program"/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', args: 'x' }), /"args" must be an array of strings/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', env: { A: 1 } }), /"env"/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', console: 'externalTerminal' }), /"console"/);
  assert.equal(validateLaunchConfig({ program: 'a.js', env: { A: 'x', B: null } }).program, 'a.js');
});

test('the breakpoint book finds breakpoints by engine reference and counts hits', () => {
  const book = new BreakpointBook();
  const bp = book.create('/a.c', { line: 3, hitCondition: '>=2' }, { path: '/a.c' });
  bp.refs.push({ engine: 'native', number: 7 });
  const other = book.create('/b.ts', { line: 1 }, { path: '/b.ts' });
  other.refs.push({ engine: 'js', id: '7' });
  assert.equal(book.find({ engine: 'native', number: 7 }), bp);
  assert.equal(book.find({ engine: 'js', id: '7' }), other);
  assert.equal(book.countHit(bp), false);
  assert.equal(book.countHit(bp), true);
  assert.equal(book.create('/a.c', { line: 4, hitCondition: 'x' }, { path: '/a.c' }).message?.startsWith('Invalid hit condition'), true);
  assert.equal(book.take('/a.c').length, 2);
  assert.equal(book.find({ engine: 'native', number: 7 }), undefined);
});
