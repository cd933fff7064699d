// The ctypes parser: declarations, calls and records become C the ABI engine accepts, and the
// records' layout agrees with real ctypes (python3) wherever ctypes agrees with C compilers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseC } from '../../src/abi/c';
import { placeRequest } from '../../src/abi/contract';
import { dataModel } from '../../src/abi/targets';
import { legacyCtypesLayout } from '../../src/language/ctypes/bitfields';
import { parseCtypes } from '../../src/language/ctypes/parse';
import type { FfiFile, FfiFunction } from '../../src/language/ffi/model';

const FIXTURES = join(__dirname, 'fixtures', 'ctypes');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function fn(file: FfiFile, name: string): FfiFunction {
  const found = file.functions.find((f) => f.name === name);
  assert.ok(found, `function ${name} not found; have ${file.functions.map((f) => f.name).join(', ')}`);
  return found;
}

/** The text a range covers. */
function slice(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [lines[r.start.line]!.slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.character)].join('\n');
}

function assertPlaceable(f: FfiFunction): void {
  assert.ok(f.prototype, `${f.name}: ${f.problems.join('; ')}`);
  assert.doesNotThrow(() => placeRequest({ target: 'x86_64-sysv', decls: f.decls, proto: f.prototype }), `${f.name}: ${f.decls}\n${f.prototype}`);
}

test('argtypes/restype on library attributes and aliases become prototypes', async () => {
  const text = fixture('basic.py');
  const file = await parseCtypes(text);
  assert.equal(fn(file, 'add').prototype, 'double add(int p0, int p1)');
  assert.equal(fn(file, 'add').binding, 'lib.add');
  assert.equal(fn(file, 'scale').prototype, 'void scale(double *p0, size_t p1)');
  assert.equal(fn(file, 'scale').binding, 'scale');
  assert.equal(fn(file, 'nothing').prototype, 'int nothing(void)', 'empty argtypes is (void); missing restype is ctypes’ int');
  assert.equal(fn(file, 'untyped').prototype, null);
  assert.match(fn(file, 'untyped').problems.join(), /argtypes is not set/);
  for (const f of file.functions.filter((f) => f.prototype)) assertPlaceable(f);

  const add = fn(file, 'add');
  assert.deepEqual(add.nameRanges.map((r) => slice(text, r)), ['add', 'add']);
  assert.equal(slice(text, add.range), 'lib.add.argtypes = [c_int, c_int]\nlib.add.restype = c_double');
  const scale = fn(file, 'scale');
  assert.deepEqual(scale.nameRanges.map((r) => slice(text, r)), ['scale', 'scale']);

  const call = file.calls.find((c) => c.callee === 'lib.add')!;
  assert.equal(slice(text, call.range), 'lib.add(1, 2)');
  assert.equal(slice(text, call.calleeRange), 'lib.add');
  assert.deepEqual(call.argumentRanges.map((r) => slice(text, r)), ['1', '2']);
  const scaleCall = file.calls.find((c) => c.callee === 'scale')!;
  assert.deepEqual(scaleCall.argumentRanges.map((r) => slice(text, r)), ['buf', 'len(buf)']);
  assert.equal(file.calls.length, 3, 'len() and print() are not foreign calls');
});

test('imports, aliases, library kinds, callbacks and prototype bindings', async () => {
  const text = fixture('forms.py');
  const file = await parseCtypes(text);
  const proto = (name: string) => fn(file, name).prototype;
  assert.equal(proto('qsort'), 'void qsort(void *p0, size_t p1, size_t p2, int (*p3)(int *, int *))');
  assert.equal(proto('frexp'), 'double frexp(double p0, int *p1)');
  assert.equal(proto('GetModuleHandleW'), 'void *GetModuleHandleW(wchar_t *p0)');
  assert.equal(fn(file, 'GetModuleHandleW').convention, 'stdcall', 'windll');
  assert.equal(fn(file, 'MessageBoxW').convention, 'stdcall', 'WinDLL');
  assert.equal(fn(file, 'CoInitialize').convention, 'stdcall', 'OleDLL');
  assert.equal(fn(file, 'Py_IncRef').convention, 'default', 'PyDLL');
  assert.equal(proto('PyLong_FromLong'), 'void *PyLong_FromLong(long p0)');
  assert.equal(proto('strlen'), 'size_t strlen(char *p0)', 'getattr(); an array argument is passed as a pointer');
  assert.equal(fn(file, 'strlen').binding, 'strlen');
  assert.equal(proto('odd$name'), 'int odd_name(int8_t p0, uint64_t p1)', "lib['name']");
  assert.equal(proto('register_handler'), 'int register_handler(void (*p0)(int), unsigned char *p1)');
  assert.equal(proto('make_cb'), 'int (*make_cb(void))(int *, int *)');
  assert.equal(proto('hypot'), 'double hypot(double p0, double p1)', "PROTO(('hypot', lib))");
  assert.equal(proto('wrap'), '_Bool wrap(char *p0)', 'a library bound to self._lib');
  for (const f of file.functions.filter((f) => f.prototype)) assertPlaceable(f);

  const frexpCall = file.calls.find((c) => c.callee === 'libm.frexp')!;
  assert.deepEqual(frexpCall.argumentRanges.map((r) => slice(text, r)), ['2.5', 'C.byref(exp)'], 'no hint after *rest');
  assert.equal(file.calls.find((c) => c.callee === 'self._lib.wrap')?.binding, 'self._lib.wrap');
  assert.ok(file.calls.some((c) => c.callee === 'hypot'));
  assert.deepEqual(fn(file, 'strlen').nameRanges.map((r) => slice(text, r)), ['strlen', '"strlen"']);
});

