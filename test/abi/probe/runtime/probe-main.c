/* Probe runtime, compiled for the harness architecture (x86-64 or aarch64 Linux).
 * For each case: build the args struct twice (padding 0x00 / 0xff) to learn which bits are
 * significant, call the case's caller (which calls probe_stub), then compare the bytes at each
 * location the engine predicted. One line per case on stdout, flushed, so a crash names its case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe.h"

struct probe_dump probe_dump;
struct probe_ret probe_ret;

static const struct probe_case *cur;
static unsigned char a0[PROBE_ARGS_MAX] __attribute__((aligned(64)));
static unsigned char a1[PROBE_ARGS_MAX] __attribute__((aligned(64)));
static unsigned char args[PROBE_ARGS_MAX] __attribute__((aligned(64)));
static unsigned char mask[PROBE_ARGS_MAX];
static unsigned long long info[512];
static unsigned char ind_copy[64][PROBE_ARGS_MAX / 16]; /* bytes behind indirect pointers */
static int ind_ok[64];
static int sret_ok;

#define IND_MAX (PROBE_ARGS_MAX / 16)

/* A pointer the engine says the caller passed must point into the caller's stack or args. */
static int plausible(uint64_t p, uint64_t size) {
  uint64_t sp = probe_dump.entry_sp;
  if (p >= sp && p + size <= sp + (1u << 20)) return 1;
  return p >= (uint64_t)(uintptr_t)args && p + size <= (uint64_t)(uintptr_t)args + sizeof args;
}

static uint64_t read_loc(int kind, int index) {
  uint64_t v = 0;
  if (kind == LOC_GPR) v = probe_dump.gpr[index];
  else if (kind == LOC_STACK && index >= 0 && index + 8 <= PROBE_STACK_DUMP) memcpy(&v, probe_dump.stack + index, 8);
  return v;
}

/* Called by the stub (SysV / AAPCS64 C convention, aligned stack) after dumping registers. */
void probe_hook(void) {
  memcpy(probe_dump.stack, (const void *)(uintptr_t)probe_dump.entry_sp, PROBE_STACK_DUMP);
  for (int j = 0; j < cur->npieces && j < 64; j++) {
    const struct probe_piece *p = &cur->pieces[j];
    ind_ok[j] = 0;
    if (p->param < 0 || !p->indirect || p->size > IND_MAX) continue;
    uint64_t ptr = read_loc(p->kind, p->index);
    if (plausible(ptr, p->size)) {
      memcpy(ind_copy[j], (const void *)(uintptr_t)ptr, p->size);
      ind_ok[j] = 1;
    }
  }
  sret_ok = 0;
  if (cur->sret_reg >= 0) {
    uint64_t ptr = probe_dump.gpr[cur->sret_reg];
    int np = cur->nparams;
    uint64_t size = info[2 + 2 * np];
    if (plausible(ptr, size)) {
      memcpy((void *)(uintptr_t)ptr, a1 + info[1 + 2 * np], size);
      sret_ok = 1;
#ifdef __x86_64__
      probe_ret.gpr[0] = ptr; /* the callee hands the pointer back in rax */
#endif
    }
  }
}

static void hex(const unsigned char *b, int n) {
  for (int i = 0; i < n; i++) printf("%02x", b[i]);
}

/* Expected bytes with mask, then observed: "exp/mask/obs". */
static void mismatch(const char *what, int kind, int index, int indirect, const unsigned char *exp,
                     const unsigned char *m, const unsigned char *obs, int n) {
  printf("X %s %d %d %d ", what, kind, index, indirect);
  hex(exp, n); putchar(' ');
  hex(m, n); putchar(' ');
  if (obs) hex(obs, n); else printf("-");
  putchar('\n');
}

static int same(const unsigned char *e, const unsigned char *m, const unsigned char *o, int n) {
  for (int i = 0; i < n; i++) if ((e[i] ^ o[i]) & m[i]) return 0;
  return 1;
}

static const unsigned char *observed(int kind, int index, int size) {
  if (kind == LOC_GPR && index >= 0 && index < 16 && size <= 8) return (const unsigned char *)&probe_dump.gpr[index];
  if (kind == LOC_VEC && index >= 0 && index < 8 && size <= 16) return probe_dump.vec[index];
  if (kind == LOC_STACK && index >= 0 && index + size <= PROBE_STACK_DUMP) return probe_dump.stack + index;
  return 0;
}

static void dump_all(void) {
  for (int g = 0; g < 16; g++) { printf("G g%d ", g); hex((unsigned char *)&probe_dump.gpr[g], 8); putchar('\n'); }
  for (int v = 0; v < 8; v++) { printf("G v%d ", v); hex(probe_dump.vec[v], 16); putchar('\n'); }
  printf("G stack "); hex(probe_dump.stack, 512); putchar('\n');
}

