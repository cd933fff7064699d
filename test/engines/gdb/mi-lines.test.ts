// The MI parser on lines gdb 13 printed in sessions on examples/mixed (stops, breakpoints, streams).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { list, parseMiLine, quoteMiArg, tuple } from '../../../src/engines/gdb/mi-parser';

test('a stop record: tokens absent, nested tuples, lists of values and of tuples', () => {
  const line =
    '*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",frame={addr="0x00007ffff7e2319b",func="scene_add",args=[{name="a",value="0"},{name="b",value="0"}],file="/work/main/examples/mixed/native/scene.c",fullname="/work/main/examples/mixed/native/scene.c",line="15",arch="i386:x86-64"},thread-id="1",stopped-threads=["1"],core="0"';
  const record = parseMiLine(line);
  assert.ok(record && record.kind === 'exec');
  assert.equal(record.cls, 'stopped');
  const frame = tuple(record.results.frame)!;
  assert.equal(frame.func, 'scene_add');
  assert.deepEqual(list(frame.args).map((a) => tuple(a)?.name), ['a', 'b']);
  assert.deepEqual(record.results['stopped-threads'], ['1']);
});

test('result records keep their token; errors carry the message', () => {
  const done = parseMiLine('34^done,bkpt={number="2",type="breakpoint",disp="del",enabled="y",addr="0x00007ffff7e231f8",func="scene_walk",thread-groups=["i1"],times="0"}');
  assert.ok(done && done.kind === 'result');
  assert.equal(done.token, 34);
  assert.equal(tuple(done.results.bkpt)?.number, '2');
  const error = parseMiLine('12^error,msg="No symbol \\"nope\\" in current context."');
  assert.ok(error && error.kind === 'result');
  assert.equal(error.cls, 'error');
  assert.equal(error.results.msg, 'No symbol "nope" in current context.');
});

test('stream records decode c-string escapes, octal bytes as UTF-8', () => {
  assert.deepEqual(parseMiLine('~"25\\t        int r = on_step(i, value);\\n"'), { kind: 'console', text: '25\t        int r = on_step(i, value);\n' });
  assert.deepEqual(parseMiLine('~"caf\\303\\251\\n"'), { kind: 'console', text: 'café\n' });
  assert.deepEqual(parseMiLine('&"57\\t./nptl/futex-internal.c: No such file or directory.\\n"'), { kind: 'log', text: '57\t./nptl/futex-internal.c: No such file or directory.\n' });
  assert.deepEqual(parseMiLine('(gdb) '), { kind: 'prompt' });
});

test('list of results (register values) and notify records', () => {
  const regs = parseMiLine('5^done,register-values=[{number="0",value="0x7ffff50cb200"},{number="16",value="0x7ffff7e2319b"}]');
  assert.ok(regs && regs.kind === 'result');
  assert.deepEqual(list(regs.results['register-values']).map((r) => tuple(r)?.value), ['0x7ffff50cb200', '0x7ffff7e2319b']);
  const exited = parseMiLine('=thread-group-exited,id="i1",exit-code="01"');
  assert.ok(exited && exited.kind === 'notify');
  assert.equal(exited.results['exit-code'], '01');
  assert.equal(parseMiLine('Debugger listening on ws://127.0.0.1:1/x'), null);
});

test('arguments are quoted only when they need it', () => {
  assert.equal(quoteMiArg('--thread'), '--thread');
  assert.equal(quoteMiArg('/path with space/a.c'), '"/path with space/a.c"');
  assert.equal(quoteMiArg('say "hi"\\n'), '"say \\"hi\\"\\\\n"');
  assert.equal(quoteMiArg(''), '""');
});
