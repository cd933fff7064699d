// Unit tests of the C front end: what it accepts, how it spells and sizes types, and the
// errors (with line:col) it gives for input it cannot accept.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseC } from '../../../src/abi/c';
import { AbiInputError, type RecordType } from '../../../src/abi/model';
import { dataModel } from '../../../src/abi/targets';

const sysv = dataModel('x86_64-sysv');
const win64 = dataModel('x86_64-win64', 'clang');
const mingw = dataModel('x86_64-win64', 'gcc');
const aarch64 = dataModel('aarch64-aapcs64');

function record(decls: string, tag: string, model = sysv): RecordType {
  const found = parseC(decls, model).records.get(tag);
  assert.ok(found, `${tag} not declared`);
  return found;
}

function fails(decls: string, message: RegExp, model = sysv): void {
  assert.throws(() => parseC(decls, model), (err: unknown) => err instanceof AbiInputError && message.test(err.message));
}

test('integer spellings resolve to the right shapes and keep their spelling', () => {
  const p = parseC('', sysv);
  const cases: [string, number, boolean][] = [
    ['signed char', 1, true], ['unsigned short int', 2, false], ['long long', 8, true], ['long unsigned', 8, false],
    ['_Bool', 1, false], ['bool', 1, false], ['unsigned', 4, false], ['short', 2, true], ['long int', 8, true],
    ['unsigned __int128', 16, false], ['__int128_t', 16, true], ['__uint128_t', 16, false], ['size_t', 8, false],
    ['ssize_t', 8, true], ['int8_t', 1, true], ['uint64_t', 8, false], ['wchar_t', 4, true], ['ptrdiff_t', 8, true],
  ];
  for (const [text, size, signed] of cases) {
    const t = p.typeName(text);
    assert.equal(t.kind, 'int', text);
    assert.equal(t.size, size, text);
    assert.equal(t.kind === 'int' && t.signed, signed, text);
    assert.equal(t.spelling, text);
  }
  assert.equal(parseC('', win64).typeName('long').size, 4);
  assert.equal(parseC('', win64).typeName('wchar_t').size, 2);
  assert.equal(parseC('', win64).typeName('size_t').size, 8);
});

test('char signedness follows the target', () => {
  const signedness = (model = sysv) => {
    const t = parseC('', model).typeName('char');
    return t.kind === 'int' && t.signed;
  };
  assert.equal(signedness(sysv), true);
  assert.equal(signedness(aarch64), false);
  assert.equal(signedness(dataModel('arm64-apple')), true);
});

test('floating and complex types per data model', () => {
  const p = parseC('', sysv);
  assert.deepEqual([p.typeName('long double').size, p.typeName('long double').align], [16, 16]);
  assert.equal(parseC('', win64).typeName('long double').size, 8);
  const c = p.typeName('_Complex double');
  assert.equal(c.kind, 'complex');
  assert.equal(c.size, 16);
  assert.equal(p.typeName('float _Complex').size, 8);
  assert.equal(p.typeName('__complex__ long double').size, 32);
  assert.equal(p.typeName('__float128').size, 16);
  assert.throws(() => parseC('', win64).typeName('__float128'), /not supported on x86_64-win64 with clang/);
  assert.throws(() => parseC('', aarch64).typeName('__float128'), AbiInputError);
  assert.equal(parseC('', mingw).typeName('__float128').size, 16);
});

test('pointer and function pointer spellings', () => {
  const p = parseC('typedef struct Point { int x, y; } Point;', sysv);
  const spell = (t: string) => p.typeName(t).spelling;
  assert.equal(spell('const char *'), 'const char *');
  assert.equal(spell('char **'), 'char **');
  assert.equal(spell('char*const*'), 'char * const *');
  assert.equal(spell('int (*)(int)'), 'int (*)(int)');
  assert.equal(spell('int (*)[4]'), 'int (*)[4]');
  assert.equal(spell('int (*[3])(int, ...)'), 'int (*[3])(int, ...)');
  assert.equal(spell('Point *'), 'Point *');
  assert.equal(spell('struct Point'), 'struct Point');
  assert.equal(p.typeName('Point').size, 8);
  assert.equal(p.typeName('void (*)(void)').spelling, 'void (*)(void)');
});

