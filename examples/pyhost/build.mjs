// Builds the Python host example's C library: build/libstats.so (gcc -g -O0), which main.py loads
// with ctypes.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { whenStale } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');

export function buildPyHostExample() {
  mkdirSync(out, { recursive: true });
  const lib = join(out, 'libstats.so');
  whenStale(lib, join(here, 'native'), () => {
    execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', '-o', lib, join(here, 'native', 'stats.c')], { stdio: 'inherit' });
  });
  return { root: here, lib, program: join(here, 'main.py'), cSource: join(here, 'native', 'stats.c') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${buildPyHostExample().lib}`);
}
