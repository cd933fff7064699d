// Builds the mixed-mode example: libscene.so (gcc -g -O0) and the TypeScript (tsc, source maps)
// into examples/mixed/build/. Used by the demo and the tests; quick when nothing changed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript, whenStale } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');

export function buildMixedExample() {
  mkdirSync(out, { recursive: true });
  const lib = join(out, 'libscene.so');
  whenStale(lib, join(here, 'native'), () => {
    execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', '-o', lib, join(here, 'native', 'scene.c'), '-lm'], { stdio: 'inherit' });
  });
  const app = compileTypeScript(here);
  return { root: here, lib, app, appSource: join(here, 'src', 'app.ts'), cSource: join(here, 'native', 'scene.c') };
}

/**
 * libscene.so as users ship it: `compiler` gcc or clang, `flags` e.g. ['-O2', '-g'] or ['-O2'] (no
 * debug info), into build/variants/<compiler><flags>/. The app loads it from SCENE_LIBRARY.
 */
export function buildSceneVariant(compiler, flags) {
  const dir = join(out, 'variants', `${compiler}${flags.join('')}`);
  mkdirSync(dir, { recursive: true });
  const lib = join(dir, 'libscene.so');
  whenStale(lib, join(here, 'native'), () => {
    execFileSync(compiler, [...flags, '-fPIC', '-shared', '-o', lib, join(here, 'native', 'scene.c'), '-lm'], { stdio: 'inherit' });
  });
  return lib;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildMixedExample();
  console.log(`built ${built.lib} and ${built.app}`);
}