test('prototypes: names, unnamed params, decay, void and variadic', () => {
  const p = parseC('struct S0 { short a; float b; }; typedef int arr4[4];', sysv);
  const f = p.prototype('unsigned long f(struct S0 p0, double, int a[3], int g(int), arr4 q, ...)');
  assert.equal(f.name, 'f');
  assert.equal(f.type.variadic, true);
  assert.equal(f.type.ret.spelling, 'unsigned long');
  assert.deepEqual(f.type.params.map((x) => `${x.name}: ${x.type.spelling}`), [
    'p0: struct S0', 'p1: double', 'a: int *', 'g: int (*)(int)', 'q: int *',
  ]);
  assert.equal(p.prototype('void f(void)').type.params.length, 0);
  assert.equal(p.prototype('void f()').type.params.length, 0);
  assert.equal(p.prototype('extern int (*getter(void))(int);').type.ret.spelling, 'int (*)(int)');
});

test('enums: size, signedness, expressions and earlier enumerators', () => {
  const p = parseC('enum E { A = 1, B = A << 3, C, D = sizeof(long) * 2 }; enum Big { X = 1ULL << 40 }; enum Neg { N = -1 };', sysv);
  const e = p.typeName('enum E');
  assert.equal(e.size, 4);
  assert.equal(e.kind === 'int' && e.enumTag, 'E');
  assert.equal(p.typeName('enum Big').size, 8);
  const neg = p.typeName('enum Neg');
  assert.equal(neg.kind === 'int' && neg.signed, true);
  const arr = parseC('enum E { A = 1, B = A << 3, C }; struct S { char x[C]; };', sysv).records.get('struct S');
  assert.equal(arr?.size, 9);
  assert.equal(parseC('enum Big { X = 1ULL << 40 };', win64).typeName('enum Big').size, 4);
});

test('records: nested, anonymous members, forward declarations and self pointers', () => {
  const p = parseC(`
    struct Node;
    typedef struct Node Node;
    struct Node { Node *next; struct Node *prev; int value; };
    struct Outer { char c; struct Inner { double d; } in; union { int i; float f; }; struct { char a, b; }; };
  `, sysv);
  const node = p.records.get('struct Node');
  assert.equal(node?.size, 24);
  assert.equal(p.typeName('Node').size, 24);
  const outer = p.records.get('struct Outer');
  assert.deepEqual(outer?.fields.map((f) => [f.name, f.offset]), [['c', 0], ['in', 8], [null, 16], [null, 20]]);
  assert.equal(outer?.size, 24);
  assert.deepEqual(outer?.holes, [{ offset: 1, size: 7 }, { offset: 22, size: 2 }]);
  assert.ok(p.records.get('struct Inner'));
});

test('bit-fields: offsets, unnamed and zero-width', () => {
  const s = record('struct B { char a; int b : 5; int : 0; unsigned c : 3; long long : 7; char d; };', 'struct B');
  const b = s.fields.find((f) => f.name === 'b');
  assert.deepEqual([b?.offset, b?.bitOffset, b?.bitWidth], [0, 8, 5]);
  const c = s.fields.find((f) => f.name === 'c');
  assert.deepEqual([c?.offset, c?.bitOffset], [4, 0]);
  assert.equal(s.size, 8);
  assert.equal(s.align, 4);
  // Unnamed bit-fields do not align the record on x86-64 but do on AArch64 Linux.
  assert.equal(record('struct U { char c; int : 4; };', 'struct U').align, 1);
  assert.equal(record('struct U { char c; int : 4; };', 'struct U', aarch64).align, 4);
});

