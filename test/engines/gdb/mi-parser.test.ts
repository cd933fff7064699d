// The MI parser on lines gdb 13.1 printed (MI3, non-stop) while debugging the fixtures here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { list, parseMiLine, quoteMiArg, tuple } from '../../../src/engines/gdb/mi-parser';

test('exec stop: nested tuples, a list of tuples, a list of values', () => {
  const record = parseMiLine(
    '*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",frame={addr="0x00007ffff7fbc100",func="plugin_work",args=[{name="n",value="5"}],file="/work/main/test/engines/gdb/fixtures/plugin.c",fullname="/work/main/test/engines/gdb/fixtures/plugin.c",line="3",arch="i386:x86-64"},thread-id="1",stopped-threads=["1"],core="0"',
  );
  assert.ok(record?.kind === 'exec');
  assert.equal(record.cls, 'stopped');
  assert.equal(record.token, undefined);
  const frame = tuple(record.results.frame)!;
  assert.equal(frame.func, 'plugin_work');
  assert.equal(frame.line, '3');
  assert.deepEqual(list(frame.args), [{ name: 'n', value: '5' }]);
  assert.deepEqual(record.results['stopped-threads'], ['1']);
});

test('result records: token, class, escaped quotes in an error message', () => {
  const done = parseMiLine(
    '5^done,bkpt={number="1",type="breakpoint",disp="keep",enabled="y",addr="<PENDING>",pending="-source plugin.c -line 3",times="0",original-location="-source plugin.c -line 3"}',
  );
  assert.ok(done?.kind === 'result');
  assert.equal(done.token, 5);
  assert.equal(done.cls, 'done');
  assert.equal(tuple(done.results.bkpt)?.addr, '<PENDING>');
  const error = parseMiLine('12^error,msg="No symbol \\"nosuch\\" in current context."');
  assert.ok(error?.kind === 'result');
  assert.equal(error.token, 12);
  assert.equal(error.cls, 'error');
  assert.equal(error.results.msg, 'No symbol "nosuch" in current context.');
  assert.deepEqual(parseMiLine('^running'), { kind: 'result', token: undefined, cls: 'running', results: {} });
});

test('a list of results (name=value items) keeps each item', () => {
  const record = parseMiLine('^done,stack=[frame={level="0",addr="0x0000555555555180",func="add",file="native.c",line="15"},frame={level="1",addr="0x00005555555552a0",func="run_basic",file="native.c",line="34"}]');
  assert.ok(record?.kind === 'result');
  const frames = list(record.results.stack).map((item) => tuple(tuple(item)?.frame)?.func);
  assert.deepEqual(frames, ['add', 'run_basic']);
});

test('notify and status records', () => {
  const lib = parseMiLine(
    '=library-loaded,id="/tmp/amxt/plugin.so",target-name="/tmp/amxt/plugin.so",host-name="/tmp/amxt/plugin.so",symbols-loaded="0",thread-group="i1",ranges=[{from="0x00007ffff7fbc040",to="0x00007ffff7fbc110"}]',
  );
  assert.ok(lib?.kind === 'notify');
  assert.equal(lib.cls, 'library-loaded');
  assert.equal(tuple(list(lib.results.ranges)[0])?.to, '0x00007ffff7fbc110');
  assert.deepEqual(parseMiLine('=thread-group-exited,id="i1",exit-code="07"'), { kind: 'notify', token: undefined, cls: 'thread-group-exited', results: { id: 'i1', 'exit-code': '07' } });
  const status = parseMiLine('+download,{section=".text",section-size="6668",total-size="9880"}');
  assert.equal(status?.kind, 'status');
  assert.deepEqual(parseMiLine('*running,thread-id="all"'), { kind: 'exec', token: undefined, cls: 'running', results: { 'thread-id': 'all' } });
});

test('stream records decode c-string escapes; octal escapes are UTF-8 bytes', () => {
  assert.deepEqual(parseMiLine('~"3\\t  int doubled = n * 2; // @plugin\\n"'), { kind: 'console', text: '3\t  int doubled = n * 2; // @plugin\n' });
  assert.deepEqual(parseMiLine('~"h\\303\\251llo\\n"'), { kind: 'console', text: 'héllo\n' });
  assert.deepEqual(parseMiLine('&"No source file named plugin.c.\\n"'), { kind: 'log', text: 'No source file named plugin.c.\n' });
  assert.deepEqual(parseMiLine('@"out"'), { kind: 'target', text: 'out' });
  const value = parseMiLine('^done,value="\\"tab\\\\there\\""');
  assert.ok(value?.kind === 'result');
  assert.equal(value.results.value, '"tab\\there"');
  // A string that ends in an escaped backslash ends at the quote after it, and the next result follows.
  const trailing = parseMiLine('^done,dir="C:\\\\",quoted="\\"",empty=""');
  assert.ok(trailing?.kind === 'result');
  assert.deepEqual(trailing.results, { dir: 'C:\\', quoted: '"', empty: '' });
  assert.equal(parseMiLine('~"no end\\"'), null, 'an escaped quote does not end a string');
  const bell = parseMiLine('^done,value="7 \'\\\\a\'"');
  assert.ok(bell?.kind === 'result');
  assert.equal(bell.results.value, "7 '\\a'");
});

test('c-strings: an escaped backslash before a digit is not octal; characters outside ASCII pass whole; JSON in a result survives', () => {
  // `\\0` in MI is a backslash and a zero, not the byte 0.
  const path = parseMiLine('^done,value="C:\\\\0dir\\\\1"');
  assert.ok(path?.kind === 'result');
  assert.equal(path.results.value, 'C:\\0dir\\1');
  // gdb prints UTF-8 as is when the host charset allows it; a character beyond the BMP is two UTF-16 units.
  assert.deepEqual(parseMiLine('~"caf\u00e9 \ud83d\ude00 \\303\\251\\n"'), { kind: 'console', text: 'caf\u00e9 \ud83d\ude00 \u00e9\n' });
  assert.deepEqual(parseMiLine('~"caf\u00e9 \ud83d\ude00\\n"'), { kind: 'console', text: 'caf\u00e9 \ud83d\ude00\n' });
  // -polyglot-stack: json.dumps output inside a c-string.
  const frames = [{ kind: 'native', func: 'scene_walk', file: '/tmp/a "b"\\c.c', line: 22 }];
  const json = JSON.stringify(frames);
  const stack = parseMiLine(`44^done,stack="${json.replace(/[\\"]/g, (ch) => '\\' + ch)}"`);
  assert.ok(stack?.kind === 'result');
  assert.deepEqual(JSON.parse(stack.results.stack as string), frames);
  assert.equal(parseMiLine('^done,value="ends in a backslash\\'), null);
});

test('the prompt, and lines that are not MI', () => {
  assert.deepEqual(parseMiLine('(gdb) '), { kind: 'prompt' });
  assert.equal(parseMiLine('plugin 11'), null);
  assert.equal(parseMiLine('^done,broken="'), null);
});

test('quoteMiArg quotes only when it must, as an MI c-string', () => {
  assert.equal(quoteMiArg('plugin.c'), 'plugin.c');
  assert.equal(quoteMiArg('--thread'), '--thread');
  assert.equal(quoteMiArg('i == 3'), '"i == 3"');
  assert.equal(quoteMiArg(''), '""');
  assert.equal(quoteMiArg('say "hi"\\n'), '"say \\"hi\\"\\\\n"');
  assert.equal(quoteMiArg('two\nlines\ttab'), '"two\\nlines\\ttab"');
});
