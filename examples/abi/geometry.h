/* A small C library as a koffi or ctypes user would bind it: the ABI demo places its calls. */
#include <stdint.h>

typedef struct Vec3 { float x, y, z; } Vec3;            /* 3 floats: SSE eightbytes / an HFA */
typedef struct Sample { double value; int32_t flags; } Sample; /* mixed SSE + INTEGER */
struct Header {
    uint8_t kind : 4;
    uint8_t version : 4;
    uint16_t length;
    char tag[3];
};                                                      /* bit-fields and a char array */
struct Matrix { double m[3][3]; };                      /* 72 bytes: memory / by reference */

float vec3_dot(Vec3 a, Vec3 b);
Sample sample_scale(Sample s, double k);
struct Matrix matrix_rotate(const struct Matrix *m, double angle, int axis);
int header_check(struct Header h, long checksum, unsigned __int128 nonce);
int log_values(const char *fmt, ...);
