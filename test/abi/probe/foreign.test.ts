// foreign.ts end to end: C callers compiled for Win64 (MSVC-ABI clang, mingw-w64 gcc) and Apple
// arm64 (clang) are converted to ELF and really run in Linux harnesses (x86-64 natively, AArch64
// under qemu) against the demonstration dump stubs in foreign/. Also unit tests of the
// assembler-dialect translation and of the faithfulness check.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  FOREIGN_SUPPORT_DIR,
  type ForeignFlavor,
  buildForeignObject,
  callerAttribute,
  describeFlavor,
  foreignHostArch,
  foreignSupportSources,
  translateForeignAsm,
  verifyForeignObject,
} from './foreign';

// ------------------------------------------------------------------------------ plumbing

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const TOOLS: Record<ForeignFlavor, string[]> = {
  'win64-msvc-clang': ['clang', 'gcc', 'llvm-objdump', 'llvm-nm'],
  'win64-mingw-gcc': ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-as', 'as', 'gcc', 'llvm-objdump', 'llvm-nm'],
  'apple-arm64-clang': ['clang', 'aarch64-linux-gnu-gcc', 'qemu-aarch64', 'llvm-objdump', 'llvm-nm'],
};
/** Null when the flavor can run here, else what is missing (the test is then skipped). */
function missing(flavor: ForeignFlavor): string | null {
  const m = TOOLS[flavor].filter((t) => !onPath(t));
  if (flavor === 'apple-arm64-clang' && !onPath('aarch64-linux-gnu-gcc')) m.push('libc6-dev-arm64-cross');
  return m.length ? `missing ${m.join(', ')}` : null;
}

