// The quick fix: rewriting each mismatched koffi declaration from its C prototype makes the check
// of the fixture tree pass for it (checked by writing the fixed file and checking again).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { rewriteKoffiDeclaration } from '../../src/language/ffi-fix';
import { checkTree } from '../../src/language/ffi-workspace';

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

test('fixing every koffi declaration from its C prototype leaves only struct-definition differences', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-fix-'));
  try {
    cpSync(fixtures, dir, { recursive: true });
    const before = (await checkTree(dir, 'x86_64-sysv')).filter((m) => /\.(js|ts)$/.test(m.path));
    assert.ok(before.length > 0, 'the fixtures have koffi mismatches');
    // Apply from the last to the first so earlier ranges stay valid.
    const byFile = new Map<string, typeof before>();
    for (const m of before) byFile.set(m.path, [...(byFile.get(m.path) ?? []), m]);
    for (const [path, mismatches] of byFile) {
      let text = readFileSync(join(dir, path), 'utf8');
      for (const m of [...mismatches].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
        const start = offsetOf(text, m.range.start.line, m.range.start.character);
        const end = offsetOf(text, m.range.end.line, m.range.end.character);
        const fixed = rewriteKoffiDeclaration(text.slice(start, end), m.cPrototype);
        assert.ok(fixed, `a fix for ${m.function}`);
        text = text.slice(0, start) + fixed + text.slice(end);
      }
      writeFileSync(join(dir, path), text);
    }
    // A koffi.struct that differs from the C struct is not the declaration's fault: it stays.
    const after = (await checkTree(dir, 'x86_64-sysv')).filter((m) => /\.(js|ts)$/.test(m.path));
    const left = after.flatMap((m) => m.differences.map((d) => `${m.function}: ${d}`));
    assert.ok(after.length < before.length, 'the fix resolved mismatches');
    for (const difference of left) assert.match(difference, /member `/, `only struct members differ: ${difference}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
