/* The C in the middle of the chain: TypeScript calls chain_run through koffi; chain_run runs
 * Python with the C API; Python calls chain_add and chain_notify back through ctypes; chain_notify
 * calls a TypeScript callback through koffi. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

typedef int (*notify_fn)(int value);
static notify_fn on_notify;

int chain_add(int a, int b)
{
    int sum = a + b; /* @chain-add */
    return sum;
}

int chain_notify(int value)
{
    int answer = on_notify ? on_notify(value) : value; /* @chain-notify */
    return answer;
}

/* Runs compute.compute(n) from `dir` in an embedded interpreter; -1 when Python failed. */
double chain_run(const char *dir, int n, notify_fn notify)
{
    on_notify = notify;
    if (!Py_IsInitialized()) {
        Py_Initialize(); /* @chain-init */
        /* Hosts differ: most release the GIL and take it per call (below); CHAIN_KEEP_GIL=1 plays
         * one that keeps it for good. */
        if (!getenv("CHAIN_KEEP_GIL")) PyEval_SaveThread();
    }
    PyGILState_STATE gil = PyGILState_Ensure();
    double result = -1;
    PyObject *path = PySys_GetObject("path");
    PyObject *where = PyUnicode_FromString(dir);
    if (path && where && !PySequence_Contains(path, where)) PyList_Insert(path, 0, where);
    Py_XDECREF(where);
    PyObject *module = PyImport_ImportModule("compute");
    PyObject *value = module ? PyObject_CallMethod(module, "compute", "i", n) : NULL; /* @call-python */
    if (value) result = PyFloat_AsDouble(value);
    else PyErr_Print();
    Py_XDECREF(value);
    Py_XDECREF(module);
    PyGILState_Release(gil);
    return result; /* @after-python */
}
