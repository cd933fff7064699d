// Builds the mixed-mode example: libscene.so (gcc -g -O0) and the TypeScript (tsc, source maps)
// into examples/mixed/build/. Used by the demo and the tests; quick when nothing changed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');

const newest = (dir) => Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
const olderThan = (file, dir) => {
  try {
    return statSync(file).mtimeMs < newest(dir);
  } catch {
    return true;
  }
};

export function buildMixedExample() {
  mkdirSync(out, { recursive: true });
  const lib = join(out, 'libscene.so');
  if (olderThan(lib, join(here, 'native'))) {
    execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', '-o', lib, join(here, 'native', 'scene.c'), '-lm'], { stdio: 'inherit' });
  }
  const app = join(out, 'js', 'app.js');
  if (olderThan(app, join(here, 'src'))) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
  }
  return { root: here, lib, app, appSource: join(here, 'src', 'app.ts'), cSource: join(here, 'native', 'scene.c') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildMixedExample();
  console.log(`built ${built.lib} and ${built.app}`);
}
