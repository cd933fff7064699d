/* Shared by the probe runtime (probe-main.c) and each generated case table.
 * Layouts here are mirrored by byte offsets in stub-x86_64.S and stub-aarch64.S. */
#ifndef PROBE_H
#define PROBE_H
#include <stdint.h>

#define PROBE_STACK_DUMP 2048 /* bytes of the incoming argument area copied at stub entry */
#define PROBE_ARGS_MAX 16384  /* largest args struct of one case */

/* Filled by the stub at entry. x86-64: gpr = rdi rsi rdx rcx r8 r9 rax; aarch64: x0..x8. */
struct probe_dump {
  uint64_t gpr[16];               /* offset 0 */
  unsigned char vec[8][16];       /* offset 128: xmm0-7 / q0-7 */
  uint64_t entry_sp;              /* offset 256: [rsp+8] at entry on x86-64, sp on aarch64 */
  uint64_t pad;
  unsigned char stack[PROBE_STACK_DUMP]; /* offset 272, copied by the hook */
};

/* Loaded by the stub into the return registers. x86-64: gpr = rax rdx; aarch64: x0..x7. */
struct probe_ret {
  uint64_t gpr[8];                /* offset 0 */
  unsigned char vec[8][16];       /* offset 64: xmm0-1 / q0-7 */
  unsigned char x87[2][16];       /* offset 192: st0, st1 (80-bit values) */
  uint64_t x87_count;             /* offset 224: how many to push (0 unless predicted) */
};

enum { LOC_GPR = 1, LOC_VEC = 2, LOC_STACK = 3, LOC_X87 = 4 };

/* One predicted piece. param -1 is the return value. index: register number or stack offset. */
struct probe_piece {
  short param, kind;
  int index, offset, size;
  short indirect, also_kind;
  int also_index;
};

typedef void (*probe_setup_fn)(void *args, unsigned long long *info, int fill);
typedef void (*probe_caller_fn)(void *args);

struct probe_case {
  const char *id;
  void *setup;  /* probe_setup_fn with the callers' calling convention */
  void *caller; /* probe_caller_fn with the callers' calling convention */
  int nparams;
  const int *sizes;   /* engine's sizeof per param, then the return value */
  const struct probe_piece *pieces;
  int npieces;
  int sret_reg; /* dump gpr index of the hidden pointer, or -1 */
  int al;       /* expected al, or -1 */
};

extern const struct probe_case probe_cases[];
extern const int probe_ncases;
/* Calls through the callers' convention (ms_abi for Win64 callers); defined per batch. */
void probe_call_setup(const struct probe_case *k, void *args, unsigned long long *info, int fill);
void probe_call_caller(const struct probe_case *k, void *args);
#endif