static void run_case(int i) {
  const struct probe_case *k = &probe_cases[i];
  printf("B %d\n", i);
  fflush(stdout);
  memset(info, 0, sizeof info);
  probe_call_setup(k, a0, info, 0x00);
  probe_call_setup(k, a1, info, 0xff);
  uint64_t total = info[0];
  int np = k->nparams, fails = 0;
  char what[64];
  if (total > PROBE_ARGS_MAX) { printf("R %d skip args struct too large\n", i); fflush(stdout); return; }
  for (uint64_t b = 0; b < total; b++) mask[b] = (unsigned char)~(a0[b] ^ a1[b]);
  memcpy(args, a1, total);
  uint64_t roff = info[1 + 2 * np], rsize = info[2 + 2 * np];

  /* Return registers: junk everywhere, then the expected value's bytes where predicted. */
  for (int g = 0; g < 8; g++) probe_ret.gpr[g] = 0xa5a5a5a5a5a50000ull | (unsigned)(g * 0x1111);
  for (int v = 0; v < 8; v++) memset(probe_ret.vec[v], 0xc0 + v, 16);
  probe_ret.x87_count = 0;
  for (int j = 0; j < k->npieces; j++) {
    const struct probe_piece *p = &k->pieces[j];
    if (p->param >= 0 || p->indirect || p->offset + p->size > (int)rsize) continue;
    const unsigned char *src = a1 + roff + p->offset;
    if (p->kind == LOC_GPR && p->index < 8 && p->size <= 8) memcpy(&probe_ret.gpr[p->index], src, p->size);
    else if (p->kind == LOC_VEC && p->index < 8 && p->size <= 16) memcpy(probe_ret.vec[p->index], src, p->size);
    else if (p->kind == LOC_X87 && p->index < 2) { memcpy(probe_ret.x87[p->index], src, 10); probe_ret.x87_count++; }
  }
  memset(args + roff, 0x5a, rsize); /* so a return value the caller never stores cannot pass */
  cur = k;
  probe_call_caller(k, args);
#ifdef __x86_64__
  __asm__ volatile("fninit"); /* a wrong x87 prediction must not poison later cases */
#endif

  for (int p = 0; p <= np; p++) {
    if ((long long)info[2 + 2 * p] != k->sizes[p]) {
      printf("X size%d 0 0 0 %llx - %x\n", p, info[2 + 2 * p], k->sizes[p]);
      fails++;
    }
  }
  for (int j = 0; j < k->npieces; j++) {
    const struct probe_piece *p = &k->pieces[j];
    if (p->param < 0) continue;
    uint64_t base = info[1 + 2 * p->param] + p->offset;
    if (base + p->size > total) { mismatch("range", p->kind, p->index, p->indirect, a1, mask, 0, 0); fails++; continue; }
    const unsigned char *exp = a1 + base, *m = mask + base, *obs;
    if (p->indirect) obs = (j < 64 && ind_ok[j]) ? ind_copy[j] : 0;
    else obs = observed(p->kind, p->index, p->size);
    snprintf(what, sizeof what, "p%d.%d", p->param, j);
    if (!obs || !same(exp, m, obs, p->size)) { mismatch(what, p->kind, p->index, p->indirect, exp, m, obs, p->size); fails++; }
    if (p->also_kind) {
      const unsigned char *o2 = observed(p->also_kind, p->also_index, p->size);
      snprintf(what, sizeof what, "p%d.%d.also", p->param, j);
      if (!o2 || !same(exp, m, o2, p->size)) { mismatch(what, p->also_kind, p->also_index, 0, exp, m, o2, p->size); fails++; }
    }
  }
  if (k->sret_reg >= 0 && !sret_ok) { printf("X sret %d %d 1 - - -\n", LOC_GPR, k->sret_reg); fails++; }
  if (rsize && !same(a1 + roff, mask + roff, args + roff, (int)rsize)) {
    mismatch("ret", 0, 0, 0, a1 + roff, mask + roff, args + roff, (int)rsize);
    fails++;
  }
#ifdef __x86_64__
  if (k->al >= 0 && (probe_dump.gpr[6] & 0xff) != (uint64_t)k->al) {
    printf("X al 1 6 0 %02x ff %02x\n", k->al, (unsigned)(probe_dump.gpr[6] & 0xff));
    fails++;
  }
#endif
  if (fails) dump_all();
  printf("R %d %s\n", i, fails ? "fail" : "ok");
  fflush(stdout);
}

int main(int argc, char **argv) {
  int start = argc > 1 ? atoi(argv[1]) : 0;
  for (int i = start; i < probe_ncases; i++) run_case(i);
  printf("END\n");
  return 0;
}
