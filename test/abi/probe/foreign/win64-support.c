/* Microsoft-convention C runtime shims for Win64 code converted by foreign.ts.
 *
 * Win64 code passes memcpy's arguments in rcx, rdx, r8 and may rely on rdi, rsi and xmm6-15
 * surviving the call; glibc's memcpy expects rdi, rsi, rdx. foreign.ts renames the converted
 * code's calls (memcpy -> pgf_win64_memcpy, ...) to these ms_abi functions, which gcc compiles
 * with the register moves and saves needed to call the SysV libc. `long` here is the host's
 * LP64 long, so sizes are spelled unsigned long long (Win64 size_t is 64-bit too).
 * Weak, so the file may be linked more than once. */
#define SHIM __attribute__((ms_abi, weak, used))

SHIM void *pgf_win64_memcpy(void *dst, const void *src, unsigned long long n) { return __builtin_memcpy(dst, src, n); }
SHIM void *pgf_win64_memmove(void *dst, const void *src, unsigned long long n) { return __builtin_memmove(dst, src, n); }
SHIM void *pgf_win64_memset(void *dst, int c, unsigned long long n) { return __builtin_memset(dst, c, n); }
SHIM int pgf_win64_memcmp(const void *a, const void *b, unsigned long long n) { return __builtin_memcmp(a, b, n); }
SHIM unsigned long long pgf_win64_strlen(const char *s) { return __builtin_strlen(s); }
