// The quick fix: rewriting each mismatched koffi or ctypes declaration from its C prototype makes
// the check of the fixture tree pass for it (checked by writing the fixed file and checking again).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { rewriteCtypesDeclaration, rewriteKoffiDeclaration } from '../../src/language/ffi/fix';
import type { LocatedMismatch } from '../../src/language/ffi/workspace';
import { checkTree } from '../../src/language/ffi/workspace';

const fixtures = fileURLToPath(new URL('fixtures/check', import.meta.url));

function offsetOf(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  return lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
}

test('the rewrite keeps the callee and quotes the prototype', () => {
  assert.equal(rewriteKoffiDeclaration("lib.func('int add(int a)')", 'long add(long a, long b)'), "lib.func('long add(long a, long b)')");
  assert.equal(rewriteKoffiDeclaration("lib.stdcall('add', 'int', ['int'])", "int add(const char *s)"), "lib.stdcall('int add(const char *s)')");
  assert.equal(rewriteKoffiDeclaration('lib.func', 'int f(void)'), null);
});

test('a ctypes rewrite replaces argtypes and restype, keeps comments and adds a missing restype', () => {
  const wanted = { argtypes: '[c_int32, c_float, c_char_p]', restype: 'c_int' };
  assert.equal(
    rewriteCtypesDeclaration('lib.f.argtypes = [c_int,\n    c_double]  # two\nlib.f.restype = c_long', wanted),
    'lib.f.argtypes = [c_int32, c_float, c_char_p]  # two\nlib.f.restype = c_int',
  );
  assert.equal(rewriteCtypesDeclaration('    f.argtypes = (c_int,)', wanted), '    f.argtypes = [c_int32, c_float, c_char_p]\n    f.restype = c_int');
  assert.equal(rewriteCtypesDeclaration("f.argtypes = [c_char_p]  # '#' in a comment", wanted), "f.argtypes = [c_int32, c_float, c_char_p]  # '#' in a comment\nf.restype = c_int");
  assert.equal(rewriteCtypesDeclaration('f.restype = c_int', wanted), null);
});

function fixed(text: string, m: LocatedMismatch): string | null {
  if (!m.path.endsWith('.py')) return rewriteKoffiDeclaration(text, m.cPrototype);
  return m.ctypes ? rewriteCtypesDeclaration(text, m.ctypes) : null;
}

test('fixing every koffi and ctypes declaration from its C prototype leaves only struct-definition differences', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-fix-'));
  try {
    cpSync(fixtures, dir, { recursive: true });
    const before = await checkTree(dir, 'x86_64-sysv');
    for (const language of [/\.js$/, /\.py$/]) assert.ok(before.some((m) => language.test(m.path)), `the fixtures have ${language} mismatches`);
    // Apply from the last to the first so earlier ranges stay valid.
    const byFile = new Map<string, typeof before>();
    for (const m of before) byFile.set(m.path, [...(byFile.get(m.path) ?? []), m]);
    for (const [path, mismatches] of byFile) {
      let text = readFileSync(join(dir, path), 'utf8');
      for (const m of [...mismatches].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
        const start = offsetOf(text, m.range.start.line, m.range.start.character);
        const end = offsetOf(text, m.range.end.line, m.range.end.character);
        const replacement = fixed(text.slice(start, end), m);
        assert.ok(replacement, `a fix for ${m.function} in ${path}`);
        text = text.slice(0, start) + replacement + text.slice(end);
      }
      writeFileSync(join(dir, path), text);
    }
    // A struct declared differently from C is not the function declaration's fault, and ctypes
    // cannot declare a function variadic: those stay.
    const after = await checkTree(dir, 'x86_64-sysv');
    const left = after.flatMap((m) => m.differences.map((d) => `${m.path} ${m.function}: ${d}`));
    assert.ok(after.length < before.length, 'the fix resolved mismatches');
    for (const difference of left) assert.match(difference, /member `|\.py scene_log: C is variadic/, `only struct members differ: ${difference}`);
    assert.match(readFileSync(join(dir, 'scene.py'), 'utf8'), /lib\.scene_add\.restype = c_int  # C returns int/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
