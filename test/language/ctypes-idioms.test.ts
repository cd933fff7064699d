// ctypes as people write it: every idiom of fixtures/ctypes-idioms/idioms.py is found, becomes
// the prototype of idioms.h, and is compared with it; hovers work on every line of a declaration.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFfiFile } from '../../src/language/ffi/file';
import { subjectAt } from '../../src/language/ffi/hover';
import type { FfiFile } from '../../src/language/ffi/model';
import { checkWorkspace } from '../../src/language/ffi/workspace';

const DIR = join(__dirname, 'fixtures', 'ctypes-idioms');
const PATH = join(DIR, 'idioms.py');
const TEXT = readFileSync(PATH, 'utf8');

async function idioms(): Promise<FfiFile> {
  return parseFfiFile(PATH, TEXT);
}

/** The 0-based line of the first line containing `marker`. */
function lineOf(marker: string, after = ''): number {
  const lines = TEXT.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const index = lines.findIndex((l, i) => i >= from && l.includes(marker));
  assert.ok(index >= 0, marker);
  return index;
}

test('every idiom yields the C prototype, with no problem', async () => {
  const file = await idioms();
  const expected: Record<string, string> = {
    cls_attr: 'int cls_attr(int p0)',
    inst_attr: 'int inst_attr(int p0, int p1)',
    global_lib: 'double global_lib(double p0)',
    self_handle: 'void *self_handle(void)',
    py_api: 'int py_api(int p0)',
    stdcall_fn: 'long stdcall_fn(long p0)',
    tuple_args: 'int tuple_args(int p0, double p1)',
    list_args: 'int list_args(int p0, double p1)',
    helper_star: 'int helper_star(int p0, int p1)',
    helper_getattr: 'double helper_getattr(double p0)',
    proto_inline: 'int proto_inline(int p0)',
    merged_a: 'int merged_a(int p0)',
    merged_b: 'int merged_b(int p0)',
    union_value: 'float union_value(union Value p0)',
    derived_tag: 'int derived_tag(struct Derived p0)',
    packed_size: 'int packed_size(struct Packed p0)',
    flags_bits: 'int flags_bits(struct Flags p0)',
    outer_w: 'double outer_w(struct Outer p0)',
    first_scope: 'int first_scope(int p0)',
    second_scope: 'int second_scope(int p0)',
  };
  for (const [name, prototype] of Object.entries(expected)) {
    const fn = file.functions.find((f) => f.name === name);
    assert.ok(fn, `${name} not found among ${file.functions.map((f) => f.name).join(', ')}`);
    assert.equal(fn.prototype, prototype, `${name}: ${fn.problems.join('; ')}`);
    assert.deepEqual(fn.problems, [], name);
  }
  assert.equal(file.functions.find((f) => f.name === 'stdcall_fn')?.convention, 'stdcall', 'WinDLL is stdcall');
  assert.equal(file.calls.filter((c) => c.callee === 'Api._dll.cls_attr' || c.callee === 'self._lib.inst_attr').length, 2, 'calls through class and instance attributes');
});

test('records reused in two scopes stay two records; base classes and anonymous members compare by their bytes', async () => {
  const file = await idioms();
  const scoped = file.records.filter((r) => r.name === 'S');
  assert.equal(scoped.length, 2);
  assert.match(scoped[0]!.decl ?? '', /struct S \{ int a; \}/);
  assert.match(scoped[1]!.decl ?? '', /struct S_2 \{ double a; double b; \}/);
  const report = await checkWorkspace(DIR, 'x86_64-sysv');
  assert.deepEqual(report.mismatches.map((m) => `${m.function}: ${m.differences.join('; ')}`), []);
  assert.deepEqual(report.total, { found: 20, compared: 20, withoutC: 0, notUnderstood: 0 });
});

test('a hover anywhere on a declaration shows the function, each on its own line', async () => {
  const file = await idioms();
  const at = (line: number, character: number) => {
    const subject = subjectAt(file, { line, character });
    return subject?.kind === 'function' ? subject.fn.name : subject?.kind;
  };
  const first = lineOf('lib.list_args.argtypes');
  assert.equal(at(first, 14), 'list_args', 'on `argtypes`');
  assert.equal(at(first + 1, 6), 'list_args', 'on a line inside the list');
  assert.equal(at(lineOf('lib.list_args.restype'), 20), 'list_args', 'on the restype value');
  const merged = lineOf('lib.merged_a.restype');
  assert.equal(at(merged, 2), 'merged_a');
  assert.equal(at(merged, 30), 'merged_b');
  const fnMerged = file.functions.find((f) => f.name === 'merged_a')!;
  assert.equal(fnMerged.range.start.line, merged, 'merged assignments are reported on their own line');
});

test('ctypes imported under try, with `ctypes = None` as the fallback, is still ctypes', async () => {
  const text = [
    'try:',
    '    import ctypes',
    '    import ctypes.util',
    'except ImportError:',
    '    ctypes = None',
    '',
    'class Wrapper:',
    '    def init(self):',
    '        self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)',
    '        self._libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]',
    '        self._libc.inotify_add_watch.restype = ctypes.c_int',
    '',
    'ctypes_name = None',
  ].join('\n');
  const file = await parseFfiFile('wrapper.py', text);
  assert.deepEqual(file.functions.map((f) => [f.name, f.prototype, f.problems]), [
    ['inotify_add_watch', 'int inotify_add_watch(int p0, char *p1, uint32_t p2)', []],
  ]);
});
