// The shipped `polyglot-abi` bundle (dist/cli.js), driven like a user or a script would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[], input = '') {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('place: batch mode answers every line in order and carries on after bad ones', () => {
  const input = [
    JSON.stringify({ id: 'ok', target: 'x86_64-win64', proto: 'long f(long a, double b)' }),
    '{"id": "broken"',
    JSON.stringify({ id: 'bad-type', target: 'x86_64-sysv', proto: 'void g(struct Missing m)' }),
    '',
    JSON.stringify({ id: 'after', target: 'aarch64-aapcs64', proto: 'float h(float x)' }),
  ].join('\n');
  const { code, stdout } = run(['place'], input);
  assert.equal(code, 0);
  const answers = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(answers.map((a) => a.id), ['ok', null, 'bad-type', 'after']);
  assert.deepEqual(answers[0].params[0], { name: 'a', type: 'long', size: 4, pieces: [{ offset: 0, size: 4, loc: 'rcx' }] });
  assert.deepEqual(answers[0].params[1].pieces, [{ offset: 0, size: 8, loc: 'xmm1' }]);
  assert.match(answers[1].error, /not a JSON object/);
  assert.match(answers[2].error, /Missing/);
  assert.deepEqual(answers[3].ret.pieces, [{ offset: 0, size: 4, loc: 'v0' }]);
});

test('place: one prototype as a readable table with the struct layout', () => {
  const { code, stdout } = run([
    'place', '--target', 'x86_64-sysv',
    '--decls', 'struct P { char tag; double x; };',
    '--proto', 'struct P move(struct P p, int dx, ...)',
    '--vararg', 'double',
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /move — x86-64 System V, as gcc compiles it/);
  assert.match(stdout, /^ {2}p +struct P +16 +INTEGER, SSE +rdi ← bytes 0–7, xmm0 ← bytes 8–15$/m);
  assert.match(stdout, /^ {2}va0 \(…\) +double +8 +SSE +xmm1$/m);
  assert.match(stdout, /al = 2/);
  assert.match(stdout, /struct P: size 16, align 8/);
  assert.match(stdout, /^ {2}1 +7 +\(padding\)$/m);
});

test('place: the table notes where the other compiler differs', () => {
  const { code, stdout } = run(['place', '--target', 'x86_64-sysv', '--proto', 'void f(long a, long b, long c, long d, long e, __int128 x)']);
  assert.equal(code, 0);
  assert.match(stdout, /^ {2}x +__int128 +16 +INTEGER, INTEGER +stack\+0$/m);
  assert.match(stdout, /note: clang passes `x` .* in r9 ← bytes 0–7, stack\+0 ← bytes 8–15, where gcc uses stack\+0 \(this table follows gcc\)/);
  const clang = run(['place', '--target', 'x86_64-sysv', '--compiler', 'clang', '--proto', 'void f(long a, long b, long c, long d, long e, __int128 x)']);
  assert.match(clang.stdout, /as clang compiles it/);
  assert.match(clang.stdout, /^ {2}x +__int128 +16 +INTEGER, INTEGER +r9 ← bytes 0–7, stack\+0 ← bytes 8–15$/m);
});

test('usage errors exit 2 and say what is wrong', () => {
  const missing = run(['place', '--target', 'x86_64-sysv']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs --target and --proto/);
  const unknown = run(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test('input errors in table mode exit 1 with the engine message', () => {
  const { code, stderr } = run(['place', '--target', 'x86_64-sysv', '--proto', 'int f(struct Q q)']);
  assert.equal(code, 1);
  assert.match(stderr, /Q/);
});
