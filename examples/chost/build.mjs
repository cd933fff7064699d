// Builds the C host example: `host` (gcc -g -O0, -rdynamic so Python finds its functions with
// ctypes.CDLL(None)), embedding Debian's CPython through python3-config --embed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonFlags, whenStale } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');

export function buildCHostExample() {
  mkdirSync(out, { recursive: true });
  const program = join(out, 'host');
  whenStale(program, join(here, 'native'), () => {
    const source = join(here, 'native', 'host.c');
    execFileSync('gcc', ['-g', '-O0', '-rdynamic', ...pythonFlags('--includes'), '-o', program, source, ...pythonFlags('--ldflags', '--embed')], { stdio: 'inherit' });
  });
  return {
    root: here,
    program,
    pyDir: join(here, 'python'),
    cSource: join(here, 'native', 'host.c'),
    workSource: join(here, 'python', 'work.py'),
    scriptSource: join(here, 'python', 'script.py'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${buildCHostExample().program}`);
}
