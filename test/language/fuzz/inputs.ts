// Inputs for fuzzing the FFI parsers: token soups of each language's own vocabulary (so the
// parsers get far enough to recurse), fixtures mutated by splicing, and the pathological shapes
// that crashed them once (`POINTER(` × 5,000, `(` × 1,000, a 1 MB line). Shared by the test
// suite (bounded in time) and bench/fuzz-parsers.mts (the long run).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseCSource } from '../../../src/language/c/parse';
import { parseCtypes } from '../../../src/language/ctypes/parse';
import { hoverMarkdown, subjectAt } from '../../../src/language/ffi/hover';
import type { FfiFile } from '../../../src/language/ffi/model';
import { parseKoffi } from '../../../src/language/koffi/parse';
import { parsePrototypeString } from '../../../src/language/koffi/prototype';
import { parseTypeString } from '../../../src/language/koffi/types';

export type Language = 'koffi' | 'ctypes' | 'c';

const VOCABULARY: Record<Language, readonly string[]> = {
  koffi: [
    "const koffi = require('koffi');\n", "import koffi from 'koffi';\n", "const lib = koffi.load('x.so');\n", 'lib.func(', 'lib.stdcall(',
    'koffi.struct(', 'koffi.union(', 'koffi.pointer(', 'koffi.array(', 'koffi.proto(', 'koffi.opaque(', 'koffi.alias(', "'int f(int a, double *b)'",
    "'Point *'", "'P'", "'str'", "'int'", "'int [4]'", '{ x: ', "'double'", ' }', '[', ']', '(', ')', ', ', ';\n', 'const P = ', 'await import(',
    '.default', 'f(', '1', "'...'", 'koffi.out(', 'const { default: k } = ', 'x.', 'a', '`t${', '}`', '/*', '*/', '//', '\n', '!', 'as any',
  ],
  ctypes: [
    'import ctypes\n', 'from ctypes import *\n', "lib = CDLL('x')\n", 'lib.f.argtypes = ', 'lib.f.restype = ', 'POINTER(', 'c_int', 'c_double',
    'CFUNCTYPE(', '(', ')', '[', ']', ', ', '\n', 'class S(Structure):\n', 'class U(Union):\n', '    _fields_ = ', '    _pack_ = 1\n', "('a', ",
    'c_uint, 3)', ' * 4', 'S', 'self._dll', 'def h(fn, r, *a):\n    fn.argtypes = a\n', 'h(lib.g, ', 'lib.f(', '1', '"s"', 'getattr(lib, ',
    ' = ', '.', 'None', '#', '    ', 'lambda: ', '**', '@', ':',
  ],
  c: [
    'int ', 'double ', 'struct S ', '{ ', '}', ';\n', '(', ')', '*', '[4]', ', ', 'f', 'x', 'typedef ', 'union ', '#define EXPORT(t) t\n',
    '#define API __attribute__((visibility("default")))\n', 'EXPORT(int) ', 'API ', '#if X\n', '#ifdef Y\n', '#else\n', '#endif\n',
    '#pragma pack(push, 1)\n', '#pragma pack(pop)\n', ' : 3', '...', 'void', '__stdcall ', 'return ', 'f(1, 2)', '/*', '*/', '"', "'", '\\\n', '\n',
    '#include "nothere.h"\n', 'enum E { A = 1 << 40 }', 'sizeof(', '->',
  ],
};

/** A token soup of `language`, up to `maxTokens` long. */
export function soup(language: Language, maxTokens = 200): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...VOCABULARY[language]), { maxLength: maxTokens }).map((tokens) => tokens.join(''));
}

/** A token repeated many times (the shape of every stack overflow so far), inside a little context. */
export function deepNest(language: Language): fc.Arbitrary<string> {
  const openers: Record<Language, string[]> = {
    koffi: ['(', '[', '{ a: ', 'koffi.pointer(', 'x.', '!', '-', 'a ? b : ', "koffi.struct({ a: ", 'f(', '`${'],
    ctypes: ['POINTER(', '(', '[', 'x.', '-', 'not ', 'a if b else ', 'c_int * ', 'f(', '{1: '],
    c: ['(', '*', '{ ', 'struct { ', '[', '-', '!', 'a ? b : ', '#if X\n', 'f('],
  };
  const prefix: Record<Language, string> = {
    koffi: "const koffi = require('koffi');\nconst lib = koffi.load('x');\nconst f = lib.func('f', 'int', [",
    ctypes: "import ctypes\nfrom ctypes import *\nlib = CDLL('x')\nlib.f.argtypes = [",
    c: 'int f(int a) { return ',
  };
  return fc
    .record({
      opener: fc.constantFrom(...openers[language]),
      count: fc.integer({ min: 100, max: 6000 }),
      newlines: fc.boolean(),
      closed: fc.boolean(),
    })
    .map(({ opener, count, newlines, closed }) => {
      const open = (newlines ? `${opener}\n` : opener).repeat(count);
      return `${prefix[language]}${open}1${closed ? ')'.repeat(count) : ''}\n`;
    });
}

/** Fixture files of a language, to mutate. */
export function fixtureTexts(language: Language): string[] {
  const dirs: Record<Language, string[]> = {
    koffi: ['fixtures/koffi', 'fixtures/koffi-imports', 'fixtures/check', 'fixtures/check-hints'],
    ctypes: ['fixtures/ctypes', 'fixtures/ctypes-idioms', 'fixtures/check'],
    c: ['fixtures/c', 'fixtures/c/shapes', 'fixtures/check', 'fixtures/ctypes-idioms'],
  };
  const wanted: Record<Language, RegExp> = { koffi: /\.(js|cjs|mjs|ts)(\.txt)?$/, ctypes: /\.py$/, c: /\.[ch]$/ };
  const texts: string[] = [];
  for (const dir of dirs[language]) {
    const path = fileURLToPath(new URL(`../${dir}`, import.meta.url));
    for (const name of readdirSync(path)) {
      if (wanted[language].test(name) && statSync(join(path, name)).isFile()) texts.push(readFileSync(join(path, name), 'utf8'));
    }
  }
  return texts;
}

