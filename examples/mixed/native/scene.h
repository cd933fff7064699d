/* libscene: the C half of the mixed-mode example. Called from TypeScript through koffi;
 * scene_walk calls a JavaScript callback back through a koffi function pointer. */
#ifndef SCENE_H
#define SCENE_H

typedef struct Point {
    double x;
    double y;
} Point;

typedef int (*step_fn)(int step, double value);

double scene_scale(Point p, double k);
int scene_walk(int steps, step_fn on_step);
int scene_add(int a, int b);
int scene_crash(int *where);
int scene_label(const char *text, int n);

#endif
