// What the examples' build scripts share: rebuild an output only when a source beside it is newer,
// and compile an example's TypeScript (tsc, source maps) into its build/js.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
