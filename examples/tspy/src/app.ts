// TypeScript calling CPython directly: koffi binds libpython's embedding API (Py_Initialize,
// PyRun_SimpleString) — no C of the user's in between.
import * as koffi from 'koffi';
import * as path from 'node:path';

// Globally, so that Python's own extension modules (_ctypes, …) find libpython's symbols.
const libpython = koffi.load(process.env.TSPY_LIBPYTHON ?? 'libpython3.11.so.1.0', { global: true });
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
