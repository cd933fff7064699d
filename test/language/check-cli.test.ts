// `polyglot-abi check`: real koffi mismatches against the C header beside them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertGolden } from './golden';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

function check(dir: string, ...flags: string[]) {
  const result = spawnSync(process.execPath, [cli, 'check', dir, ...flags], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check reports each difference between koffi/ctypes declarations and the C prototypes, with both declarations, and exits 1', () => {
  const { code, stdout } = check('test/language/fixtures/check', '--target', 'x86_64-sysv');
  assert.equal(code, 1);
  assert.doesNotMatch(stdout, /scene\.js:.*point_distance/, 'a matching declaration is not reported');
  assert.match(stdout, /scene\.py:\d+:\d+: error: point_distance does not match/);
  assert.match(stdout, /declared: int scene_count\(void\)\n  C: +int64_t scene_count\(void\)/);
  assert.match(stdout, /total +8 +8 +0 +0/);
  assertGolden('check.scene.sysv.txt', stdout);
});

test('differences follow the target: long is 4 bytes on Win64', () => {
  const { stdout } = check('test/language/fixtures/check', '--target', 'x86_64-win64');
  assert.match(stdout, /scene_count does not match its C prototype on x86_64-win64/);
  // `long` is `int` on Win64: the Python scene_add's result is a real break elsewhere only.
  assert.doesNotMatch(stdout, /scene\.py:12:1: error/);
});

test('same-size signedness, char for uint8_t and pointee-only differences are hints: exit 0', () => {
  const { code, stdout } = check('test/language/fixtures/check-hints', '--target', 'x86_64-sysv');
  assert.equal(code, 0, stdout);
  assert.equal((stdout.match(/: hint: /g) ?? []).length, 3, stdout);
  assert.doesNotMatch(stdout, /: error: /);
  assert.match(stdout, /no errors, 3 hints in 3 of 3 declarations compared \(100%\)/);
  assert.match(stdout, /the call works on every modelled target/);
});

test('declarations without a C counterpart or not understood are counted, never reported as clean: exit 3', () => {
  const { code, stdout } = check('test/language/fixtures/check-uncompared', '--target', 'x86_64-sysv');
  assert.equal(code, 3, stdout);
  assert.doesNotMatch(stdout, /no mismatches/);
  assert.match(stdout, /only\.py:6: unreadable: argtypes: unknown ctypes type 'SomeType'/);
  assert.match(stdout, /without a C counterpart: missing_one \(only\.py:4\)/);
  assert.match(stdout, /nothing compared: none of the 2 declarations found/);
  const json = check('test/language/fixtures/check-uncompared', '--target', 'x86_64-sysv', '--json');
  assert.equal(json.code, 3);
  const report = JSON.parse(json.stdout) as { total: Record<string, number>; status: number; notUnderstood: { reason: string }[] };
  assert.deepEqual(report.total, { found: 2, compared: 0, withoutC: 1, notUnderstood: 1 });
  assert.equal(report.status, 3);
  const empty = check('src/abi/place');
  assert.equal(empty.code, 3);
  assert.match(empty.stdout, /nothing to compare: no koffi or ctypes declarations found/);
  assert.equal(check('test/language/fixtures/check-uncompared', '--min-coverage', 'lots').code, 2);
});

test('--json carries each mismatch with its severity, the targets it breaks on and both declarations', () => {
  const { code, stdout } = check('test/language/fixtures/check', '--target', 'x86_64-sysv', '--json');
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as { mismatches: { function: string; path: string; severity: string; breaksOn: string[]; foreignPrototype: string; cPrototype: string; cLocation: { path: string } }[]; comparedPercent: number };
  assert.equal(report.comparedPercent, 100);
  const count = report.mismatches.find((m) => m.function === 'scene_count' && m.path === 'scene.js');
  assert.equal(count?.severity, 'error');
  assert.deepEqual(count?.breaksOn, ['x86_64-sysv', 'x86_64-win64', 'aarch64-aapcs64', 'arm64-apple']);
  assert.equal(count?.foreignPrototype, 'int scene_count(void)');
  assert.equal(count?.cLocation.path, 'scene.h');
});

test('a consistent tree passes with exit 0', () => {
  const { code, stdout } = check('examples/abi', '--target', 'x86_64-sysv');
  assert.equal(code, 0);
  assert.match(stdout, /no mismatches in 5 of 5 declarations compared \(100%\)/);
});
