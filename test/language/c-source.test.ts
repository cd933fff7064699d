// The C source parser: real .c/.h files in, prototypes + the declarations they need out,
// every one of them accepted by the ABI engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { placeRequest } from '../../src/abi/contract';
import type { CallPlacement } from '../../src/abi/place/placement';
import { findCFunction, parseCSource } from '../../src/language/c/parse';
import type { FfiFile, FfiFunction, Range } from '../../src/language/ffi/model';

const FIXTURES = join(__dirname, 'fixtures', 'c');
const SHAPES_H = join(FIXTURES, 'shapes', 'include', 'shapes.h');
const SHAPES_C = join(FIXTURES, 'shapes', 'src', 'shapes.c');
const SHAPES_INCLUDE = join(FIXTURES, 'shapes', 'include');

/** Reads fixtures from disk through the injected function, remembering what was asked for. */
function recordingReader(): { readFile: (path: string) => string | null; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readFile: (path) => {
      asked.push(path);
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
  };
}

async function parseFixture(path: string, includeDirs: string[] = []): Promise<FfiFile> {
  return parseCSource(readFileSync(path, 'utf8'), { fileName: path, readFile: recordingReader().readFile, includeDirs });
}

function fn(file: FfiFile, name: string): FfiFunction {
  const found = file.functions.find((f) => f.name === name);
  assert.ok(found, `no function ${name}; have ${file.functions.map((f) => f.name).join(', ')}`);
  return found;
}

function place(f: FfiFunction): CallPlacement {
  assert.ok(f.prototype, `${f.name}: ${f.problems.join('; ')}`);
  return placeRequest({ target: 'x86_64-sysv', decls: f.decls, proto: f.prototype }).placement;
}

/** Every prototype handed out must be one the engine accepts, with its decls. */
function assertAllPlaceable(file: FfiFile): void {
  for (const f of file.functions) if (f.prototype !== null) place(f);
  for (const r of file.records) {
    if (r.decl !== null) placeRequest({ target: 'x86_64-sysv', decls: r.decl, proto: 'void probe(void)' });
  }
}

function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const first = (lines[range.start.line] ?? '').slice(range.start.character);
  const middle = lines.slice(range.start.line + 1, range.end.line);
  const last = (lines[range.end.line] ?? '').slice(0, range.end.character);
  return [first, ...middle, last].join('\n');
}

