// What the examples' build scripts share: rebuild an output only when a source beside it is newer,
// compile an example's TypeScript (tsc, source maps) into its build/js, and the flags that embed
// the system's CPython.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const newest = (dir) => Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));

/** Runs `build` when `output` is missing or older than a file in `sourceDir`. */
export function whenStale(output, sourceDir, build) {
  let stale = true;
  try {
    stale = statSync(output).mtimeMs < newest(sourceDir);
  } catch {
    // no output yet
  }
  if (stale) build();
}

/** `exampleDir`/src compiled by its tsconfig.json into build/js; returns build/js/app.js. */
export function compileTypeScript(exampleDir) {
  const app = join(exampleDir, 'build', 'js', 'app.js');
  whenStale(app, join(exampleDir, 'src'), () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(exampleDir, 'tsconfig.json')], { stdio: 'inherit' });
  });
  return app;
}

/** The system interpreter's config: a pyenv or venv python3 on PATH may have no shared libpython. */
const PYTHON_CONFIG = ['/usr/bin/python3-config', 'python3-config'].find((p) => !p.startsWith('/') || existsSync(p));

/** `python3-config ARGS…` split into compiler arguments. */
export function pythonFlags(...args) {
  try {
    return execFileSync(PYTHON_CONFIG, args, { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    throw new Error(`${PYTHON_CONFIG} ${args.join(' ')} failed (${error.message}): install python3-dev (apt-get install python3-dev)`);
  }
}

/**
 * The interpreter of the CPython the suites run with: the one beside the python3-config the
 * examples embed (POLYGLOT_PYTHON_CONFIG, as examples/chain honours it, or the system's), by its
 * versioned path (/usr/bin/python3-config → /usr/bin/python3.13 on Debian 13); a bare name when
 * the config is found on PATH.
 */
export function suitePython() {
  const config = process.env.POLYGLOT_PYTHON_CONFIG || PYTHON_CONFIG;
  const beside = config.replace(/-config$/, '');
  return beside.startsWith('/') && existsSync(beside) ? realpathSync(beside) : beside;
}
