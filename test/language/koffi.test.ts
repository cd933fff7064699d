// The koffi parser over example files: every declaration form becomes C the ABI engine
// places, calls get argument ranges, and broken code yields problems instead of exceptions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { placeRequest } from '../../src/abi/contract';
import type { FfiFile, FfiFunction, Range } from '../../src/language/ffi/model';
import { parseKoffi, type KoffiGrammar } from '../../src/language/koffi/parse';

const FIXTURES = join(__dirname, 'fixtures', 'koffi');

function fixture(name: string): { text: string; grammar: KoffiGrammar } {
  const grammar: KoffiGrammar = name.includes('.ts') ? 'typescript' : 'javascript';
  return { text: readFileSync(join(FIXTURES, `${name}.txt`), 'utf8'), grammar };
}

async function parseFixture(name: string): Promise<{ file: FfiFile; text: string }> {
  const { text, grammar } = fixture(name);
  return { file: await parseKoffi(text, grammar), text };
}

function fn(file: FfiFile, name: string): FfiFunction {
  const found = file.functions.find((f) => f.name === name);
  assert.ok(found, `no function ${name} in ${file.functions.map((f) => f.name).join(', ')}`);
  return found;
}

/** The source text a range covers. */
function slice(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  return `${(lines[range.start.line] ?? '').slice(range.start.character)}…`;
}

function assertPlaces(f: FfiFunction, variadicArgs: readonly string[] = []): void {
  assert.ok(f.prototype, `${f.name}: ${f.problems.join('; ')}`);
  assert.doesNotThrow(() => placeRequest({ target: 'x86_64-sysv', decls: f.decls, proto: f.prototype, variadic_args: variadicArgs }), `${f.name}: ${f.decls}\n${f.prototype}`);
}

test('CommonJS require, prototype strings and the classic form', async () => {
  const { file, text } = await parseFixture('basic.js');
  assert.equal(fn(file, 'add').prototype, 'int add(int a, int b)');
  assert.equal(fn(file, 'atoi').prototype, 'int atoi(const char *)');
  assert.equal(fn(file, 'scale').prototype, 'double scale(float x, int64_t factor, double *out)');
  assert.equal(fn(file, 'tick').prototype, 'void tick(void)');
  assert.equal(fn(file, 'tick').binding, 'noArgs');
  assert.equal(fn(file, 'mul').prototype, 'long mul(long, unsigned long b)');
  assert.equal(fn(file, 'mul').binding, 'lib_mul');
  const add = fn(file, 'add');
  assert.deepEqual(add.nameRanges.map((r) => slice(text, r)), ['add', 'add']);
  assert.equal(slice(text, add.range), "lib.func('int add(int a, int b)')");
  for (const f of file.functions) {
    assert.deepEqual(f.problems, [], f.name);
    assertPlaces(f);
  }
  const addCalls = file.calls.filter((c) => c.callee === 'add');
  assert.equal(addCalls.length, 2, 'add(…) and add.async(…)');
  assert.deepEqual(addCalls[0]?.argumentRanges.map((r) => slice(text, r)), ['1', '2']);
  assert.deepEqual(addCalls[1]?.argumentRanges.map((r) => slice(text, r)), ['3', '4'], 'the async callback is no parameter');
  assert.equal(slice(text, addCalls[1]?.calleeRange as Range), 'add.async');
});