test('Structure and Union classes become C records, in dependency order', async () => {
  const file = await parseCtypes(fixture('records.py'));
  const record = (name: string) => file.records.find((r) => r.name === name)!;
  assert.equal(record('Point').decl, 'struct Point { int x; int y; };');
  assert.equal(record('Rect').decl, 'struct Point { int x; int y; };\nstruct Rect { struct Point origin; struct Point corners[2]; char tag[3]; };');
  assert.equal(record('Flags').decl, 'struct Flags { unsigned int a : 3; unsigned int b : 5; unsigned int c : 24; };');
  assert.equal(record('Packed').decl, '#pragma pack(push, 1)\nstruct Packed { char c; double d; short s; };\n#pragma pack(pop)');
  assert.equal(record('Value').decl, 'union Value { long long i; double d; unsigned char b[3]; };');
  assert.equal(record('Node').decl, 'struct Node { struct Node *next; int value; };', 'forward-declared, then _fields_ assigned');
  assert.equal(record('Extended').decl, 'struct Point { int x; int y; };\nstruct Extended { struct Point _base; char z; };');
  assert.equal(record('Wide').decl, 'struct Wide { _Bool flag; long double ld; wchar_t w; char *p; };');
  assert.equal(record('BE').decl, null);
  assert.match(record('BE').problems.join(), /BigEndianStructure is not supported/);
  for (const r of file.records.filter((r) => r.decl)) assert.doesNotThrow(() => parseC(r.decl!, dataModel('x86_64-sysv')), r.name);

  assert.equal(fn(file, 'move').prototype, 'struct Rect move(struct Rect p0, struct Point p1)');
  assert.equal(fn(file, 'walk').prototype, 'struct Node *walk(struct Node *p0)');
  assert.equal(fn(file, 'big').prototype, null);
  for (const name of ['area', 'move', 'walk']) assertPlaceable(fn(file, name));
});

test('what is not understood becomes problems, never exceptions', async () => {
  const file = await parseCtypes(fixture('broken.py'));
  assert.deepEqual(fn(file, 'f').problems, ["argtypes: unknown ctypes type 'Mystery'", "argtypes: unknown ctypes type 'Unknown'"]);
  assert.match(fn(file, 'g').problems.join(), /not a list we can read/);
  assert.match(fn(file, 'h').problems.join(), /restype: unknown ctypes type 'Bogus'/);
  assert.equal(fn(file, 'k').prototype, null, 'a struct by value that cannot be translated');
  assert.equal(fn(file, 'l').prototype, 'int l(struct T *p0)', 'a pointer only needs the tag');
  assert.deepEqual(fn(file, 'l').problems, []);
  assert.equal(fn(file, 'm').decls, 'struct Opaque;');
  assert.match(fn(file, 'n').problems.join(), /no _fields_/);
  for (const name of ['l', 'm']) assertPlaceable(fn(file, name));
});

// ---- differential: the layouts python3's ctypes computes ----------------------------------

