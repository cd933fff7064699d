// The machine code that v8-break.ts maps into a program to call V8 on a thread stopped in the
// middle of C: run for real (gcc, this CPU), it must call its target with the two arguments (the
// first one from a getter when given one, which V8's isolate comes from), skip it when that
// argument is null, return it, and hand back every vector register as it found it, whatever the
// calls did to them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XSAVE_CALL_STUB } from '../../../src/engines/gdb/v8-break';

const avx = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));

// The callee clobbers xmm0, xmm1, xmm15 (and the upper halves of ymm7 and ymm15 with AVX) and the
// x87 stack top; the caller loads known values before the stub and reads them after.
const program = (hex: string) => `
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
static const char hex[] = "${hex}";
static volatile double sink;
static long seen_a, seen_b, calls;
__attribute__((noinline)) void clobber(long a, long b) {
  seen_a = a; seen_b = b; calls++;
  volatile long double x = 1.0L; for (int i = 0; i < 8; i++) x = x * 3.0L + 1.0L; sink = (double)x;
  __asm__ volatile("pcmpeqd %%xmm0,%%xmm0\\n pcmpeqd %%xmm1,%%xmm1\\n pcmpeqd %%xmm15,%%xmm15" ::: "xmm0", "xmm1", "xmm15");
#ifdef WITH_AVX
  __asm__ volatile("vpcmpeqd %%ymm7,%%ymm7,%%ymm7\\n vpcmpeqd %%ymm15,%%ymm15,%%ymm15" ::: "xmm7", "xmm15");
#endif
}
__attribute__((noinline)) long thirty_three(void) {
  __asm__ volatile("pcmpeqd %%xmm1,%%xmm1" ::: "xmm1");
  return 33;
}
__attribute__((noinline)) long nothing(void) { return 0; }
static unsigned char *page;
/* stub(clobber, a, 22, first), with known vector values around it. */
static void run(const char *what, long a, long (*first)(void)) {
  double in0 = 3.25, in1 = -7.5, in15 = 42.0, out0, out1, out15;
  unsigned long y7[4] = {0}, y15[4] = {0};
  long returned;
  seen_a = seen_b = calls = 0;
  __asm__ volatile(
    "movsd %[in0], %%xmm0\\n movsd %[in1], %%xmm1\\n movsd %[in15], %%xmm15\\n"
#ifdef WITH_AVX
    "vpxor %%ymm7, %%ymm7, %%ymm7\\n vmovsd %[in15], %%xmm15\\n"
#endif
    "mov %[fn], %%rdi\\n mov %[a], %%rsi\\n mov $22, %%rdx\\n mov %[first], %%rcx\\n call *%[stub]\\n mov %%rax, %[ret]\\n"
    "movsd %%xmm0, %[out0]\\n movsd %%xmm1, %[out1]\\n movsd %%xmm15, %[out15]\\n"
#ifdef WITH_AVX
    "vmovdqu %%ymm7, %[y7]\\n vmovdqu %%ymm15, %[y15]\\n"
#endif
    : [out0] "=m"(out0), [out1] "=m"(out1), [out15] "=m"(out15), [y7] "=m"(y7), [y15] "=m"(y15), [ret] "=m"(returned)
    : [in0] "m"(in0), [in1] "m"(in1), [in15] "m"(in15), [fn] "r"((void *)clobber), [stub] "r"(page), [a] "m"(a), [first] "m"(first)
    : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory");
  printf("%s: calls %ld args %ld %ld returned %ld\\n", what, calls, seen_a, seen_b, returned);
  printf("%s: xmm0 %g xmm1 %g xmm15 %g\\n", what, out0, out1, out15);
  printf("%s: ymm7-high %lx ymm15-high %lx\\n", what, y7[2] | y7[3], y15[2] | y15[3]);
}
int main(void) {
  page = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (size_t i = 0; i < strlen(hex) / 2; i++) sscanf(hex + 2 * i, "%2hhx", &page[i]);
  run("given", 11, 0);
  run("getter", 0, thirty_three);
  run("null", 0, nothing);
  return 0;
}
`;

test(`the XSAVE call stub calls its target (its first argument from a getter, or no call when null) and keeps the vector registers${avx ? ' (with AVX upper halves)' : ''}`, { skip: process.arch !== 'x64' && 'x86-64 code' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-stub-'));
  try {
    writeFileSync(join(dir, 'stub.c'), program(XSAVE_CALL_STUB.toString('hex')));
    execFileSync('gcc', ['-O1', ...(avx ? ['-mavx2', '-DWITH_AVX'] : []), '-o', join(dir, 'stub'), join(dir, 'stub.c')]);
    const out = execFileSync(join(dir, 'stub'), { encoding: 'utf8' });
    assert.match(out, /^given: calls 1 args 11 22 returned 11$/m, 'the target got both arguments; the first is returned');
    assert.match(out, /^getter: calls 1 args 33 22 returned 33$/m, "the getter's value is the first argument, and returned");
    assert.match(out, /^null: calls 0 args 0 0 returned 0$/m, 'a null first argument: no call, 0 returned');
    for (const what of ['given', 'getter', 'null']) {
      assert.match(out, new RegExp(`^${what}: xmm0 3\\.25 xmm1 -7\\.5 xmm15 42$`, 'm'), `${what}: xmm registers as they were before the call`);
      assert.match(out, new RegExp(`^${what}: ymm7-high 0 ymm15-high 0$`, 'm'), `${what}: upper halves as they were (zero without AVX)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
