#include <math.h>
#include <stddef.h>
#include "scene.h"

/* Length of p scaled by k: a struct passed by value, two doubles back in xmm registers. */
double scene_scale(Point p, double k)
{
    double len = sqrt(p.x * p.x + p.y * p.y); /* @scale-len */
    double scaled = len * k;
    return scaled; /* @scale-return */
}

int scene_add(int a, int b)
{
    int sum = a + b; /* @add */
    return sum;
}

/* Calls on_step once per step; the callback is JavaScript, reached through koffi. */
int scene_walk(int steps, step_fn on_step)
{
    int total = 0; /* @walk-entry */
    for (int i = 0; i < steps; i++) {
        double value = i * 0.5;
        int r = on_step(i, value); /* @walk-callback */
        total += r; /* @walk-after-callback */
    }
    return total; /* @walk-return */
}

int scene_crash(int *where)
{
    return *where + 1; /* @crash */
}

#include <stdio.h> /* here, not at the top: the lines above are the tests' fixed stack lines */
#include <string.h>

/* Measures text with libc (strlen, snprintf): steps in here go over the code the user did not
 * write, even when libc has debug info. */
int scene_label(const char *text, int n)
{
    char buffer[64];
    int length = (int)strlen(text); /* @label-strlen */
    int written = snprintf(buffer, sizeof buffer, "%s #%d", text, n); /* @label-snprintf */
    return length + written; /* @label-return */
}