const PROBE = `
import sys, json, ctypes, runpy
ns = runpy.run_path(sys.argv[1])
out = {}
for name, cls in ns.items():
    if isinstance(cls, type) and issubclass(cls, (ctypes.Structure, ctypes.Union)) and not cls.__module__.split('.')[0] in ('ctypes', '_ctypes'):
        bits = {}
        for f in cls.__dict__.get('_fields_', []):
            d = getattr(cls, f[0])
            # Bit-fields encode (width << 16) | bit offset in .size (3.12 and earlier).
            bits[f[0]] = d.offset * 8 + (d.size & 0xffff if len(f) == 3 and sys.version_info < (3, 13) else 0)
            if len(f) == 3 and sys.version_info >= (3, 13): bits[f[0]] = d.byte_offset * 8 + d.bit_offset
        out[name] = {'size': ctypes.sizeof(cls), 'align': ctypes.alignment(cls), 'fields': bits}
print(json.dumps({'version': list(sys.version_info[:2]), 'records': out}))
`;

interface Layout {
  size: number;
  align: number;
  fields: Record<string, number>;
}

test('differential: record layouts agree with python3 ctypes', async () => {
  const path = join(FIXTURES, 'layouts.py');
  const { stdout } = await promisify(execFile)('python3', ['-c', PROBE, path], { encoding: 'utf8' });
  const python = JSON.parse(stdout) as { version: [number, number]; records: Record<string, Layout> };
  const legacy = python.version[0] === 3 && python.version[1] < 13;
  const file = await parseCtypes(readFileSync(path, 'utf8'));
  assert.equal(file.records.length, Object.keys(python.records).length);
  const disagreements: string[] = [];
  for (const r of file.records) {
    assert.ok(r.decl, `${r.name}: ${r.problems.join('; ')}`);
    const engine = [...parseC(r.decl, dataModel('x86_64-sysv')).records.values()].find((x) => x.name === r.name)!;
    const own = engine.fields.filter((f) => f.name !== '_base');
    const layout: Layout = { size: engine.size, align: engine.align, fields: Object.fromEntries(own.map((f) => [f.name!, f.offset * 8 + (f.bitOffset ?? 0)])) };
    const py = python.records[r.name]!;
    const warned = r.problems.some((p) => p.includes('gh-97588'));
    if (JSON.stringify(layout) !== JSON.stringify(py)) disagreements.push(r.name);
    if (!legacy) {
      assert.deepEqual(layout, py, r.name);
      continue;
    }
    // Old ctypes: the C layout must match unless the record carries the bit-field warning,
    // and our replay of the old algorithm must reproduce python's positions exactly.
    assert.equal(warned, JSON.stringify(layout) !== JSON.stringify(py), `${r.name}: warned=${warned} C=${JSON.stringify(layout)} ctypes=${JSON.stringify(py)}`);
    if (engine.tag === 'struct') {
      const pack = /pack\(push, (\d+)\)/.exec(r.decl);
      const replay = legacyCtypesLayout(engine, pack ? Number(pack[1]) : null);
      const replayed = Object.fromEntries(replay.fields.filter((f) => f.name !== '_base').map((f) => [f.name!, f.bit]));
      assert.deepEqual({ size: replay.size, fields: replayed }, { size: py.size, fields: py.fields }, `replay of ${r.name}`);
    }
  }
  if (legacy) assert.deepEqual(disagreements, ['BitsAfterChar', 'MixedBits', 'BitsThenChar', 'PackedBits']);
});

// ---- robustness ----------------------------------------------------------------------------

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('truncated and mutated fixtures never throw', async () => {
  const next = random(20240611);
  const pieces = ['(', ')', '[', ']', ',', '*', '"', "'", ':', '\n', '    ', 'POINTER(', 'c_int', '_fields_ = ', '.argtypes = ', 'class X(Structure):', ' * 0', ' * 99999999999999999999', 'None', 'lib.', '#'];
  for (const name of ['basic.py', 'forms.py', 'records.py', 'broken.py', 'layouts.py']) {
    const text = fixture(name);
    for (let i = 0; i < 40; i++) {
      let mutated = text.slice(0, Math.floor(next() * text.length));
      if (i % 2 === 1) {
        mutated = text;
        for (let k = 0; k < 5; k++) {
          const at = Math.floor(next() * mutated.length);
          const cut = Math.floor(next() * 8);
          mutated = mutated.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + mutated.slice(at + cut);
        }
      }
      const file = await parseCtypes(mutated);
      for (const f of file.functions) {
        if (!f.prototype) continue;
        // Whatever we do produce must still be C the engine accepts (or rejects with an input error).
        try {
          placeRequest({ target: 'x86_64-sysv', decls: f.decls, proto: f.prototype });
        } catch (err) {
          assert.equal((err as Error).name, 'AbiInputError', `${name} #${i}: ${(err as Error).message}\n${f.decls}\n${f.prototype}`);
        }
      }
    }
  }
});