test('flexible arrays, GNU empty structs and zero-length arrays', () => {
  const f = record('struct F { int n; double xs[]; };', 'struct F');
  assert.equal(f.size, 8);
  assert.equal(f.hasFlexibleArray, true);
  assert.equal(record('struct E {};', 'struct E').size, 0);
  assert.equal(record('struct E {};', 'struct E', mingw).size, 0);
  assert.equal(record('struct E {};', 'struct E', win64).size, 4);
  assert.equal(record('struct Z { int n; char z[0]; };', 'struct Z').size, 4);
});

test('packed, aligned, _Alignas and #pragma pack', () => {
  assert.equal(record('struct __attribute__((packed)) P { char c; int i; };', 'struct P').size, 5);
  assert.equal(record('struct P { char c; int i; } __attribute__((__packed__));', 'struct P').size, 5);
  const a = record('struct A { char c; } __attribute__((aligned(8)));', 'struct A');
  assert.deepEqual([a.size, a.align], [8, 8]);
  assert.equal(record('struct A { char c; } __attribute__((aligned));', 'struct A').align, 16);
  assert.equal(record('struct A { char c; _Alignas(16) char d; };', 'struct A').size, 32);
  assert.equal(record('struct A { char c; _Alignas(double) char d; };', 'struct A').size, 16);
  assert.equal(record('struct A { char c; int i __attribute__((aligned(16))); };', 'struct A').size, 32);
  assert.equal(record('typedef int I2 __attribute__((aligned(2))); struct A { char c; I2 i; };', 'struct A').size, 6);
  const packs = `
    #pragma pack(push, 2)
    struct P2 { char c; double d; };
    #pragma pack(1)
    struct P1 { char c; double d; };
    #pragma pack(pop)
    struct P8 { char c; double d; };
    #pragma pack(4)
    #pragma pack()
    struct P0 { char c; double d; };`;
  const p = parseC(packs, sysv);
  assert.deepEqual(['struct P2', 'struct P1', 'struct P8', 'struct P0'].map((t) => p.records.get(t)?.size), [10, 9, 16, 16]);
});

test('comments, preprocessor lines, qualifiers and storage classes are accepted', () => {
  const p = parseC(`
    #include <stdint.h>
    #define X 3 \\
      + 4
    // line comment
    /* block
       comment */
    extern const volatile int g;
    static int __restrict__ *restrict_ptr;
    typedef const struct S { int a; } CS;
    int f(const char *restrict s, int n) { return 0; }
  `, sysv);
  assert.equal(p.typeName('CS').spelling, 'CS');
  assert.equal(p.typedefs.get('CS')?.size, 4);
});

test('errors carry line:col', () => {
  fails('struct A { int a; }', /^1:20: expected a name, found end of input/);
  fails('struct A {\n  int a : 40;\n};', /^2:7: width 40 of bit-field 'a' exceeds its type 'int'/);
  fails('struct A { struct B b; };', /^1:21: member 'b' has incomplete type 'struct B'/);
  fails('int x[-1];', /^1:7: array size -1 is negative/);
  fails('struct A { int a; };\nstruct A { int b; };', /^2:8: redefinition of 'struct A'/);
  fails('struct A { double d[]; int n; };', /flexible array member must be the last member/);
  fails('struct A { long long long x; };', /'long long long' is not a valid type/);
  fails('struct A { int x : 0; };', /zero-width bit-field 'x' must be unnamed/);
  fails('struct A { int a; } __attribute__((aligned(3)));', /not a positive power of 2/);
  fails('typedef int T[1 / 0];', /division by zero/);
  fails('int a = 1 /* unterminated', /1:11: unterminated comment/);
  fails('Mystery x;', /^1:1: expected a declaration/);
  assert.throws(() => parseC('', sysv).prototype('int f(struct Nope x)'), /1:5: parameter 'x' has incomplete type 'struct Nope'/);
  assert.throws(() => parseC('', sysv).prototype('int f'), /'int' is not a function prototype/);
  assert.throws(() => parseC('', sysv).typeName('int int'), /not a valid type/);
});
