/* A C library a Python program loads with ctypes: plain calls, a Python callback, and a crash. */
#include <stddef.h>

typedef double (*weight_fn)(int index, double value);

double stats_sum(const double *values, int count)
{
    double total = 0; /* @c-first-sum */
    for (int i = 0; i < count; i++) {
        total += values[i]; /* @c-sum */
    }
    return total; /* @c-done-sum */
}

/* Weighs each value through a Python function. */
double stats_weighted(const double *values, int count, weight_fn weigh)
{
    double total = 0; /* @c-first-weighted */
    for (int i = 0; i < count; i++) {
        double weighted = weigh(i, values[i]); /* @c-weigh */
        total += weighted;
    }
    return total; /* @c-done-weighted */
}

/* Reads values[index] without a check: a NULL `values` crashes here. */
double stats_at(const double *values, int index)
{
    return values[index]; /* @c-at */
}
