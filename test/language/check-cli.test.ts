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

test('check reports each difference between koffi/ctypes declarations and the C prototypes, and exits 1', () => {
  const { code, stdout } = check('test/language/fixtures/check', '--target', 'x86_64-sysv');
  assert.equal(code, 1);
  assert.doesNotMatch(stdout, /scene\.js:.*point_distance/, 'a matching declaration is not reported');
  assert.match(stdout, /scene\.py:.*point_distance does not match/);
  assertGolden('check.scene.sysv.txt', stdout);
});

test('differences follow the target: long is 4 bytes on Win64', () => {
  const { stdout } = check('test/language/fixtures/check', '--target', 'x86_64-win64');
  assert.match(stdout, /scene_count does not match its C prototype on x86_64-win64/);
});

test('a consistent tree passes with exit 0', () => {
  const { code, stdout } = check('examples/abi', '--target', 'x86_64-sysv');
  assert.equal(code, 0);
  assert.match(stdout, /no FFI mismatches under examples\/abi \(x86_64-sysv\)/);
});