function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd as string, args, { maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr: stderr || (e ? e.message : '') });
    });
  });
}
async function mustRun(argv: string[]): Promise<string> {
  const r = await run(argv);
  assert.equal(r.code, 0, `${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const WORK = mkdtempSync(join(tmpdir(), 'pgf-foreign-'));
after(() => {
  if (!process.env['PGF_KEEP_FOREIGN']) rmSync(WORK, { recursive: true, force: true });
});
let scenarioN = 0;

interface Dump {
  gpr: bigint[]; // win64: rcx rdx r8 r9; apple: x0..x8
  sp: bigint; // rsp+8 / sp at stub entry: where the stack arguments (and, on Win64, the shadow space) start
  vec: Buffer[]; // xmm0-3 / q0-7
  stack: Buffer; // 64 bytes from sp
}
interface Outcome {
  dumps: Map<string, Dump>;
  ints: Map<string, bigint[]>;
  /** The foreign compiler's assembly, to check the scenario exercised what it claims. */
  foreignAsm: string;
}

const HARNESS_PRELUDE = `#include <stdio.h>
extern unsigned char foreign_dump[];
static void dump(const char *tag, unsigned n) {
  printf("D %s ", tag);
  for (unsigned i = 0; i < n; i++) printf("%02x", foreign_dump[i]);
  printf("\\n");
}
static void ints(const char *tag, int n, const long long *v) {
  printf("I %s", tag);
  for (int i = 0; i < n; i++) printf(" %lld", v[i]);
  printf("\\n");
}
`;

/** Builds `callers` for the flavor, links it with `harnessMain` (host C), runs it, parses the output. */
async function scenario(flavor: ForeignFlavor, callers: string, harnessMain: string, extraArgs: string[] = []): Promise<Outcome> {
  const dir = join(WORK, `s${scenarioN++}-${flavor}`);
  await mustRun(['mkdir', '-p', dir]);
  const callersC = join(dir, 'callers.c'), callersO = join(dir, 'callers.o'), mainC = join(dir, 'main.c'), exe = join(dir, 'harness');
  writeFileSync(callersC, callers);
  const attr = callerAttribute(flavor);
  writeFileSync(mainC, `${HARNESS_PRELUDE}#define FOREIGN ${attr}\n${harnessMain}`);
  await buildForeignObject(flavor, callersC, callersO, { extraArgs });
  const arm = foreignHostArch(flavor) === 'aarch64';
  const stub = join(FOREIGN_SUPPORT_DIR, arm ? 'demo-stub-aarch64.S' : 'demo-stub-x86_64.S');
  await mustRun([arm ? 'aarch64-linux-gnu-gcc' : 'gcc', '-O1', '-o', exe, mainC, callersO, stub, ...foreignSupportSources(flavor), ...(arm ? ['-static'] : [])]);
  const out = await mustRun(arm ? ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu', exe] : [exe]);
  const dumps = new Map<string, Dump>(), intMap = new Map<string, bigint[]>();
  for (const line of out.split('\n')) {
    const [kind, tag, ...rest] = line.split(' ');
    if (kind === 'I' && tag) intMap.set(tag, rest.map((x) => BigInt(x)));
    if (kind === 'D' && tag) {
      const b = Buffer.from(rest[0] as string, 'hex');
      dumps.set(
        tag,
        arm
          ? { gpr: Array.from({ length: 9 }, (_, i) => b.readBigUInt64LE(8 * i)), sp: b.readBigUInt64LE(72), vec: Array.from({ length: 8 }, (_, i) => b.subarray(80 + 16 * i, 96 + 16 * i)), stack: b.subarray(208, 272) }
          : { gpr: Array.from({ length: 4 }, (_, i) => b.readBigUInt64LE(8 * i)), sp: b.readBigUInt64LE(32), vec: Array.from({ length: 4 }, (_, i) => b.subarray(64 + 16 * i, 80 + 16 * i)), stack: b.subarray(128, 192) },
      );
    }
  }
  return { dumps, ints: intMap, foreignAsm: readFileSync(`${callersO}.foreign.s`, 'utf8') };
}

function get<T>(m: Map<string, T>, k: string): T {
  const v = m.get(k);
  assert.ok(v !== undefined, `no output for "${k}"`);
  return v;
}
const low32 = (v: bigint) => Number(BigInt.asIntN(32, v));
const dblBits = (d: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d);
  return b.readBigUInt64LE(0);
};

// ------------------------------------------------------------------------------ Win64

const WIN64_CALLERS = `
struct S12 { int a, b, c; };
struct S8 { int a; float b; };
struct Big { long long v[2000]; };                 /* 16000 bytes */
void f_int5(int, int, int, int, int) __asm__("probe_stub");
void f_dbl(int, double) __asm__("probe_stub");
void f_s12(struct S12, int) __asm__("probe_stub");
void f_s8(struct S8) __asm__("probe_stub");
void f_var(int, ...) __asm__("probe_stub");
void check_big(struct Big, int) __asm__("check_big");   /* implemented by the Linux harness */

void probe_caller_1(void *args) { int *a = args; f_int5(a[0], a[1], a[2], a[3], a[4]); }
void probe_caller_2(void *args) { struct { int i; double d; } *a = args; f_dbl(a->i, a->d); }
void probe_caller_3(void *args) { struct S12 *s = args; f_s12(*s, 7); }
void probe_caller_4(void *args) { struct S8 *s = args; f_s8(*s); }
void probe_caller_5(void *args) { double *d = args; f_var(1, d[0]); }
void probe_caller_6(void *args) {
  long long *r = args;
  r[0] = sizeof(long); r[1] = sizeof(long double); r[2] = sizeof(void *); r[3] = sizeof(long long); r[4] = (char)-1 < 0;
}
/* struct > 16 bytes by value: copied to a caller temporary (memcpy; 16 KB frame: stack probe). */
void probe_caller_7(void *args) { struct Big *b = args; check_big(*b, 42); }
/* zero-initialised big local (memset) passed by value; big frame. */
void probe_caller_8(void *args) { struct Big b = {0}; b.v[1999] = *(long long *)args; b.v[7] = 7; check_big(b, 43); }
/* > 4 KB of locals without any struct copy: just the stack probe. */
void probe_caller_9(void *args) {
  volatile char buf[8000];
  int *a = args;
  for (int i = 0; i < 8000; i++) buf[i] = (char)(i * 7);
  a[0] = buf[a[1]] + buf[7999];
}
`;

const WIN64_MAIN = `
#include <string.h>
struct Big { long long v[2000]; };
extern void FOREIGN probe_caller_1(void *), probe_caller_2(void *), probe_caller_3(void *), probe_caller_4(void *),
  probe_caller_5(void *), probe_caller_6(void *), probe_caller_7(void *), probe_caller_8(void *), probe_caller_9(void *);
static long long big_seen[6];
/* What an MSVC-ABI callee sees: a pointer to the caller's copy (in rcx), the int in edx. */
__attribute__((ms_abi)) void check_big(struct Big *p, int tag) {
  long long sum = 0;
  for (int i = 0; i < 2000; i++) sum += p->v[i];
  big_seen[0] = tag; big_seen[1] = p->v[0]; big_seen[2] = p->v[1999]; big_seen[3] = sum; big_seen[4] = p->v[7];
  /* the copy lives in the caller's frame, not in the harness's struct */
  big_seen[5] = (long long)p;
}
static struct Big big;
int main(void) {
  int i5[5] = {11, -22, 33, 44, 55};
  probe_caller_1(i5); dump("int5", 192);
  struct { int i; double d; } id = {7, 2.5};
  probe_caller_2(&id); dump("dbl", 192);
  int s12[3] = {0x1111, 0x2222, 0x3333};
  probe_caller_3(s12); dump("s12", 192);
  struct { int a; float b; } s8 = {-5, 1.5f};
  probe_caller_4(&s8); dump("s8", 192);
  double vd[1] = {2.5};
  probe_caller_5(vd); dump("var", 192);
  long long sz[5];
  probe_caller_6(sz); ints("sizes", 5, sz);
  long long expect = 0;
  for (int i = 0; i < 2000; i++) { big.v[i] = i * 3 + 1; expect += big.v[i]; }
  probe_caller_7(&big);
  long long r7[7] = {big_seen[0], big_seen[1], big_seen[2], big_seen[3], expect, big_seen[5] != (long long)&big, 0};
  ints("big", 6, r7);
  long long x = 0x123456789LL;
  probe_caller_8(&x);
  long long r8[5] = {big_seen[0], big_seen[1], big_seen[2], big_seen[3], big_seen[4]};
  ints("bigzero", 5, r8);
  int a9[2] = {0, 1234};
  probe_caller_9(a9);
  long long r9[2] = {a9[0], (signed char)(1234 * 7) + (signed char)(7999 * 7)};
  ints("chkstk", 2, r9);
  return 0;
}
`;

for (const flavor of ['win64-msvc-clang', 'win64-mingw-gcc'] as const) {
  describe(`${flavor}: Win64 callers run in the x86-64 harness`, { skip: missing(flavor) ?? false }, () => {
    let outcome: Promise<Outcome> | undefined;
    const result = () => (outcome ??= scenario(flavor, WIN64_CALLERS, WIN64_MAIN));

    test('5th int argument at stack+32 ([rsp+40] at callee entry), after the 32-byte shadow space', async () => {
      const d = get((await result()).dumps, 'int5');
      assert.deepEqual(d.gpr.map(low32), [11, -22, 33, 44]); // rcx rdx r8 r9
      assert.equal(d.stack.readInt32LE(32), 55);
    });

    test('a double as 2nd argument goes to xmm1 (positional slots), the int to ecx', async () => {
      const d = get((await result()).dumps, 'dbl');
      assert.equal(low32(d.gpr[0] as bigint), 7);
      assert.equal((d.vec[1] as Buffer).readDoubleLE(0), 2.5);
    });

    test('a 12-byte struct is passed by reference: rcx points at a copy in the caller frame', async () => {
      const d = get((await result()).dumps, 's12');
      const off = Number((d.gpr[0] as bigint) - d.sp);
      assert.ok(off >= 32 && off + 12 <= 64, `copy at stack+${off}: expected above the shadow space, inside the dumped 64 bytes`);
      assert.deepEqual([0, 4, 8].map((k) => d.stack.readInt32LE(off + k)), [0x1111, 0x2222, 0x3333]);
      assert.equal(low32(d.gpr[1] as bigint), 7); // the next argument takes the next slot (rdx)
    });

    test('an 8-byte struct is passed by value in rcx', async () => {
      const d = get((await result()).dumps, 's8');
      const b = Buffer.alloc(8);
      b.writeInt32LE(-5, 0);
      b.writeFloatLE(1.5, 4);
      assert.equal(d.gpr[0], b.readBigUInt64LE(0));
    });

    test('a variadic double is duplicated in rdx and xmm1', async () => {
      const d = get((await result()).dumps, 'var');
      assert.equal(low32(d.gpr[0] as bigint), 1);
      assert.equal(d.gpr[1], dblBits(2.5));
      assert.equal((d.vec[1] as Buffer).readBigUInt64LE(0), dblBits(2.5));
    });

    test('LLP64: long is 4 bytes; long double is double (MSVC) / x87 (mingw); char signed', async () => {
      const s = get((await result()).ints, 'sizes');
      assert.deepEqual(s, [4n, flavor === 'win64-msvc-clang' ? 8n : 16n, 8n, 8n, 1n]);
    });

    test('struct > 16 bytes by value: copied with memcpy (MS-ABI shim) into a >4 KB frame (stack probe)', async () => {
      const o = await result();
      assert.match(o.foreignAsm, /call\w*\s+memcpy/);
      assert.match(o.foreignAsm, flavor === 'win64-msvc-clang' ? /call\w*\s+__chkstk\b/ : /call\w*\s+___chkstk_ms\b/);
      const [tag, first, last, sum, expect, copied] = get(o.ints, 'big');
      assert.deepEqual([tag, first, last, sum, copied], [42n, 1n, 1999n * 3n + 1n, expect, 1n]);
    });

    test('zero-initialised big temporary (memset or inline stores) reaches the callee intact', async () => {
      const [tag, first, last, sum, v7] = get((await result()).ints, 'bigzero');
      assert.deepEqual([tag, first, last, sum, v7], [43n, 0n, 0x123456789n, 0x123456789n + 7n, 7n]);
    });

    test('>4 KB frame without copies: the stack probe runs and the frame works', async () => {
      const o = await result();
      assert.match(o.foreignAsm, /chkstk/);
      const [got, want] = get(o.ints, 'chkstk');
      assert.equal(got, want);
    });
  });
}

// ------------------------------------------------------------------------------ Apple arm64

const APPLE_CALLERS = `
struct H3 { float a, b, c; };
struct Big { long long v[2000]; };
void f_c(int, int, int, int, int, int, int, int, char, short) __asm__("probe_stub");
void f_var(int, ...) __asm__("probe_stub");
void f_h3(struct H3) __asm__("probe_stub");
void check_big(struct Big, int) __asm__("check_big");

void probe_caller_1(void *args) { int *a = args; f_c(1, 2, 3, 4, 5, 6, 7, 8, (char)a[0], (short)a[1]); }
void probe_caller_2(void *args) { struct { int i; double d; } *a = args; f_var(1, a->i, a->d); }
void probe_caller_3(void *args) { struct H3 *h = args; f_h3(*h); }
void probe_caller_4(void *args) {
  long long *r = args;
  r[0] = sizeof(long); r[1] = sizeof(long double); r[2] = sizeof(void *); r[3] = (char)-1 < 0; r[4] = _Alignof(long double);
}
void probe_caller_5(void *args) { struct Big *b = args; check_big(*b, 42); }
void probe_caller_6(void *args) {
  volatile char buf[8000];
  int *a = args;
  for (int i = 0; i < 8000; i++) buf[i] = (char)(i * 7);
  a[0] = buf[a[1]] + buf[7999];
}
`;

const APPLE_MAIN = `
struct Big { long long v[2000]; };
extern void probe_caller_1(void *), probe_caller_2(void *), probe_caller_3(void *), probe_caller_4(void *),
  probe_caller_5(void *), probe_caller_6(void *);
static long long big_seen[4];
/* AAPCS64 (Linux and Darwin alike): a composite > 16 bytes arrives as a pointer to a caller copy. */
void check_big(struct Big *p, int tag) {
  long long sum = 0;
  for (int i = 0; i < 2000; i++) sum += p->v[i];
  big_seen[0] = tag; big_seen[1] = p->v[1999]; big_seen[2] = sum; big_seen[3] = (long long)p;
}
static struct Big big;
int main(void) {
  int cs[2] = {-5, -300};
  probe_caller_1(cs); dump("charshort", 272);
  struct { int i; double d; } id = {42, 2.5};
  probe_caller_2(&id); dump("var", 272);
  float h[3] = {1.25f, -2.5f, 3.75f};
  probe_caller_3(h); dump("hfa", 272);
  long long sz[5];
  probe_caller_4(sz); ints("sizes", 5, sz);
  long long expect = 0;
  for (int i = 0; i < 2000; i++) { big.v[i] = i * 3 + 1; expect += big.v[i]; }
  probe_caller_5(&big);
  long long r5[5] = {big_seen[0], big_seen[1], big_seen[2], expect, big_seen[3] != (long long)&big};
  ints("big", 5, r5);
  int a6[2] = {0, 1234};
  probe_caller_6(a6);
  long long r6[2] = {a6[0], (signed char)(1234 * 7) + (signed char)(7999 * 7)};
  ints("bigframe", 2, r6);
  return 0;
}
`;

describe('apple-arm64-clang: Apple arm64 callers run in the AArch64 harness (qemu)', { skip: missing('apple-arm64-clang') ?? false }, () => {
  let outcome: Promise<Outcome> | undefined;
  const result = () => (outcome ??= scenario('apple-arm64-clang', APPLE_CALLERS, APPLE_MAIN));

  test('after 8 ints, a char goes to stack+0 and a short to stack+2 (packed at natural alignment)', async () => {
    const d = get((await result()).dumps, 'charshort');
    assert.deepEqual(d.gpr.slice(0, 8).map(low32), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(d.stack.readInt8(0), -5);
    assert.equal(d.stack.readInt16LE(2), -300);
  });

  test('variadic int and double go on the stack in 8-byte slots, not in x1 / d0', async () => {
    const d = get((await result()).dumps, 'var');
    assert.equal(low32(d.gpr[0] as bigint), 1);
    assert.equal(d.stack.readInt32LE(0), 42);
    assert.equal(d.stack.readDoubleLE(8), 2.5);
  });

  test('an HFA of 3 floats goes to s0, s1, s2 (v0..v2)', async () => {
    const d = get((await result()).dumps, 'hfa');
    assert.deepEqual([0, 1, 2].map((i) => (d.vec[i] as Buffer).readFloatLE(0)), [1.25, -2.5, 3.75]);
  });

  test('long is 8 bytes, long double is double, char is signed', async () => {
    assert.deepEqual(get((await result()).ints, 'sizes'), [8n, 8n, 8n, 1n, 8n]);
  });

  test('struct > 16 bytes by value: memcpy (glibc, same convention) to a caller copy', async () => {
    const o = await result();
    assert.match(o.foreignAsm, /bl\s+_memcpy/);
    const [tag, last, sum, expect, copied] = get(o.ints, 'big');
    assert.deepEqual([tag, last, sum, copied], [42n, 1999n * 3n + 1n, expect, 1n]);
  });

  test('>4 KB frame (Darwin arm64 emits no stack probe call)', async () => {
    const o = await result();
    assert.doesNotMatch(o.foreignAsm, /chkstk/);
    const [got, want] = get(o.ints, 'bigframe');
    assert.equal(got, want);
  });

  test("Apple's default stack protector (GOT-relative ___stack_chk_guard) converts, links and runs", async () => {
    const o = await scenario('apple-arm64-clang', APPLE_CALLERS, APPLE_MAIN, ['-fstack-protector-all']);
    assert.match(o.foreignAsm, /___stack_chk_guard@GOTPAGE/);
    const [got, want] = get(o.ints, 'bigframe');
    assert.equal(got, want);
    assert.equal(get(o.dumps, 'charshort').stack.readInt16LE(2), -300);
  });
});

// ------------------------------------------------------------------------------ translation units

describe('assembler-dialect translation', () => {
  test('COFF: .def/.seh/@feat/_fltused dropped, __real@ COMDAT constants made local, memcpy to the MS-ABI shim', () => {
    const asm = [
      '\t.def\t@feat.00;',
      '\t.scl\t3;',
      '\t.type\t0;',
      '\t.endef',
      '\t.globl\t@feat.00',
      '.set @feat.00, 0',
      '\t.def\tf;\t.scl\t2;\t.type\t32;\t.endef',
      '\t.globl\t__real@3ff8000000000000',
      '\t.section\t.rdata,"dr",discard,__real@3ff8000000000000',
      '\t.p2align\t3',
      '__real@3ff8000000000000:',
      '\t.quad\t0x3ff8000000000000              # double 1.5',
      '\t.text',
      '\t.globl\tf',
      'f:                                      # @f',
      '.seh_proc f',
      '\tsubq\t$40, %rsp',
      '\t.seh_stackalloc 40',
      '\t.seh_endprologue',
      '\tmulsd\t__real@3ff8000000000000(%rip), %xmm1',
      '\tleaq\t"??_C@_02@a?$AA@"(%rip), %rax',
      '\tcallq\tmemcpy',
      '\t.seh_endproc',
      '\t.section\t.rdata,"dr",discard,"??_C@_02@a?$AA@"',
      '\t.globl\t"??_C@_02@a?$AA@"',
      '"??_C@_02@a?$AA@":',
      '\t.asciz\t"a;#b"',
      '\t.section\t.drectve,"yn"',
      '\t.ascii\t" /DEFAULTLIB:libcmt.lib"',
      '\t.addrsig',
      '\t.globl\t_fltused',
    ].join('\n');
    const { text, symbols } = translateForeignAsm('win64-msvc-clang', asm);
    const lines = text.split('\n');
    assert.equal(lines.length, asm.split('\n').length + 1, 'one output line per input line');
    assert.doesNotMatch(text, /@(?!function|progbits|nobits)|\.seh_|\.def|DEFAULTLIB|_fltused|addrsig/);
    assert.match(text, /\.type f,@function/);
    assert.match(text, /callq\tpgf_win64_memcpy/);
    const real = symbols.get('__real@3ff8000000000000') as string;
    assert.match(real, /^\.L/);
    assert.ok(lines.includes(`${real}:`));
    assert.match(text, new RegExp(`mulsd\\t${real.replace(/\./g, '\\.')}\\(%rip\\)`));
    assert.match(text, /\.asciz\t"a;#b"/, 'string contents untouched');
    assert.doesNotMatch(text, /\.globl\s+\.L/);
  });

  test('Mach-O: underscores stripped, L/l labels local, @PAGE/@PAGEOFF/@GOT to ELF operators, ; comments and Darwin metadata dropped', () => {
    const asm = [
      '\t.section\t__TEXT,__text,regular,pure_instructions',
      '\t.build_version macos, 11, 0',
      '\t.globl\t_f                              ; -- Begin function f',
      '_f:',
      'Lloh0:',
      '\tadrp\tx0, _arr@PAGE+8',
      '\tadd\tx0, x0, _arr@PAGEOFF+8',
      '\tadrp\tx8, ___stack_chk_guard@GOTPAGE',
      '\tldr\tx8, [x8, ___stack_chk_guard@GOTPAGEOFF]',
      '\tadrp\tx9, l_.str@PAGE',
      '\tadd\tx9, x9, l_.str@PAGEOFF',
      '\tsub\tsp, sp, #1, lsl #12             ; =4096',
      '\tmovi.2d\tv0, #0000000000000000',
      '\tbl\t_memcpy',
      '\tbl\tprobe_stub',
      '\t.loh AdrpAdd\tLloh0, Lloh1',
      '\t.section\t__TEXT,__cstring,cstring_literals',
      'l_.str:',
      '\t.asciz\t"x;y"',
      '.zerofill __DATA,__common,_arr,40,2',
      '.subsections_via_symbols',
    ].join('\n');
    const { text } = translateForeignAsm('apple-arm64-clang', asm);
    assert.match(text, /^f:$/m);
    assert.match(text, /adrp\tx0, arr\+8/);
    assert.match(text, /add\tx0, x0, :lo12:arr\+8/);
    assert.match(text, /adrp\tx8, :got:__stack_chk_guard/);
    assert.match(text, /ldr\tx8, \[x8, :got_lo12:__stack_chk_guard\]/);
    assert.match(text, /add\tx9, x9, :lo12:\.Ll_\.str/);
    assert.match(text, /sub\tsp, sp, #1, lsl #12$/m);
    assert.match(text, /bl\tmemcpy/);
    assert.match(text, /bl\tprobe_stub/);
    assert.match(text, /\.asciz\t"x;y"/);
    assert.match(text, /arr: \.zero 40/);
    assert.doesNotMatch(text, /@(?!function|progbits|nobits)|\.loh|build_version|subsections_via_symbols|__TEXT/);
  });

  test('an unknown directive is refused with the offending line', () => {
    assert.throws(() => translateForeignAsm('apple-arm64-clang', '\t.text\n\t.tbss _x$tlv$init, 4, 2\n', 'x.s'), /x\.s:2: unsupported Mach-O assembler directive "\.tbss"[\s\S]*offending asm line: \.tbss/);
    assert.throws(() => translateForeignAsm('win64-msvc-clang', '\t.text\n\t.cv_file 1 "x.c"\n', 'y.s'), /y\.s:2: unsupported COFF assembler directive "\.cv_file"/);
  });
});

describe('API surface and failure reporting', () => {
  test('callerAttribute, describeFlavor, support sources exist', () => {
    assert.equal(callerAttribute('win64-msvc-clang'), '__attribute__((ms_abi))');
    assert.equal(callerAttribute('win64-mingw-gcc'), '__attribute__((ms_abi))');
    assert.equal(callerAttribute('apple-arm64-clang'), '');
    assert.match(describeFlavor('win64-msvc-clang'), /^clang --target=x86_64-pc-windows-msvc .*-S$/);
    assert.match(describeFlavor('win64-mingw-gcc'), /^x86_64-w64-mingw32-gcc /);
    assert.match(describeFlavor('apple-arm64-clang'), /^clang --target=arm64-apple-macos11 /);
    for (const f of ['win64-msvc-clang', 'win64-mingw-gcc', 'apple-arm64-clang'] as const) for (const s of foreignSupportSources(f)) assert.ok(readFileSync(s, 'utf8').length > 0, s);
  });

  test('a compile error carries the compiler diagnostics (file:line: error)', { skip: missing('win64-msvc-clang') ?? false }, async () => {
    const dir = mkdtempSync(join(WORK, 'err-'));
    const src = join(dir, 'callers.c');
    writeFileSync(src, 'void probe_caller_1(void *a) {\n  undeclared_thing(a);\n  int x = ;\n}\n');
    await assert.rejects(buildForeignObject('win64-msvc-clang', src, join(dir, 'callers.o')), /callers\.c:3:\d+: error/);
  });

  test('the faithfulness check rejects code that differs from the foreign object', { skip: missing('win64-msvc-clang') ?? false }, async () => {
    const dir = mkdtempSync(join(WORK, 'tamper-'));
    const src = join(dir, 'callers.c'), obj = join(dir, 'callers.o');
    writeFileSync(src, 'void g(int, int) __asm__("probe_stub");\nvoid probe_caller_1(void *a) { g(((int *)a)[0], 5); }\n');
    await buildForeignObject('win64-msvc-clang', src, obj);
    const ref = `${obj}.ref.coff.o`;
    const elfAsm = readFileSync(`${obj}.elf.s`, 'utf8');
    const tampered = join(dir, 'tampered.s');
    writeFileSync(tampered, elfAsm.replace(/movl\s+\$5, %edx/, 'movl\t$6, %edx'));
    const tamperedObj = join(dir, 'tampered.o');
    await mustRun(['clang', '--target=x86_64-linux-gnu', '-c', tampered, '-o', tamperedObj]);
    const { symbols } = translateForeignAsm('win64-msvc-clang', readFileSync(`${obj}.foreign.s`, 'utf8'));
    await verifyForeignObject('win64-msvc-clang', ref, obj, symbols);
    await assert.rejects(verifyForeignObject('win64-msvc-clang', ref, tamperedObj, symbols), /code bytes differ/);
  });
});