test('koffi type constructors become C declarations in dependency order', async () => {
  const { file } = await parseFixture('types.ts');
  for (const f of file.functions) {
    assert.deepEqual(f.problems, [], f.name);
    assertPlaces(f);
  }
  const area = fn(file, 'area');
  assert.equal(area.prototype, 'double area(Rect r)');
  assert.ok(area.decls.indexOf('struct Point {') < area.decls.indexOf('struct Rect {'), area.decls);
  assert.match(area.decls, /uint8_t tags\[4\]; Point corners\[4\];/);
  assert.equal(fn(file, 'translate').prototype, 'Point translate(Point, int, unsigned int)');
  const fill = fn(file, 'fill');
  assert.match(fill.decls, /struct __attribute__\(\(packed\)\) Packed/);
  assert.match(fill.decls, /int16_t b __attribute__\(\(aligned\(8\)\)\)/);
  assert.match(fill.decls, /union Value \{ int64_t i; double d; \};/);
  assert.equal(fn(file, 'sum').prototype, 'long sum(Anon *, int *)', 'anonymous struct named after its binding; koffi.out unwraps');
  assert.match(fn(file, 'walk').decls, /struct Node \{ int value; Node \*next; \};/);
  assert.match(fn(file, 'walk').decls, /typedef int Compare\(const void \*a, const void \*b\);/);
  assert.equal(fn(file, 'sort').prototype, 'void sort(void *, size_t, Compare *)');
  const listen = fn(file, 'listen');
  assert.equal(listen.convention, 'stdcall');
  assert.equal(listen.prototype, 'bool listen(HWND w, OnEvent *cb)');
  assert.ok(listen.decls.indexOf('*HANDLE;') < listen.decls.indexOf('typedef HANDLE HWND;'), listen.decls);
  assert.equal(fn(file, 'fopen').prototype, 'FILE *fopen(const char *path, const char *mode)');
  assert.match(fn(file, 'grow').decls, /int items\[\];/, 'a counted koffi.array is a flexible array member');
  assert.equal(fn(file, 'wide').prototype, 'const char16_t *wide(char16_t c, wchar_t w, const char32_t *s)');

  const records = new Map(file.records.map((r) => [r.name, r]));
  for (const name of ['Point', 'Rect', 'Packed', 'Aligned', 'Value', 'Anon', 'Node', 'Flex']) {
    const record = records.get(name);
    assert.ok(record?.decl, name);
    assert.deepEqual(record.problems, []);
    assert.doesNotThrow(() => placeRequest({ target: 'x86_64-sysv', decls: record.decl as string, proto: `void probe(${name} *p)` }), name);
  }
  assert.equal(file.records.length, 9, 'the nested anonymous struct is a record too');
  const rectPlacement = placeRequest({ target: 'x86_64-sysv', decls: area.decls, proto: area.prototype as string }).placement;
  assert.equal(rectPlacement.params[0]?.type.size, 8 + 16 + 4 + 32 + 4 /* padding */);
});

test('named imports, object and class-field bindings, variadic and async calls', async () => {
  const { file, text } = await parseFixture('bindings.mjs');
  const printf = fn(file, 'printf');
  assert.equal(printf.binding, 'api.printf');
  assert.equal(fn(file, 'each').prototype, 'void each(Pair *, int, Visit *, void *)');
  const box = fn(file, 'MessageBoxA');
  assert.equal(box.binding, 'this.box');
  assert.equal(box.convention, 'stdcall');
  assert.equal(fn(file, 'Beep').convention, 'stdcall');
  for (const f of file.functions) assertPlaces(f);

  const printfCall = file.calls.find((c) => c.callee === 'api.printf');
  assert.ok(printfCall);
  assert.deepEqual(printfCall.argumentRanges.map((r) => slice(text, r)), ["'%d %f %s %c\\n'", '6', '8.5', "'end'", '65']);
  assert.deepEqual(printfCall.variadicTypes, ['int', 'double', 'const char *', 'int'], 'promoted: float → double, char → int');
  assertPlaces(printf, printfCall.variadicTypes as string[]);
  const absCalls = file.calls.filter((c) => c.callee === 'api.abs');
  assert.deepEqual(absCalls.map((c) => c.argumentRanges.map((r) => slice(text, r))), [['-3'], ['-4']]);
  assert.deepEqual(file.calls.find((c) => c.callee === 'api.walk')?.argumentRanges, [], 'no hints after a spread');
  assert.deepEqual(file.calls.find((c) => c.callee === 'this.box')?.argumentRanges.length, 4);
});

test('malformed declarations report problems and keep the rest', async () => {
  const { file } = await parseFixture('malformed.ts');
  const problem = (binding: string) => file.functions.find((f) => f.binding === binding)?.problems.join('; ') ?? '(not found)';
  assert.match(problem('unknownType'), /unknown type 'Widget'/);
  assert.match(problem('unknownIdent'), /'Gadget' is not a koffi type/);
  assert.match(problem('dynamic'), /template string/);
  assert.match(problem('computed'), /computed at run time/);
  assert.match(problem('spread'), /spread/);
  assert.match(problem('spreadParams'), /spread/);
  assert.match(problem('notProto'), /not a prototype/);
  assert.match(problem('twoArgs'), /not an array/);
  assert.match(problem('usesBroken'), /struct 'Broken' could not be read/);
  for (const f of file.functions) {
    if (f.problems.length > 0) assert.equal(f.prototype, null, f.name);
  }
  const broken = file.records.find((r) => r.name === 'Broken');
  assert.equal(broken?.decl, null);
  assert.equal(broken?.problems.length, 2);
  const unfinished = file.functions.filter((f) => f.problems.some((p) => p.includes('not finished')));
  assert.ok(unfinished.length >= 1, 'the cut-off lib.func( lines are reported');
});

