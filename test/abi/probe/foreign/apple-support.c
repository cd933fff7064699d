/* Darwin libSystem routines that Apple-arm64 code converted by foreign.ts may call and glibc
 * lacks. Apple arm64 uses the plain AAPCS64 convention for them, so these are ordinary C.
 * (memcpy, memset, bzero, memmove: glibc's, called directly — same convention.)
 * Weak, so the file may be linked more than once. */
#define DARWIN __attribute__((weak, used))

static void fill_pattern(unsigned char *b, const unsigned char *pat, unsigned long plen, unsigned long len) {
  for (unsigned long i = 0; i < len; i++) b[i] = pat[i % plen];
}
DARWIN void memset_pattern4(void *b, const void *pattern4, unsigned long len) { fill_pattern(b, pattern4, 4, len); }
DARWIN void memset_pattern8(void *b, const void *pattern8, unsigned long len) { fill_pattern(b, pattern8, 8, len); }
DARWIN void memset_pattern16(void *b, const void *pattern16, unsigned long len) { fill_pattern(b, pattern16, 16, len); }
