// TypeScript calling CPython directly: koffi binds libpython's embedding API (Py_Initialize,
// PyRun_SimpleString) — no C of the user's in between.
import * as koffi from 'koffi';
import * as path from 'node:path';

/** TSPY_LIBPYTHON, else the newest CPython 3 shared library the dynamic loader finds. */
function loadLibpython(): koffi.LibraryHandle {
  const names = process.env.TSPY_LIBPYTHON ? [process.env.TSPY_LIBPYTHON] : [14, 13, 12, 11, 10, 9].map((minor) => `libpython3.${minor}.so.1.0`);
  for (const name of names) {
    try {
      // Globally, so that Python's own extension modules (_ctypes, …) find libpython's symbols.
      return koffi.load(name, { global: true });
    } catch {
      // not this one
    }
  }
  throw new Error(`no libpython found (tried ${names.join(', ')}); set TSPY_LIBPYTHON to its path`);
}

const libpython = loadLibpython();
const Py_Initialize = libpython.func('void Py_Initialize()');
const PyRun_SimpleString = libpython.func('int PyRun_SimpleString(const char *code)');

function greet(times: number): number {
  const dir = path.join(__dirname, '..', '..', 'python');
  const code = `import sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport greet\ngreet.hello(${times})\n`;
  const status = PyRun_SimpleString(code); // @ts-run
  return status; // @ts-after-run
}

function main(): void {
  Py_Initialize(); // @ts-init
  const status = greet(2); // @ts-greet
  console.log(`python status ${status}`);
}

main();