test('odd but valid inputs', async () => {
  const text = [
    "import * as ffi from 'koffi';",
    "import { load } from 'koffi';",
    'const lib = load(`libé.so`);',
    "const S = ffi.struct('S', { 'my-field': 'int', int: 'char', });",
    "const f = lib.func('int __fastcall f(S *s, str! out)');",
    'const g = lib.func(7, "unsigned char", [S, \'float [2]\']);',
    "const h = lib.thiscall('void h(_Out_ uint32_t *n, const Point2 *p)');",
    "const Point2 = ffi.struct('Point2', { a: 'int16', b: 'uint64' });",
    "const s = lib.func('int \\u0073q(int a)');",
    "export function bind(other: any) { return other.func('int k(long long x)'); }",
    "f(null, null); g({}, [1, 2]); h([0], {}); s(1);",
  ].join('\n');
  const file = await parseKoffi(text, 'typescript');
  assert.deepEqual(file.records.map((r) => r.problems), [[], []]);
  assert.match(file.records[0]?.decl ?? '', /struct S \{ int my_field; char int_; \};/, 'member names made C-safe');
  assert.equal(fn(file, 'f').convention, 'fastcall');
  assert.equal(fn(file, 'f').prototype, 'int f(S *s, const char *out)');
  assert.equal(fn(file, 'ordinal_7').prototype, 'unsigned char ordinal_7(S, float *)');
  assert.equal(fn(file, 'h').prototype, 'void h(uint32_t *n, const Point2 *p)', 'types declared later in the file');
  assert.equal(fn(file, 'h').convention, 'thiscall');
  assert.equal(fn(file, 'sq').prototype, 'int sq(int a)', 'escapes are decoded');
  const sq = fn(file, 'sq');
  assert.equal(sq.nameRanges[0]?.start.character, "const s = lib.func('int ".length);
  assert.equal(fn(file, 'k').binding, null, 'a library from elsewhere still counts');
  for (const f of [fn(file, 'h'), fn(file, 'sq'), fn(file, 'k')]) assertPlaces(f);
  assert.equal(file.calls.length, 4);
});

test('files without koffi yield nothing, unless a declaration only koffi makes is there', async () => {
  const none = await parseKoffi("const lib = other.load('x'); lib.func('hello'); db.func(1, 2); api.func('add', cb);", 'javascript');
  assert.deepEqual(none, { functions: [], calls: [], records: [] });
  // A module handed its library by another one: the prototype string says it is koffi.
  const handed = await parseKoffi("module.exports = (lib) => ({ add: lib.func('int add(int a, int b)'), sub: lib.func('sub', 'int', ['int', 'int']) });", 'javascript');
  assert.deepEqual(handed.functions.map((f) => f.prototype), ['int add(int a, int b)', 'int sub(int, int)']);
});

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('fuzz: truncated and mutated fixtures never throw', async () => {
  const next = random(20240611);
  const pieces = ["'", '"', '`', '(', ')', '[', ']', '{', '}', ',', '...', '*', 'koffi.', 'lib.func(', '${', '\\', '\n', 'struct', ' '];
  for (const name of ['basic.js', 'types.ts', 'bindings.mjs', 'malformed.ts']) {
    const { text, grammar } = fixture(name);
    for (let i = 0; i < 40; i++) {
      let mutated = text.slice(0, Math.floor(next() * text.length));
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(next() * text.length);
        const piece = pieces[Math.floor(next() * pieces.length)] as string;
        mutated = next() < 0.5 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
      }
      const input = i % 2 === 0 ? mutated : text.slice(0, Math.floor(next() * text.length));
      const file = await parseKoffi(input, grammar);
      assert.ok(Array.isArray(file.functions) && Array.isArray(file.calls) && Array.isArray(file.records));
    }
  }
});
