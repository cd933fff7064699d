/* The C side of geometry.h, and C code calling it: the ABI hover and inlay hints work here too. */
#include <stdarg.h>
#include <stdio.h>
#include "geometry.h"

float vec3_dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

Sample sample_scale(Sample s, double k)
{
    Sample out = { s.value * k, s.flags };
    return out;
}

struct Matrix matrix_rotate(const struct Matrix *m, double angle, int axis)
{
    struct Matrix out = *m;
    out.m[axis % 3][axis % 3] += angle;
    return out;
}

int header_check(struct Header h, long checksum, unsigned __int128 nonce)
{
    return (long)(h.kind + h.version + h.length) + (long)nonce == checksum;
}

int log_values(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int written = vprintf(fmt, args);
    va_end(args);
    return written;
}

double geometry_demo(void)
{
    Vec3 up = { 0, 1, 0 }, half = { 0.5f, 0.5f, 0 };
    float dot = vec3_dot(up, half);
    Sample scaled = sample_scale((Sample){ dot, 1 }, 2.0);
    struct Matrix identity = { { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } };
    struct Matrix turned = matrix_rotate(&identity, 0.25, 2);
    log_values("%f %d\n", scaled.value, 3);
    return dot + scaled.value + turned.m[2][2];
}
