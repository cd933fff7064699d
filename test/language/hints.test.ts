// Inlay hints at the FFI calls of the bundled examples, per target, as golden text; and a seeded
// fuzz: hints on mangled sources must never throw.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ffiHints } from '../../src/language/ffi/hints';
import { parseFfiFile } from '../../src/language/ffi/file';
import { assertGolden } from './golden';

const example = (name: string) => fileURLToPath(new URL(`../../examples/abi/${name}`, import.meta.url));

async function hintsText(path: string, target: 'x86_64-sysv' | 'x86_64-win64' | 'aarch64-aapcs64'): Promise<string> {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const hints = ffiHints(await parseFfiFile(path, text), { target });
  assert.ok(hints.length > 0, `${path} has hinted calls`);
  return hints.map((h) => `${h.position.line + 1}:${h.position.character + 1} ${h.label.padEnd(14)} ${lines[h.position.line]?.trim()}  [${h.tooltip}]`).join('\n') + '\n';
}

for (const [file, target] of [
  ['geometry.ts', 'x86_64-sysv'],
  ['geometry.ts', 'x86_64-win64'],
  ['geometry.py', 'aarch64-aapcs64'],
  ['geometry.c', 'x86_64-sysv'],
] as const) {
  test(`inlay hints of ${file} on ${target}`, async () => {
    assertGolden(`hints-${file.replace('.', '-')}-${target}.txt`, await hintsText(example(file), target));
  });
}

test('hints survive arbitrary edits (seeded fuzz)', async () => {
  const text = readFileSync(example('geometry.ts'), 'utf8');
  let seed = 20261124;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 60; round++) {
    let mangled = text;
    for (let edit = 0; edit < 5; edit++) {
      const at = Math.floor(random() * mangled.length);
      const cut = Math.floor(random() * 12);
      mangled = mangled.slice(0, at) + ['', '(', ')', ',', "'", '...'][Math.floor(random() * 6)] + mangled.slice(at + cut);
    }
    const file = await parseFfiFile('fuzz.ts', mangled);
    assert.doesNotThrow(() => ffiHints(file, { target: 'x86_64-sysv' }));
  }
});