test('a realistic header: prototypes behind an export macro and extern "C", with what they need', async () => {
  const file = await parseFixture(SHAPES_H);
  assert.deepEqual(file.problems, []);
  assert.deepEqual(
    file.functions.map((f) => f.prototype),
    [
      'double polygon_area(const struct Polygon *poly)',
      'Point point_add(Point a, Point b)',
      'Color color_blend(Color a, Color b, float t)',
      'int shapes_log(const char *fmt, ...)',
      'double polygon_measure(const struct Polygon *poly, shape_metric_fn metric, void *user)',
      'struct Flags flags_toggle(struct Flags f, unsigned bit)',
      'uint32_t wire_checksum(struct WireHeader h, const uint8_t *payload, size_t n)',
      'union Value value_of(enum ShapeKind kind, struct Tight t, Aligned a)',
    ],
  );
  for (const f of file.functions) assert.deepEqual(f.problems, [], f.name);
  assertAllPlaceable(file);

  // Only what the prototype needs, in dependency order, macros substituted.
  const area = fn(file, 'polygon_area');
  assert.match(area.decls, /typedef double coord_t;[\s\S]*struct Point \{[\s\S]*enum ShapeKind[\s\S]*struct Polygon \{/);
  assert.match(area.decls, /Point points\[8\];/);
  assert.match(area.decls, /char name\[\(8 \* 2\)\];/);
  assert.doesNotMatch(area.decls, /Color|WireHeader|union Value/);
  assert.equal(fn(file, 'shapes_log').decls, '');

  // Layout-changing attributes and pragmas survive into the declarations.
  const wire = place(fn(file, 'wire_checksum'));
  assert.equal(wire.params[0]?.type.size, 5, '#pragma pack(1) struct WireHeader');
  const value = place(fn(file, 'value_of'));
  assert.equal(value.params[1]?.type.size, 5, 'SHAPES_PACKED struct Tight');
  assert.equal(value.params[2]?.type.align, 16, 'aligned(16) typedef');
  assert.equal(place(fn(file, 'flags_toggle')).params[0]?.type.size, 4, 'bit-fields share one unsigned');
  assert.equal(place(fn(file, 'polygon_measure')).params[1]?.type.kind, 'pointer', 'function pointer typedef');
  assert.equal(place(fn(file, 'shapes_log')).params.length, 1);
});

test('records: named, typedef-named, packed, aligned, unions, each with a declaration the engine lays out', async () => {
  const text = readFileSync(SHAPES_H, 'utf8');
  const file = await parseFixture(SHAPES_H);
  assert.deepEqual(
    file.records.map((r) => r.name),
    ['Point', 'Color', 'Polygon', 'Flags', 'WireHeader', 'Tight', 'Aligned', 'Value'],
  );
  for (const r of file.records) {
    assert.deepEqual(r.problems, [], r.name);
    assert.equal(textAt(text, r.nameRanges[0] as Range), r.name);
  }
  const byName = new Map(file.records.map((r) => [r.name, r]));
  assert.match(byName.get('Tight')?.decl ?? '', /\} __attribute__\(\(packed\)\);$/);
  assert.match(byName.get('WireHeader')?.decl ?? '', /^#pragma pack\(1\)\nstruct WireHeader[\s\S]*\n#pragma pack\(\)$/);
  assert.match(byName.get('Color')?.decl ?? '', /^typedef struct \{/);
  const tight = placeRequest({ target: 'x86_64-sysv', decls: byName.get('Tight')?.decl ?? '', proto: 'void f(struct Tight t)' });
  assert.equal(tight.placement.params[0]?.type.size, 5);
});

test('a source file: definitions become prototypes, includes are followed, calls are found', async () => {
  const text = readFileSync(SHAPES_C, 'utf8');
  const reader = recordingReader();
  const file = await parseCSource(text, { fileName: SHAPES_C, readFile: reader.readFile, includeDirs: [SHAPES_INCLUDE] });
  assert.deepEqual(file.problems, []);
  assertAllPlaceable(file);
  assert.equal(fn(file, 'cross').prototype, 'double cross(Point a, Point b)', 'static dropped');
  assert.equal(fn(file, 'square_int').prototype, 'int square_int(int v)', 'inline static dropped');
  assert.equal(fn(file, 'polygon_area').prototype, 'double polygon_area(const struct Polygon *poly)');
  assert.match(fn(file, 'point_add').decls, /typedef struct Point \{/, 'types from the header found through includeDirs');

  const legacy = fn(file, 'legacy_sum');
  assert.equal(legacy.prototype, null);
  assert.match(legacy.problems.join(), /K&R/);

  // FILE comes from <stdio.h>, which is never read: an opaque type is enough behind a pointer.
  assert.equal(fn(file, 'report').prototype, 'void report(FILE *out, const struct Polygon *poly)');
  assert.ok(!reader.asked.some((p) => /stdio|stdarg|stdint|stddef/.test(p)), reader.asked.join());

  // Ranges: the name, and the head of the definition without its body.
  const area = fn(file, 'polygon_area');
  assert.equal(textAt(text, area.nameRanges[0] as Range), 'polygon_area');
  assert.equal(textAt(text, area.range), 'double polygon_area(const struct Polygon *poly)');

  // Calls of known functions only (not fprintf, va_start or the function pointer `metric`).
  const callees = file.calls.map((c) => c.callee);
  assert.deepEqual(callees, ['cross', 'lerp', 'lerp', 'lerp', 'polygon_area', 'polygon_area', 'shapes_log', 'square_int']);
  const blend = file.calls.find((c) => c.callee === 'lerp');
  assert.ok(blend);
  assert.equal(textAt(text, blend.calleeRange), 'lerp');
  assert.deepEqual(blend.argumentRanges.map((r) => textAt(text, r)), ['a.r', 'b.r', 't']);
  assert.equal(textAt(text, blend.range), 'lerp(a.r, b.r, t)');
});

test('findCFunction prefers a usable prototype across files', async () => {
  const header = await parseFixture(SHAPES_H);
  const source = await parseFixture(SHAPES_C, [SHAPES_INCLUDE]);
  const broken = await parseCSource('Missing point_add(Missing a);', { readFile: () => null });
  assert.equal(findCFunction([broken, header, source], 'point_add')?.prototype, 'Point point_add(Point a, Point b)');
  assert.equal(findCFunction([source], 'legacy_sum')?.prototype, null);
  assert.equal(findCFunction([header, source], 'no_such_function'), null);
});

test('includes: relative and includeDirs, missing ones and cycles are problems, <system> never read', async () => {
  const main = join(FIXTURES, 'includes', 'main.c');
  const reader = recordingReader();
  const file = await parseCSource(readFileSync(main, 'utf8'), {
    fileName: main,
    readFile: reader.readFile,
    includeDirs: [join(FIXTURES, 'includes', 'vendor')],
  });
  const useAll = fn(file, 'use_all');
  assert.equal(useAll.prototype, 'int use_all(struct A a, struct B b, Common c)');
  assert.match(useAll.decls, /struct B \{ long b; \};\nstruct A \{ int a; \};\ntypedef struct Common/);
  assertAllPlaceable(file);
  const messages = (file.problems ?? []).map((p) => p.message);
  assert.ok(messages.some((m) => /cannot find include "missing.h"/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /include cycle: .*a\.h → .*b\.h → .*a\.h/.test(m)), messages.join('\n'));
  const missing = file.problems?.find((p) => /missing.h/.test(p.message));
  assert.equal(missing?.range.start.line, 1, 'shown on the #include line');
  assert.ok(!reader.asked.some((p) => p.endsWith('stdlib.h')));
});

test('includes without a file name resolve through includeDirs and an in-memory reader', async () => {
  const files: Record<string, string> = {
    '/ws/inc/pair.h': '#pragma once\n#include "pair.h"\ntypedef struct { int a, b; } Pair;\n',
  };
  const file = await parseCSource('#include "pair.h"\n#include "pair.h"\nPair swap(Pair p);\n', {
    readFile: (p) => files[p] ?? null,
    includeDirs: ['/ws/inc'],
  });
  assert.deepEqual(file.problems, []);
  assert.equal(fn(file, 'swap').decls, 'typedef struct { int a, b; } Pair;', '#pragma once: included once');
  assertAllPlaceable(file);
});

test('preprocessor: conditionals, #undef, enum and macro array sizes, function-like macros', async () => {
  const text = [
    '#define WIDE 1',
    '#if WIDE && defined(__GNUC__)',
    'typedef long long word_t;',
    '#else',
    'typedef int word_t;',
    '#endif',
    '#if 0',
    'int hidden(void);',
    '#endif',
    '#ifdef _WIN32',
    'int windows_only(void);',
    '#elif !defined(NOPE)',
    'int posix_only(void);',
    '#endif',
    '#define LEN 3',
    '#undef LEN',
    '#define LEN 5',
    'enum { SLOTS = LEN + 1 };',
    'struct Buf { word_t w[SLOTS]; char tag[LEN];',
    '#ifdef WIDE',
    '  double extra;',
    '#else',
    '  float extra;',
    '#endif',
    '};',
    '#define TWICE(x) ((x) * 2)',
    'struct Bad { int v[TWICE(2)]; };',
    'word_t first(struct Buf b);',
    'int bad(struct Bad b);',
  ].join('\n');
  const file = await parseCSource(text, { readFile: () => null });
  assert.deepEqual(file.functions.map((f) => f.name), ['posix_only', 'first', 'bad']);
  const first = place(fn(file, 'first'));
  assert.equal(first.ret.type.size, 8, 'the #if branch with long long');
  assert.equal(first.params[0]?.type.size, 6 * 8 + 8 + 8, 'w[6], tag[5] padded, double extra');
  assert.doesNotMatch(fn(file, 'first').decls, /float extra|typedef int word_t/);
  const bad = fn(file, 'bad');
  assert.equal(bad.prototype, null);
  assert.ok(bad.problems.some((p) => /function-like macro 'TWICE'/.test(p)), bad.problems.join('\n'));
  assertAllPlaceable(file);
});

test('calling conventions, decoration macros and functions returning function pointers', async () => {
  const file = await parseFixture(join(FIXTURES, 'conventions.c'));
  assert.deepEqual(file.problems, []);
  assert.deepEqual(
    file.functions.map((f) => [f.name, f.prototype, f.convention]),
    [
      ['win_add', 'int win_add(int a, int b)', 'stdcall'],
      ['on_event', 'int on_event(void *ctx, int code)', 'stdcall'],
      ['ms_call', 'int ms_call(long long x)', 'win64'],
      ['pick_handler', 'int (*pick_handler(int which))(double)', 'default'],
      ['plain', 'unsigned long long plain(const char *s)', 'cdecl'],
    ],
  );
  assertAllPlaceable(file);
});

test('ranges count UTF-16 columns, as VS Code does', async () => {
  const text = '/* π ≈ 3.14 😀 */ double area(double r);\nint main(void) { return (int)area(2.0); }\n';
  const file = await parseCSource(text, { readFile: () => null });
  assert.equal(textAt(text, fn(file, 'area').nameRanges[0] as Range), 'area');
  assert.equal(textAt(text, fn(file, 'area').range), 'double area(double r)');
  assert.deepEqual(file.calls.map((c) => textAt(text, c.argumentRanges[0] as Range)), ['2.0']);
});

test('malformed input: what can be read is returned, the rest becomes problems', async () => {
  const file = await parseFixture(join(FIXTURES, 'malformed.c'));
  assertAllPlaceable(file);
  assert.equal(fn(file, 'fine').prototype, 'double fine(double x)');
  const unknown = fn(file, 'make_unknown');
  assert.equal(unknown.prototype, null);
  assert.match(unknown.problems.join('\n'), /unknown type 'Unknown'/);
  assert.match(fn(file, 'use_fn_macro').problems.join('\n'), /function-like macro 'WIDTH_OF' is not expanded/);
  const messages = (file.problems ?? []).map((p) => p.message);
  assert.ok(messages.includes('cannot find include "nowhere.h"'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('syntax error')), messages.join('\n'));
});

/** Deterministic PRNG (mulberry32), so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = ['{', '}', '(', ')', ';', ',', '*', '[', ']', '#if X\n', '#endif\n', '#define A\n', '#define F(x) x\n', 'struct', 'typedef',
  '"', "'", '/*', '*/', '\\\n', '...', '__attribute__((', 'extern "C" {', '#pragma pack(push, 2)\n', 'int', 'A', '\n', ':', '3'];

test('fuzz: truncations and mutations never throw, and every prototype is still placeable', async () => {
  const sources = [SHAPES_H, SHAPES_C, join(FIXTURES, 'malformed.c'), join(FIXTURES, 'conventions.c')].map((p) => readFileSync(p, 'utf8'));
  const next = random(20240611);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const headers: Record<string, string> = {
    [join(SHAPES_INCLUDE, 'shapes_config.h')]: readFileSync(join(SHAPES_INCLUDE, 'shapes_config.h'), 'utf8'),
  };
  for (let round = 0; round < 150; round++) {
    let text = pick(sources);
    const edits = 1 + Math.floor(next() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * (text.length + 1));
      const kind = next();
      if (kind < 0.25) text = text.slice(0, at);
      else if (kind < 0.5) text = text.slice(0, at) + text.slice(at + Math.floor(next() * 40));
      else text = text.slice(0, at) + pick(NOISE) + text.slice(at);
    }
    let file: FfiFile;
    try {
      file = await parseCSource(text, { fileName: join(SHAPES_INCLUDE, 'fuzz.h'), readFile: (p) => headers[p] ?? null });
    } catch (err) {
      assert.fail(`round ${round} threw ${String(err)} on:\n${text}`);
    }
    assert.ok(Array.isArray(file.functions) && Array.isArray(file.calls) && Array.isArray(file.records));
    try {
      assertAllPlaceable(file);
    } catch (err) {
      assert.fail(`round ${round}: ${String(err)} on:\n${text}`);
    }
  }
});
