// Builds the TS → libpython example: only TypeScript (tsc, source maps) into build/js; the
// program loads the system's libpython with koffi.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript } from '../build-steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));

export function buildTsPyExample() {
  const app = compileTypeScript(here);
  return { root: here, app, appSource: `${here}/src/app.ts`, pySource: `${here}/python/greet.py` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${buildTsPyExample().app}`);
}
