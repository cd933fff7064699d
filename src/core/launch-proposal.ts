// The launch configuration proposed for a file the user has open (F5 without a launch.json, or
// "Add Configuration"): a TypeScript file runs from its compiled output, found through the
// project's tsconfig outDir; a JavaScript file runs as it is.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';

export interface ProposedLaunch {
  type: 'polyglot';
  request: 'launch';
  name: string;
  program: string;
  outFiles?: string[];
  cwd: string;
}

const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS = new Set(['.js', '.mjs', '.cjs']);

/** The nearest tsconfig.json at or above the file, inside the workspace folder. */
function nearestTsconfig(file: string, workspaceRoot: string): string | undefined {
  for (let dir = dirname(file); dir.startsWith(workspaceRoot); dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === dirname(dir)) break;
  }
  return undefined;
}

/** tsconfig.json allows comments and trailing commas. */
function outDirOf(tsconfig: string): string | undefined {
  try {
    const text = readFileSync(tsconfig, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
    const outDir = (JSON.parse(text) as { compilerOptions?: { outDir?: string } }).compilerOptions?.outDir;
    return outDir ? join(dirname(tsconfig), outDir) : undefined;
  } catch {
    return undefined;
  }
}

/** Paths in `${workspaceFolder}` form, so the configuration moves with the project. */
function inWorkspace(path: string, root: string): string {
  const inside = relative(root, path).split('\\').join('/');
  return inside ? `\${workspaceFolder}/${inside}` : '${workspaceFolder}';
}

export function proposeLaunch(file: string, workspaceRoot: string): ProposedLaunch | undefined {
  const ext = extname(file);
  if (!TS.has(ext) && !JS.has(ext)) return undefined;
  const base = { type: 'polyglot' as const, request: 'launch' as const, name: `Polyglot: ${relative(workspaceRoot, file)}`, program: inWorkspace(file, workspaceRoot) };
  if (JS.has(ext)) return { ...base, cwd: inWorkspace(dirname(file), workspaceRoot) };
  const tsconfig = nearestTsconfig(file, workspaceRoot);
  const outDir = tsconfig ? outDirOf(tsconfig) : undefined;
  const projectRoot = tsconfig ? dirname(tsconfig) : workspaceRoot;
  return {
    ...base,
    cwd: projectRoot === workspaceRoot ? '${workspaceFolder}' : inWorkspace(projectRoot, workspaceRoot),
    outFiles: [outDir ? `${inWorkspace(outDir, workspaceRoot)}/**/*.js` : '${workspaceFolder}/**/*.js', '!**/node_modules/**'],
  };
}
