// The frame view's picture, from the static placement of real prototypes on each target: which
// rows the stack gets (shadow space, stack arguments with padding, return address, red zone) and
// which arguments sit in registers; and the page escapes whatever the debuggee said.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeRequest } from '../../src/abi/contract';
import type { TargetId } from '../../src/abi/model';
import { describeFrame } from '../../src/core/frame-abi';
import type { FfiFunction } from '../../src/language/ffi/model';
import { frameBody } from '../../src/ui/frame-html';
import { framePicture } from '../../src/ui/frame-picture';

const decls = 'typedef struct Big { double a, b, c; long d; } Big; /* not a float-only aggregate: memory on every target */';
const proto = 'Big spread(int a, double b, Big c, char d, long e, float f, int g, int h)';

function staticFrame(target: TargetId) {
  const fn = { source: 'c', name: 'spread', binding: null, prototype: proto, decls, convention: 'default', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, nameRanges: [], problems: [] } as FfiFunction;
  return describeFrame({ fn, placement: placeRequest({ target, decls, proto }).placement }, null, 'none', 'static');
}

const rows = (target: TargetId) => framePicture(staticFrame(target)).stack.map((r) => `${r.from}:${r.kind}:${r.label}`);

test('SysV: the big struct goes on the stack, sret in rdi, return address and red zone below', () => {
  const picture = framePicture(staticFrame('x86_64-sysv'));
  assert.equal(picture.registers[0]?.register, 'rdi');
  assert.equal(picture.registers[0]?.argument, '(sret)');
  assert.deepEqual(picture.registers.map((r) => r.register), ['rdi', 'rsi', 'xmm0', 'rdx', 'rcx', 'xmm1', 'r8', 'r9']);
  assert.deepEqual(rows('x86_64-sysv'), ['0:argument:c: Big', '-8:return-address:return address (pushed by call)', '-136:red-zone:red zone: 128 bytes below the stack pointer a leaf function may use']);
});

test('Win64: shadow space first, then stack arguments at their offsets, the struct by reference', () => {
  const stack = rows('x86_64-win64');
  assert.equal(stack.at(-2), '0:shadow:shadow space: home of rcx, rdx, r8, r9 (owned by the callee)');
  assert.ok(stack.includes('-8:return-address:return address (pushed by call)'));
  assert.ok(stack.some((r) => /^32:argument:d: char$/.test(r)), stack.join('\n'));
  assert.ok(!stack.some((r) => r.includes('red-zone')), 'Win64 has no red zone');
  const picture = framePicture(staticFrame('x86_64-win64'));
  assert.ok(picture.registers.some((r) => r.argument === '&c' || r.part.startsWith('pointer to')), JSON.stringify(picture.registers));
});

test('AArch64: x8 carries the sret pointer, the return address is in x30, no red zone on Linux', () => {
  const picture = framePicture(staticFrame('aarch64-aapcs64'));
  assert.equal(picture.registers[0]?.register, 'x8');
  assert.ok(picture.notes.some((n) => n.includes('x30')));
  assert.ok(!picture.stack.some((r) => r.kind === 'red-zone' || r.kind === 'return-address'));
});

test('the page escapes text that came from the program', () => {
  const abi = { ...staticFrame('x86_64-sysv'), prototype: '<img src=x onerror=alert(1)>', note: '"quoted" & <b>' };
  const html = frameBody(abi, ['x86_64-sysv']);
  assert.ok(!html.includes('<img'), html);
  assert.ok(html.includes('&#60;img'));
  assert.ok(!html.includes('<b>'));
});
