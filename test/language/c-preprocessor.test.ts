// C as the compiler sees it: export macros that wrap a type (`EXPORT(int)`), decoration macros
// and typedef chains in our own reading; with a compile_commands.json entry, the build's
// preprocessor (its -D flags deciding #ifdefs, macros that declare functions).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCSource } from '../../src/language/c/parse';
import { compileEntryFor, splitCommand } from '../../src/language/c/preprocessor';
import { checkWorkspace } from '../../src/language/ffi/workspace';

const MACROS = join(__dirname, 'fixtures', 'c-macros');

function hasGcc(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('EXPORT(type) wrappers, decoration macros and typedef chains are read without a compiler', async () => {
  const path = join(MACROS, 'lib.c');
  const file = await parseCSource(readFileSync(path, 'utf8'), { fileName: path });
  const protos = Object.fromEntries(file.functions.map((f) => [f.name, f.prototype]));
  assert.deepEqual(protos, {
    add_ints: 'int add_ints(int a, int b)',
    scale_pair: 'double scale_pair(Pair p, double by)',
    big_value: 'unsigned long long big_value(void)',
    next_widget: 'widget_id next_widget(widget_id after)',
    make_pair: 'Pair * make_pair(int32_t a, double b)',
  });
  for (const f of file.functions) assert.deepEqual(f.problems, [], f.name);
  const report = await checkWorkspace(MACROS, 'x86_64-sysv');
  assert.deepEqual(report.total, { found: 5, compared: 5, withoutC: 0, notUnderstood: 0 });
  assert.deepEqual(report.mismatches, []);
});

test('compile commands are split as a shell would, without one', () => {
  assert.deepEqual(splitCommand(`gcc -DNAME="a b" -I'inc dir' -c x.c`), ['gcc', '-DNAME=a b', '-Iinc dir', '-c', 'x.c']);
  assert.deepEqual(splitCommand('cc a\\ b "c\\"d"'), ['cc', 'a b', 'c"d']);
});

test('with compile_commands.json, the build preprocessor decides macros and #ifdefs', { skip: hasGcc() ? false : 'gcc is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-cc-'));
  try {
    const source = [
      '#include <stdint.h>',
      '#include "config.h"',
      'DECLARE(int32_t, counter_add, (int32_t by));',
      '#ifdef WIDE_IDS',
      'int64_t next_id(void);',
      '#else',
      'int32_t next_id(void);',
      '#endif',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'api.c'), source);
    writeFileSync(join(dir, 'config.h'), '#define DECLARE(ret, name, params) extern ret name params\n');
    writeFileSync(join(dir, 'compile_commands.json'), JSON.stringify([{ directory: dir, file: 'api.c', command: 'gcc -DWIDE_IDS -I. -c api.c -o api.o' }]));
    assert.deepEqual(compileEntryFor(join(dir, 'api.c'))?.flags, ['-DWIDE_IDS', '-I.']);
    const file = await parseCSource(source, { fileName: join(dir, 'api.c') });
    const next = file.functions.find((f) => f.name === 'next_id');
    assert.equal(next?.prototype, 'int64_t next_id(void)', 'the branch -DWIDE_IDS selects');
    assert.equal(next?.range.start.line, 4, 'at the declaration the build sees');
    assert.equal(file.functions.filter((f) => f.name === 'next_id').length, 1);
    const added = file.functions.find((f) => f.name === 'counter_add');
    assert.match(added?.prototype ?? '', /^int32_t counter_add ?\(int32_t by\)$/);
    assert.deepEqual(added?.nameRanges[0], { start: { line: 2, character: 17 }, end: { line: 2, character: 28 } });
    assert.ok(file.problems?.some((p) => /read as gcc preprocesses it/.test(p.message)));
    // Without the database entry, our own reading (which cannot expand DECLARE).
    const plain = await parseCSource(source, { fileName: join(dir, 'api.c'), compileCommands: false });
    assert.equal(plain.functions.find((f) => f.name === 'counter_add'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without a build database, the selected target's predefined macros decide #ifdefs", async () => {
  const source = [
    '#if defined(_WIN32)',
    'typedef long long ssize;',
    '#elif defined(__APPLE__)',
    'typedef int ssize;',
    '#else',
    'typedef long ssize;',
    '#endif',
    'ssize measure(const char *text);',
    '',
  ].join('\n');
  const declsOn = async (target?: string) => (await parseCSource(source, { readFile: () => null, target })).functions.find((f) => f.name === 'measure')?.decls;
  assert.match((await declsOn('x86_64-win64')) ?? '', /typedef long long ssize;/);
  assert.match((await declsOn('arm64-apple')) ?? '', /typedef int ssize;/);
  assert.match((await declsOn('x86_64-sysv')) ?? '', /typedef long ssize;/);
  assert.match((await declsOn(undefined)) ?? '', /typedef long ssize;/, 'no target: none of the platform macros');
  // `check` reads C for the target it checks: the Win64 EXPORT branch of exports.h is as readable.
  const report = await checkWorkspace(MACROS, 'x86_64-win64');
  assert.deepEqual(report.total, { found: 5, compared: 5, withoutC: 0, notUnderstood: 0 });
});
