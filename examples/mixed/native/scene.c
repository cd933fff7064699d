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
