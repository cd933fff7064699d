// The whole chain in one process: TypeScript → C → embedded Python → ctypes → C → koffi callback
// → TypeScript. Run it under Polyglot Debug to see one call stack across the three languages.
import * as koffi from 'koffi';
import * as path from 'node:path';

const here = path.join(__dirname, '..');
const libraryPath = path.join(here, 'libchain.so');
process.env.CHAIN_LIBRARY = libraryPath;
// global: libpython's symbols must be visible to the extension modules Python loads (ctypes).
const lib = koffi.load(libraryPath, { global: true });

const Notify = koffi.proto('int Notify(int value)');
const chain_run = lib.func('double chain_run(const char *dir, int n, Notify *notify)');

function onNotify(value: number): number {
  const reply = value + 1000; // @ts-notify
  return reply; // @ts-notify-return
}

function main(): void {
  const notify = koffi.register(onNotify, koffi.pointer(Notify));
  const pythonDir = path.join(here, '..', 'python');
  const result = chain_run(pythonDir, Number(process.env.CHAIN_N ?? 4), notify); // @ts-call-run
  // CHAIN_ROUNDS=N times the whole round trip again (bench/python.mts: the debuggee's slowdown).
  const rounds = Number(process.env.CHAIN_ROUNDS ?? 0);
  const start = performance.now();
  for (let round = 0; round < rounds; round++) chain_run(pythonDir, Number(process.env.CHAIN_N ?? 4), notify);
  if (rounds > 0) console.log(`chain rounds ${rounds} in ${(performance.now() - start).toFixed(1)} ms`);
  koffi.unregister(notify);
  console.log(`chain result ${result}`); // @ts-report
}

main(); // @ts-main
