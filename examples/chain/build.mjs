// Builds the three-language example: libchain.so (gcc -g -O0, embedding Debian's CPython through
// python3-config --embed) and the TypeScript (tsc, source maps) into examples/chain/build/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript, whenStale } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');
/** The system interpreter's config: a pyenv or venv python3 on PATH may have no shared libpython. */
const PYTHON_CONFIG = ['/usr/bin/python3-config', 'python3-config'].find((p) => !p.startsWith('/') || existsSync(p));

function pythonFlags(...args) {
  try {
    return execFileSync(PYTHON_CONFIG, args, { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    throw new Error(`${PYTHON_CONFIG} ${args.join(' ')} failed (${error.message}): install python3-dev (apt-get install python3-dev)`);
  }
}

export function buildChainExample() {
  mkdirSync(out, { recursive: true });
  const lib = join(out, 'libchain.so');
  whenStale(lib, join(here, 'native'), () => {
    const source = join(here, 'native', 'chain.c');
    // --includes, not --cflags: those are Python's own build flags (-O3 among them), which would
    // turn chain_notify's call of the callback into a tail jump and leave it off the stack.
    execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', ...pythonFlags('--includes'), '-o', lib, source, ...pythonFlags('--ldflags', '--embed')], { stdio: 'inherit' });
  });
  const app = compileTypeScript(here);
  return {
    root: here,
    lib,
    app,
    appSource: join(here, 'src', 'app.ts'),
    cSource: join(here, 'native', 'chain.c'),
    pySource: join(here, 'python', 'compute.py'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildChainExample();
  console.log(`built ${built.lib} and ${built.app}`);
}
