// Builds the three-language example: libchain.so (gcc -g -O0, embedding CPython through
// python3-config --embed) and the TypeScript (tsc, source maps) into examples/chain/build/.
// POLYGLOT_PYTHON_CONFIG names the python3-config of the CPython to embed (say
// /usr/bin/python3.11-config or a pyenv version's bin/python3-config); by default the system's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript, whenStale } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');
/** The chosen interpreter's config, else the system's: a pyenv or venv python3 on PATH may have no shared libpython. Read at each build (bench/python.mts builds for several). */
const pythonConfig = () => process.env.POLYGLOT_PYTHON_CONFIG || ['/usr/bin/python3-config', 'python3-config'].find((p) => !p.startsWith('/') || existsSync(p));

function pythonFlags(...args) {
  const config = pythonConfig();
  try {
    return execFileSync(config, args, { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    const fix = process.env.POLYGLOT_PYTHON_CONFIG ? 'check POLYGLOT_PYTHON_CONFIG' : 'install python3-dev (apt-get install python3-dev) or set POLYGLOT_PYTHON_CONFIG';
    throw new Error(`${config} ${args.join(' ')} failed (${error.message}): ${fix}`);
  }
}

export function buildChainExample() {
  mkdirSync(out, { recursive: true });
  const lib = join(out, 'libchain.so');
  // --includes, not --cflags: those are Python's own build flags (-O3 among them), which would
  // turn chain_notify's call of the callback into a tail jump and leave it off the stack.
  const includes = pythonFlags('--includes');
  const ldflags = pythonFlags('--ldflags', '--embed');
  // The library is rebuilt when the chosen Python changes, not only when chain.c does.
  const stamp = join(out, 'libchain.python');
  const wanted = JSON.stringify({ config: pythonConfig(), includes, ldflags });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) rmSync(lib, { force: true });
  whenStale(lib, join(here, 'native'), () => {
    const source = join(here, 'native', 'chain.c');
    execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', ...includes, '-o', lib, source, ...ldflags], { stdio: 'inherit' });
    writeFileSync(stamp, wanted);
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
