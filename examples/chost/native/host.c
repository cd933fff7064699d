/* A C program that embeds Python, with no Node anywhere: main runs Python code given as a string
 * (no file) and code compiled from a file; that Python calls functions this executable exports
 * (ctypes.CDLL(None), linked with -rdynamic), and one of them calls a Python callback back. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef int (*visit_fn)(int value);

/* Exported for Python: ctypes finds it in the executable itself. */
int host_mix(int a, int b)
{
    int mixed = a * 10 + b; /* @host-mix */
    return mixed;
}

/* Calls a Python function (a ctypes callback) once per value. */
int host_visit(int count, visit_fn visit)
{
    int total = 0;
    for (int i = 0; i < count; i++) {
        total += visit(i); /* @host-visit */
    }
    return total; /* @host-visit-done */
}

/* Reads through a pointer Python passes: NULL crashes here (HOST_CRASH=1). */
int host_read(const int *where)
{
    return *where; /* @host-read */
}

/* Runs `path` as a module's code: compiled with its real file name, so its lines have a source. */
static int run_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        perror(path); /* @host-no-file */
        return -1;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    size_t got = fread(text, 1, (size_t)size, file);
    text[got] = '\0';
    fclose(file);
    PyObject *code = Py_CompileString(text, path, Py_file_input);
    free(text);
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *result = code ? PyEval_EvalCode(code, globals, globals) : NULL; /* @host-run-file */
    if (!result) PyErr_Print();
    int ok = result ? 0 : -1;
    Py_XDECREF(result);
    Py_XDECREF(code);
    Py_DECREF(globals);
    return ok;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    Py_Initialize(); /* @host-init */
    PyObject *path = PySys_GetObject("path");
    PyObject *where = PyUnicode_FromString(dir);
    PyList_Insert(path, 0, where);
    Py_DECREF(where);

    /* Code without a file: its frames are "<string>". */
    char inline_code[256];
    snprintf(inline_code, sizeof inline_code, "import work\nprint('inline', work.run(%d))\n", rounds);
    int status = PyRun_SimpleString(inline_code); /* @host-run-string */

    /* PyRun_StringFlags with its own globals: an expression's value comes back to C. */
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *value = PyRun_StringFlags("__import__('work').mix_twice(4)", Py_eval_input, globals, globals, NULL); /* @host-run-flags */
    long mixed = value ? PyLong_AsLong(value) : -1;
    if (!value) PyErr_Print();
    Py_XDECREF(value);
    Py_DECREF(globals);

    /* Code with a file. */
    char script[4096];
    snprintf(script, sizeof script, "%s/script.py", dir);
    int file_status = run_file(script); /* @host-call-run-file */

    printf("host done: status %d, mixed %ld, file %d\n", status, mixed, file_status); /* @host-done */
    fflush(stdout);

    /* HOST_SERVE=1: run on as a service (to attach to), a round of Python every 50 ms. */
    for (long round = 1; getenv("HOST_SERVE"); round++) {
        PyRun_SimpleString("import work; work.run(2)"); /* @host-serve */
        if (round % 20 == 0) printf("served %ld\n", round);
        fflush(stdout);
        usleep(50 * 1000);
    }
    fflush(stdout);
    Py_Finalize();
    return status == 0 && file_status == 0 ? 0 : 1;
}
