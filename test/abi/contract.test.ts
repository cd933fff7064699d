// The `place` JSON contract: exact output shape, error lines, request validation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerPlaceLine, answerPlaceRequest } from '../../src/abi/contract';

test('the documented example answers exactly as documented', () => {
  const answer = answerPlaceRequest({
    id: 'case-17',
    target: 'x86_64-sysv',
    decls: 'struct S0 { short a; float b; }; struct S1 { char a; short b; double c; };',
    proto: 'unsigned long f(struct S0 p0, struct S1 p1, double p2, ...)',
    variadic_args: ['double'],
  });
  assert.deepEqual(answer, {
    id: 'case-17',
    params: [
      { name: 'p0', type: 'struct S0', size: 8, pieces: [{ offset: 0, size: 8, loc: 'rdi' }] },
      { name: 'p1', type: 'struct S1', size: 16, pieces: [{ offset: 0, size: 8, loc: 'rsi' }, { offset: 8, size: 8, loc: 'xmm0' }] },
      { name: 'p2', type: 'double', size: 8, pieces: [{ offset: 0, size: 8, loc: 'xmm1' }] },
      { name: 'va0', type: 'double', size: 8, pieces: [{ offset: 0, size: 8, loc: 'xmm2' }], variadic: true },
    ],
    ret: { type: 'unsigned long', size: 8, pieces: [{ offset: 0, size: 8, loc: 'rax' }] },
    sret: null,
    al: 3,
  });
});

test('key order of an answer line follows the contract', () => {
  const line = answerPlaceLine(JSON.stringify({ id: 1, target: 'x86_64-sysv', proto: 'int f(int a, ...)', variadic_args: ['int'] }));
  assert.equal(
    line,
    '{"id":1,"params":[{"name":"a","type":"int","size":4,"pieces":[{"offset":0,"size":4,"loc":"rdi"}]},' +
      '{"name":"va0","type":"int","size":4,"pieces":[{"offset":0,"size":4,"loc":"rsi"}],"variadic":true}],' +
      '"ret":{"type":"int","size":4,"pieces":[{"offset":0,"size":4,"loc":"rax"}]},"sret":null,"al":0}',
  );
});

test('non-variadic calls carry no al, void returns have no pieces', () => {
  const answer = answerPlaceRequest({ id: 'v', target: 'x86_64-sysv', proto: 'void f(void)' });
  assert.deepEqual(answer, { id: 'v', params: [], ret: { type: 'void', size: 0, pieces: [] }, sret: null });
});

test('memory returns: one indirect piece and the sret register, per target', () => {
  const decls = 'struct Big { long long a, b, c; };';
  const expected = {
    'x86_64-sysv': { loc: 'rdi', returned_in: 'rax' },
    'x86_64-win64': { loc: 'rcx', returned_in: 'rax' },
    'aarch64-aapcs64': { loc: 'x8', returned_in: null },
    'arm64-apple': { loc: 'x8', returned_in: null },
  } as const;
  for (const [target, sret] of Object.entries(expected)) {
    const answer = answerPlaceRequest({ id: target, target, decls, proto: 'struct Big make(int n)' });
    assert.ok(!('error' in answer), JSON.stringify(answer));
    assert.deepEqual(answer.sret, sret, target);
    assert.deepEqual(answer.ret.pieces, [{ offset: 0, size: 24, loc: sret.loc, indirect: true }], target);
  }
});

test('bad input yields an error for that request, echoing its id', () => {
  const cases: [unknown, RegExp][] = [
    [{ id: 'a', target: 'sparc', proto: 'int f(void)' }, /unknown target "sparc"/],
    [{ id: 'b', target: 'x86_64-sysv', proto: 'int f(struct Nope x)' }, /Nope/],
    [{ id: 'c', target: 'x86_64-sysv', proto: 'int f(int' }, /./],
    [{ id: 'd', target: 'x86_64-sysv', proto: 'int f(int a)', variadic_args: ['int'] }, /not variadic/],
    [{ id: 'e', target: 'x86_64-sysv', proto: 'int f(int a, ...)', variadic_args: ['float'] }, /not a promoted type/],
    [{ id: 'f', target: 'arm64-apple', proto: 'int f(void)', compiler: 'gcc' }, /not modelled for arm64-apple/],
    [{ id: 'g', target: 'x86_64-sysv' }, /"proto" must be a string/],
    [[1, 2], /JSON object/],
  ];
  for (const [request, message] of cases) {
    const answer = answerPlaceRequest(request);
    assert.ok('error' in answer, `expected an error for ${JSON.stringify(request)}`);
    assert.match(answer.error, message);
    const id = Array.isArray(request) ? null : (request as { id: unknown }).id;
    assert.equal(answer.id, id);
  }
});

test('a line that is not JSON gets an error line with a null id', () => {
  const answer = JSON.parse(answerPlaceLine('{"id": 3, "target":'));
  assert.equal(answer.id, null);
  assert.match(answer.error, /not a JSON object/);
});

test('"explain": true reports where gcc and clang part ways, and the answer follows the chosen compiler', () => {
  const request = { id: 'i128', target: 'x86_64-sysv', proto: 'void f(long a, long b, long c, long d, long e, __int128 x, int y)', explain: true };
  const asGcc = answerPlaceRequest(request);
  const asClang = answerPlaceRequest({ ...request, compiler: 'clang' });
  assert.ok(!('error' in asGcc) && !('error' in asClang));
  assert.deepEqual(asGcc.params[5]!.pieces, [{ offset: 0, size: 16, loc: 'stack+0' }]);
  assert.deepEqual(asGcc.params[6]!.pieces, [{ offset: 0, size: 4, loc: 'r9' }]);
  assert.deepEqual(asClang.params[5]!.pieces, [{ offset: 0, size: 8, loc: 'r9' }, { offset: 8, size: 8, loc: 'stack+0' }]);
  assert.deepEqual(asClang.params[6]!.pieces, [{ offset: 0, size: 4, loc: 'stack+8' }]);
  assert.equal(asGcc.disagreements?.length, 2);
  assert.match(asGcc.disagreements![0]!, /^clang passes `x` .* in r9 ← bytes 0–7, stack\+0 ← bytes 8–15, where gcc uses stack\+0$/);
  assert.match(asClang.disagreements![1]!, /^gcc passes `y` .* in r9, where clang uses stack\+8$/);
  const quiet = answerPlaceRequest({ ...request, explain: false });
  assert.ok(!('disagreements' in quiet));
});
