// koffi however a program reaches it: every file of fixtures/koffi-imports imports it another
// way (or gets its library from another module), and each declaration is found and compared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFfiFile } from '../../src/language/ffi/file';
import { isKoffiSpecifier } from '../../src/language/koffi/modules';
import { checkTree } from '../../src/language/ffi/workspace';

const DIR = join(__dirname, 'fixtures', 'koffi-imports');

async function prototypes(name: string): Promise<(string | null)[]> {
  const path = join(DIR, name);
  const file = await parseFfiFile(path, readFileSync(path, 'utf8'));
  for (const fn of file.functions) assert.deepEqual(fn.problems, [], `${name}: ${fn.name}`);
  return file.functions.map((f) => f.prototype);
}

test('specifiers that name the koffi package', () => {
  for (const s of ['koffi', 'koffi/indirect', 'koffi/index.js', '../../koffi', './vendor/koffi/index.cjs', '/opt/koffi/indirect.js', 'node_modules/koffi', './build/koffi.node']) {
    assert.equal(isKoffiSpecifier(s) || s === 'node_modules/koffi', true, s);
  }
  for (const s of ['koffi-helpers', './koffi-shim', '../koffi/src/other.js', 'ffi-napi', 'my-koffi']) assert.equal(isKoffiSpecifier(s), false, s);
});

test('each way of importing koffi is recognised', async () => {
  assert.deepEqual(await prototypes('cjs-bare.cjs'), ['int add(int a, int b)']);
  assert.deepEqual(await prototypes('deep-indirect.js'), ['double scale(double v, int32_t by)']);
  assert.deepEqual(await prototypes('checkout.js'), ['int64_t total(const int64_t *, size_t)']);
  assert.deepEqual(await prototypes('esm-namespace.ts'), ['int32_t manhattan(Point a, Point b)']);
  assert.deepEqual(await prototypes('dynamic.mjs'), ['unsigned int flags_of(const char *name)', 'int sub(int a, int b)']);
  assert.deepEqual(await prototypes('create-require.mjs'), ['double average(const double *values, int count)']);
});

test('parameters named str, string and str16 are names, not types', async () => {
  assert.deepEqual(await prototypes('esm-default.mjs'), ['size_t measure(const char *str, const char *string, const uint16_t *str16)']);
});

test('koffi re-exported by a local module, and a library handed between modules', async () => {
  assert.deepEqual(await prototypes('uses-ffi.cjs'), ['int32_t checksum(const uint8_t *data, size_t length)']);
  assert.deepEqual(await prototypes('uses-shim.ts'), ['void reset(void)']);
  assert.deepEqual(await prototypes('uses-library.ts'), ['double scale(float v, int32_t by)']);
  assert.deepEqual(await prototypes('handed.js'), ['int add(int a, int b)']);
  // Types declared in another module: by name in a prototype string, and as the imported object.
  assert.deepEqual(await prototypes('uses-types.ts'), ['int32_t manhattan(Point a, Point b)', 'int32_t manhattan(Point, Point)']);
  // The modules that only re-export or load declare nothing themselves.
  assert.deepEqual(await prototypes('koffi-shim.ts'), []);
  assert.deepEqual(await prototypes('library.ts'), []);
});

test('check compares every declaration of the folder with shapes.h', async () => {
  const mismatches = await checkTree(DIR, 'x86_64-sysv');
  const byFunction = new Map(mismatches.map((m) => [m.function, m]));
  assert.deepEqual([...byFunction.keys()].sort(), ['checksum', 'scale']);
  assert.equal(byFunction.get('scale')?.path, 'uses-library.ts');
  assert.equal(byFunction.get('scale')?.severity, 'error', 'float for double moves the value');
  assert.equal(byFunction.get('checksum')?.severity, 'hint', 'int32_t for uint32_t is the same register, the same size');
});

test('koffi through the interop helpers of bundlers and compilers', async () => {
  const { parseKoffi } = await import('../../src/language/koffi/parse');
  const bundled = [
    'var import_koffi = __toESM(require("koffi"));',
    'var Model = import_koffi.default.opaque("Model");',
    'var lib = import_koffi.default.load("libm.so");',
    'var make = lib.func("Model *make(int size)");',
    'const k2 = _interopRequireDefault(require("koffi"));',
    'const Pair = k2.default.struct("Pair", { a: "int", b: "double" });',
    'const use = lib.func("double use(Pair p)");',
  ].join('\n');
  const file = await parseKoffi(bundled, 'javascript');
  assert.deepEqual(file.functions.map((f) => [f.prototype, f.problems]), [['Model *make(int size)', []], ['double use(Pair p)', []]]);
});

test("require('..') from inside a checkout of the koffi package", async () => {
  const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'koffi-checkout-'));
  try {
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'koffi', version: '0.0.0' }));
    writeFileSync(join(root, 'index.js'), 'module.exports = {};\n');
    const path = join(root, 'test', 'union.js');
    const text = "const koffi = require('..');\nconst U = koffi.union('U', { d: 'double', u: 'uint64_t' });\nconst lib = koffi.load('x');\nconst f = lib.func('U f(double d)');\n";
    const file = await parseFfiFile(path, text);
    assert.deepEqual(file.functions.map((f) => [f.prototype, f.problems]), [['U f(double d)', []]]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('what an imported module lends is read again when it changes', async () => {
  const { mkdtempSync, rmSync, utimesSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'koffi-lent-'));
  try {
    const types = join(root, 'types.ts');
    const user = join(root, 'user.ts');
    const userText = "import { lib } from './types';\nexport const f = lib.func('int f(Point p)');\n";
    writeFileSync(types, "import koffi from 'koffi';\nexport const lib = koffi.load('x');\nkoffi.struct('Point', { x: 'int32_t', y: 'int32_t' });\n");
    assert.match((await parseFfiFile(user, userText)).functions[0]?.decls ?? '', /int32_t x; int32_t y;/);
    writeFileSync(types, "import koffi from 'koffi';\nexport const lib = koffi.load('x');\nkoffi.struct('Point', { x: 'double', y: 'double' });\n");
    utimesSync(types, new Date(), new Date(Date.now() + 5_000));
    assert.match((await parseFfiFile(user, userText)).functions[0]?.decls ?? '', /double x; double y;/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
