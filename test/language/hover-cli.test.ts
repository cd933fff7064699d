// `polyglot-abi hover` on the bundled examples: the text VS Code's hover shows, as golden files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertGolden, findMarker } from './golden';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/abi/geometry.ts', import.meta.url));
const header = fileURLToPath(new URL('../../examples/abi/geometry.h', import.meta.url));
const source = readFileSync(example, 'utf8');

function hover(at: { line: number; column: number }, ...flags: string[]) {
  return hoverIn(example, at, ...flags);
}

// Parsed files are cached by content: a folder of this run's own, never the user's cache.
const cacheDir = mkdtempSync(join(tmpdir(), 'polyglot-abi-cache-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

function hoverIn(file: string, at: { line: number; column: number }, ...flags: string[]) {
  const env = { ...process.env, POLYGLOT_ABI_CACHE: cacheDir };
  const result = spawnSync(process.execPath, [cli, 'hover', file, String(at.line), String(at.column), ...flags], { encoding: 'utf8', timeout: 60_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('hover on a koffi prototype string names where each argument goes (SysV)', () => {
  const { code, stdout } = hover(findMarker(source, "vec3_dot(Vec3"), '--target', 'x86_64-sysv');
  assert.equal(code, 0);
  assertGolden('geometry.vec3_dot.sysv.md', stdout);
});

test('hover on a variadic call site places the variadic arguments (Win64)', () => {
  const { code, stdout } = hover(findMarker(source, 'logValues(', 'export function demo'), '--target', 'x86_64-win64');
  assert.equal(code, 0);
  assertGolden('geometry.log_values-call.win64.md', stdout);
});

test('hover --json gives the place answer shape plus the function', () => {
  const { code, stdout } = hover(findMarker(source, 'sampleScale('), '--target', 'aarch64-aapcs64', '--json');
  assert.equal(code, 0);
  const answer = JSON.parse(stdout);
  assert.equal(answer.function, 'sample_scale');
  assert.deepEqual(answer.params[0], { name: 's', type: 'Sample', size: 16, pieces: [{ offset: 0, size: 8, loc: 'x0' }, { offset: 8, size: 8, loc: 'x1' }] });
  assert.deepEqual(answer.params[1].pieces, [{ offset: 0, size: 8, loc: 'v0' }]);
  assert.deepEqual(answer.ret.pieces, [{ offset: 0, size: 8, loc: 'x0' }, { offset: 8, size: 8, loc: 'x1' }]);
  assert.equal(answer.sret, null);
});

test('hover on a koffi.struct shows its layout and how every target passes it by value', () => {
  const { code, stdout } = hover(findMarker(source, "Sample', {"), '--target', 'aarch64-aapcs64');
  assert.equal(code, 0);
  assertGolden('geometry.Sample-struct.aapcs64.md', stdout);
});

test('hover on a C prototype in a header shows placement and the bit-field layout', () => {
  const { code, stdout } = hoverIn(header, findMarker(readFileSync(header, 'utf8'), 'header_check('), '--target', 'x86_64-sysv');
  assert.equal(code, 0);
  assertGolden('geometry.h.header_check.sysv.md', stdout);
});

test('hover on a ctypes call of an aliased function (Apple arm64)', () => {
  const python = fileURLToPath(new URL('../../examples/abi/geometry.py', import.meta.url));
  const { code, stdout } = hoverIn(python, findMarker(readFileSync(python, 'utf8'), 'sample_scale(Sample(dot'), '--target', 'arm64-apple');
  assert.equal(code, 0);
  assertGolden('geometry.py.sample_scale-call.apple.md', stdout);
});

test('hover where there is no FFI code says so and exits 1', () => {
  const { code, stderr } = hover({ line: 1, column: 1 });
  assert.equal(code, 1);
  assert.match(stderr, /nothing to show at .*geometry\.ts:1:1/);
});

test('a cached parse is used only while the file and what it includes are unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-abi-cached-'));
  try {
    const c = join(dir, 'api.c');
    const h = join(dir, 'api.h');
    writeFileSync(h, 'typedef struct Pair { int a; int b; } Pair;\n');
    writeFileSync(c, '#include "api.h"\nint sum(Pair p);\n');
    const first = hoverIn(c, { line: 2, column: 6 }, '--target', 'x86_64-sysv', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).params[0].size, 8);
    const entries = readdirSync(cacheDir).length;
    assert.ok(entries >= 1, 'the parse was kept');
    // Same answer from the cache; then the header changes and the answer follows it.
    assert.equal(hoverIn(c, { line: 2, column: 6 }, '--target', 'x86_64-sysv', '--json').stdout, first.stdout);
    writeFileSync(h, 'typedef struct Pair { long a; long b; } Pair;\n');
    utimesSync(h, new Date(), new Date(Date.now() + 5_000)); // a new mtime even on coarse clocks
    const changed = hoverIn(c, { line: 2, column: 6 }, '--target', 'x86_64-sysv', '--json');
    assert.equal(JSON.parse(changed.stdout).params[0].size, 16, 'the included header was read again');
    assert.equal(readdirSync(cacheDir).length, entries, 'one entry per file, replaced');
    const uncached = hoverIn(c, { line: 2, column: 6 }, '--target', 'x86_64-sysv', '--json', '--no-cache');
    assert.equal(uncached.stdout, changed.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the parse cache's folder: $POLYGLOT_ABI_CACHE, else $XDG_CACHE_HOME/polyglot-abi, else ~/.cache/polyglot-abi", async () => {
  const { defaultCacheDir } = await import('../../src/language/ffi/parse-cache');
  const { homedir } = await import('node:os');
  assert.equal(defaultCacheDir({ POLYGLOT_ABI_CACHE: '/tmp/a', XDG_CACHE_HOME: '/tmp/x' }), '/tmp/a');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/tmp/x' }), join('/tmp/x', 'polyglot-abi'));
  assert.equal(defaultCacheDir({}), join(homedir(), '.cache', 'polyglot-abi'));
});

test('a hover with XDG_CACHE_HOME set keeps its parse there (and a focused parse answers a later hover on that line only)', () => {
  const xdg = mkdtempSync(join(tmpdir(), 'polyglot-abi-xdg-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: xdg };
    delete env.POLYGLOT_ABI_CACHE;
    const at = findMarker(source, 'vec3_dot(Vec3');
    const args = [cli, 'hover', example, String(at.line), String(at.column), '--target', 'x86_64-sysv'];
    const first = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(first.status, 0, first.stderr);
    assert.equal(readdirSync(join(xdg, 'polyglot-abi')).length, 1);
    const again = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(again.stdout, first.stdout);
    // Another line of the same file is read again for that line, and answers as the whole file does.
    const other = findMarker(source, 'logValues(', 'export function demo');
    const elsewhere = spawnSync(process.execPath, [cli, 'hover', example, String(other.line), String(other.column), '--target', 'x86_64-win64'], { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(elsewhere.status, 0, elsewhere.stderr);
    assertGolden('geometry.log_values-call.win64.md', elsewhere.stdout);
  } finally {
    rmSync(xdg, { recursive: true, force: true });
  }
});