/** A fixture with random cuts, duplications and splices of vocabulary or of any characters. */
export function mutated(language: Language): fc.Arbitrary<string> {
  const texts = fixtureTexts(language);
  const edit = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 200 }),
    insert: fc.oneof(fc.constantFrom(...VOCABULARY[language]), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })),
    times: fc.integer({ min: 1, max: 50 }),
  });
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 8 })).map(([text, edits]) => {
    let out = text;
    for (const e of edits) {
      const at = e.at % (out.length + 1);
      out = out.slice(0, at) + e.insert.repeat(e.times) + out.slice(at + e.cut);
    }
    return out;
  });
}

/** Any input of a language: soups, mutated fixtures and deep nests, mixed. */
export function anyInput(language: Language): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: soup(language), weight: 3 }, { arbitrary: mutated(language), weight: 3 }, { arbitrary: deepNest(language), weight: 1 });
}

/** The pathological inputs that crashed the parsers or ran for seconds before they were bounded. */
export function pathologicalInputs(): { name: string; language: Language; text: string }[] {
  const longLine = (n: number, unit: string) => unit.repeat(Math.ceil(n / unit.length));
  return [
    { name: 'POINTER( × 5000 on one line', language: 'ctypes', text: `from ctypes import *\nlib = CDLL('x')\nlib.f.argtypes = [${'POINTER('.repeat(5000)}c_int${')'.repeat(5000)}]\n` },
    { name: 'POINTER( × 5000 over lines', language: 'ctypes', text: `from ctypes import *\nlib = CDLL('x')\nlib.f.argtypes = [${'POINTER(\n'.repeat(5000)}c_int${')'.repeat(5000)}]\n` },
    { name: '( × 1000 in Python', language: 'ctypes', text: `import ctypes\nx = ${'('.repeat(1000)}1${')'.repeat(1000)}\n` },
    { name: 'f( × 1000 in Python', language: 'ctypes', text: `import ctypes\nx = ${'f('.repeat(1000)}1${')'.repeat(1000)}\n` },
    { name: '( × 1000 in a koffi call', language: 'koffi', text: `const koffi = require('koffi');\nconst lib = koffi.load('x');\nlib.func(${'(\n'.repeat(1000)}'int f(int)'${')'.repeat(1000)});\n` },
    { name: 'a member chain of 5000', language: 'koffi', text: `const koffi = require('koffi');\nconst f = lib${'.a\n'.repeat(5000)}.func('int f(int a)');\n` },
    { name: 'koffi.pointer( × 3000', language: 'koffi', text: `const koffi = require('koffi');\nconst T = ${'koffi.pointer(\n'.repeat(3000)}'int'${')'.repeat(3000)};\n` },
    { name: "'int' and 100,000 stars", language: 'koffi', text: `const koffi = require('koffi');\nconst lib = koffi.load('x');\nlib.func('f', ${"'int" + '*'.repeat(19000) + "'"}, []);\n` },
    { name: 'a 1 MB line of koffi', language: 'koffi', text: `const koffi = require('koffi');\nconst lib = koffi.load('x');\nlib.func('int f(${longLine(1_000_000, 'int a, ')}int z)');\n` },
    { name: 'a 1 MB line of ctypes', language: 'ctypes', text: `import ctypes\nlib = ctypes.CDLL('x')\nlib.f.argtypes = [${longLine(1_000_000, 'ctypes.c_int, ')}]\n` },
    { name: 'a 1 MB line of C', language: 'c', text: `int f(${longLine(1_000_000, 'int a, ')}int z);\n` },
    { name: '( × 1000 in C', language: 'c', text: `int f(int a) { return ${'(\n'.repeat(1000)}a${')'.repeat(1000)}; }\n` },
    { name: 'nested anonymous structs × 3000', language: 'c', text: `struct S {\n${'struct {\n'.repeat(3000)}int x;\n${'} a;\n'.repeat(3000)}};\nint f(struct S s);\n` },
    { name: 'nested #if × 2000', language: 'c', text: `${'#if 1\n'.repeat(2000)}int f(int a);\n${'#endif\n'.repeat(2000)}` },
    { name: '4,000 pointer declarator levels', language: 'c', text: `int ${'*\n'.repeat(4000)}f(int a);\n` },
    { name: 'a 3 MB file', language: 'c', text: 'int f(int a);\n'.repeat(220_000) },
  ];
}

/** Every parser entry point on one input; also each declaration's hover (which places its prototype). */
export async function parseEverywhere(language: Language, text: string): Promise<FfiFile> {
  let file: FfiFile;
  if (language === 'koffi') {
    file = await parseKoffi(text, 'typescript');
    await parseKoffi(text, 'javascript');
    parsePrototypeString(text.slice(0, 4096));
    parseTypeString(text.slice(0, 4096), () => null);
  } else if (language === 'ctypes') {
    file = await parseCtypes(text);
  } else {
    file = await parseCSource(text, { readFile: () => null });
  }
  for (const fn of file.functions.slice(0, 20)) {
    const at = fn.nameRanges[0]?.start ?? fn.range.start;
    const subject = subjectAt(file, at);
    if (subject) hoverMarkdown(subject, { target: 'x86_64-sysv' });
  }
  return file;
}
