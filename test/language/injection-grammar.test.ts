// The injection grammar that colours C prototypes inside koffi strings: valid JSON, registered
// in package.json, and its rules (Oniguruma syntax that JavaScript shares here) find the start of
// a prototype string and the types, name, pointers and `...` inside it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const grammar = JSON.parse(readFileSync(new URL('../../syntaxes/koffi-c-injection.tmLanguage.json', import.meta.url), 'utf8'));
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** Scopes the c-prototype rules give to each token of `text`, in order, the first matching rule winning. */
function scopesOf(text: string): [string, string][] {
  const rules = grammar.repository['c-prototype'].patterns as { name?: string; match: string; captures?: Record<string, { name: string }> }[];
  const out: [string, string][] = [];
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at]!)) {
      at++;
      continue;
    }
    let best: { index: number; length: number; token: string; scope: string } | null = null;
    for (const rule of rules) {
      const re = new RegExp(rule.match, 'y');
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) continue;
      const token = rule.captures ? m[1]! : m[0];
      best = { index: at, length: token.length, token, scope: rule.name ?? rule.captures!['1']!.name };
      break;
    }
    if (!best) {
      at++;
      continue;
    }
    out.push([best.token, best.scope]);
    at += best.length;
  }
  return out;
}

test('the grammar is registered for TS/JS and injects into them', () => {
  const entry = manifest.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName);
  assert.ok(entry, 'package.json contributes the grammar');
  assert.deepEqual(entry.injectTo.sort(), ['source.js', 'source.js.jsx', 'source.ts', 'source.tsx']);
});

test('a koffi call opens the embedded prototype at its first string argument only', () => {
  const begin = new RegExp(grammar.repository['koffi-call'].begin);
  assert.ok(begin.test("const add = lib.func('int add(int a, int b)');"));
  assert.ok(begin.test('const Cb = koffi.proto("int Cb(int v)");'));
  assert.ok(!begin.test("console.log('int add(int a)');"));
});

test('types, the function name, pointers and ... get their scopes', () => {
  assert.deepEqual(scopesOf('const char *fmt_log(const char *fmt, ...)'), [
    ['const', 'storage.modifier.c'],
    ['char', 'storage.type.c'],
    ['*', 'keyword.operator.pointer.c'],
    ['fmt_log', 'entity.name.function.c'],
    ['(', 'punctuation.section.parameters.c'],
    ['const', 'storage.modifier.c'],
    ['char', 'storage.type.c'],
    ['*', 'keyword.operator.pointer.c'],
    ['fmt', 'variable.parameter.c'],
    [',', 'punctuation.separator.parameters.c'],
    ['...', 'keyword.operator.variadic.c'],
    [')', 'punctuation.section.parameters.c'],
  ]);
});
