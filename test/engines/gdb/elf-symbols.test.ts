// The v8dbg_* names gdb's helper reads from node's own symbol table (polyglot_elf_symbols.py),
// compared with binutils' nm: on the debuggee node (each node of the stack matrix), and on a
// library whose names share their tails in the string table, as linkers lay them out. And names
// looked up one by one in a file's exports (its GNU hash table, else its tables searched).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { debuggeeNode } from '../../debuggee-node';

const helpers = join(__dirname, '../../../src/engines/gdb/python');
const dir = mkdtempSync(join(tmpdir(), 'polyglot-elf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function ours(path: string, prefix: string): Map<string, bigint> {
  const script = `import json, sys
sys.path.insert(0, sys.argv[1])
import polyglot_elf_symbols as elf
print(json.dumps({name: hex(value) for name, value in elf.symbols_with_prefix(sys.argv[2], sys.argv[3].encode()).items()}))`;
  const found = JSON.parse(execFileSync('python3', ['-c', script, helpers, path, prefix], { encoding: 'utf8' })) as Record<string, string>;
  return new Map(Object.entries(found).map(([name, value]) => [name, BigInt(value)]));
}

function oursNamed(path: string, names: string[]): Map<string, bigint> {
  const script = `import json, sys
sys.path.insert(0, sys.argv[1])
import polyglot_elf_symbols as elf
print(json.dumps({name: hex(value) for name, value in elf.symbols_named(sys.argv[2], [n.encode() for n in sys.argv[3:]]).items()}))`;
  const found = JSON.parse(execFileSync('python3', ['-c', script, helpers, path, ...names], { encoding: 'utf8' })) as Record<string, string>;
  return new Map(Object.entries(found).map(([name, value]) => [name, BigInt(value)]));
}

/** Defined symbols named prefix…, as binutils' nm lists them from one table (dynamic or not). */
function nm(path: string, table: 'dynamic' | 'static', prefix: string): Map<string, bigint> {
  const out = execFileSync('nm', [...(table === 'dynamic' ? ['-D'] : []), '--defined-only', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const found = new Map<string, bigint>();
  for (const line of out.split('\n')) {
    const [value, , name] = line.trim().split(/\s+/);
    if (value && name?.startsWith(prefix)) found.set(name.replace(/@.*$/, ''), BigInt(`0x${value}`));
  }
  return found;
}

test("node's V8 metadata names and values equal nm's", () => {
  const node = debuggeeNode;
  const found = ours(node, 'v8dbg_');
  const dynamic = nm(node, 'dynamic', 'v8dbg_');
  const expected = dynamic.size > 0 ? dynamic : nm(node, 'static', 'v8dbg_');
  assert.ok(expected.size > 300, `nm lists ${expected.size} v8dbg_ names in ${node}`);
  assert.deepEqual(found, expected);
});

test('names stored as the tail of a longer name are found, and undefined ones are not', () => {
  const source = join(dir, 'tails.c');
  // `v8dbg_tail` can be kept as the end of `before_v8dbg_tail` in the string table.
  writeFileSync(source, 'int before_v8dbg_tail = 1;\nint v8dbg_tail = 2;\nint v8dbg_other = 3;\nextern int v8dbg_elsewhere;\nint use(void) { return v8dbg_elsewhere; }\n');
  const library = join(dir, 'libtails.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-o', library, source]);
  const found = ours(library, 'v8dbg_');
  assert.deepEqual([...found.keys()].sort(), ['v8dbg_other', 'v8dbg_tail']);
  assert.deepEqual(found, nm(library, 'dynamic', 'v8dbg_'));
  assert.equal(ours(join(dir, 'tails.c'), 'v8dbg_').size, 0, 'a file that is not ELF has none');
});

test('names looked up in the exports of node, libc and libraries without a GNU hash table equal nm -D', () => {
  const libc = execFileSync('gcc', ['-print-file-name=libc.so.6'], { encoding: 'utf8' }).trim();
  const cases: [string, string[]][] = [
    [debuggeeNode, ['_ZN2v87Isolate10GetCurrentEv', '_ZN2v85debug13BreakRightNowEPNS_7IsolateENS_4base7EnumSetINS0_11BreakReasonEiEE', 'v8dbg_FirstNonstringType', 'mmap', 'no_such_symbol']],
    [libc, ['mmap', 'malloc', 'no_such_symbol']],
  ];
  const source = join(dir, 'named.c');
  writeFileSync(source, 'int before_named_tail = 1;\nint named_tail = 2;\nint named_other(void) { return 3; }\nextern int named_elsewhere;\nint use(void) { return named_elsewhere; }\n');
  for (const style of ['gnu', 'sysv']) {
    const library = join(dir, `libnamed-${style}.so`);
    execFileSync('gcc', ['-shared', '-fPIC', `-Wl,--hash-style=${style}`, '-o', library, source]);
    cases.push([library, ['named_tail', 'named_other', 'named_elsewhere', 'before_named_tail', 'no_such_symbol']]);
  }
  for (const [path, names] of cases) {
    const exported = nm(path, 'dynamic', '');
    const expected = new Map(names.filter((n) => exported.has(n)).map((n) => [n, exported.get(n)!]));
    assert.ok(expected.size >= 2, `nm -D lists ${expected.size} of the names in ${path}`);
    assert.deepEqual(oursNamed(path, names), expected, path);
  }
});
