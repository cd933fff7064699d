// The launch configuration proposed for a file the user has open (F5 without a launch.json, or
// "Add Configuration"): a TypeScript file runs from its compiled output, found through the
// project's tsconfig outDir; a JavaScript file and a Python script run as they are; a C/C++ file
// runs the executable built from it (found in the workspace: an ELF program whose debug
// information names the file).

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';

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
const PY = new Set(['.py', '.pyw']);
const C = new Set(['.c', '.cc', '.cpp', '.cxx']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox']);
const MAX_SCAN_DEPTH = 4;
const MAX_CANDIDATES = 200;
const MAX_EXECUTABLE_BYTES = 64 * 1024 * 1024;

function isElfProgram(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const header = Buffer.alloc(18);
      if (readSync(fd, header, 0, 18, 0) < 18 || header.toString('latin1', 0, 4) !== '\x7fELF') return false;
      const type = header.readUInt16LE(16);
      return type === 2 || type === 3; // executable or PIE (a shared library is weeded out below)
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Executable ELF files under `root` (bounded depth and count), skipping dependency folders. */
function executablesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_SCAN_DEPTH || found.length >= MAX_CANDIDATES) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path, depth + 1);
      } else if (entry.isFile() && !/\.(so|o|a)(\.|$)/.test(entry.name)) {
        try {
          const stats = statSync(path);
          if (stats.mode & 0o111 && stats.size < MAX_EXECUTABLE_BYTES && isElfProgram(path)) found.push(path);
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  walk(root, 0);
  return found;
}

/** The executable built from `source`: its debug information names the file (its path, or at least its name). */
export function executableBuiltFrom(source: string, workspaceRoot: string): string | undefined {
  const name = Buffer.from(basename(source));
  const full = Buffer.from(source);
  let byName: string | undefined;
  for (const candidate of executablesUnder(workspaceRoot)) {
    const bytes = readFileSync(candidate);
    if (bytes.includes(full)) return candidate;
    if (!byName && bytes.includes(name)) byName = candidate;
  }
  return byName;
}

/** Why no configuration can be proposed for `file`, for the message shown instead. */
export function whyNoProposal(file: string): string {
  const ext = extname(file).toLowerCase();
  if (C.has(ext)) return `Found no executable built from ${basename(file)} in the workspace. Build it with \`-g\` (e.g. \`gcc -g -O0 -o build/app ${basename(file)}\`), then press F5 again, or add a launch configuration whose "program" is the executable.`;
  return 'Open the program to debug — a TypeScript/JavaScript file, a Python script, or a C/C++ source of an executable built with -g — then press F5.';
}

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
  if (C.has(ext.toLowerCase())) {
    const program = executableBuiltFrom(file, workspaceRoot);
    if (!program) return undefined;
    return { type: 'polyglot', request: 'launch', name: `Polyglot: ${relative(workspaceRoot, program)}`, program: inWorkspace(program, workspaceRoot), cwd: inWorkspace(dirname(program), workspaceRoot) };
  }
  if (!TS.has(ext) && !JS.has(ext) && !PY.has(ext)) return undefined;
  const base = { type: 'polyglot' as const, request: 'launch' as const, name: `Polyglot: ${relative(workspaceRoot, file)}`, program: inWorkspace(file, workspaceRoot) };
  if (JS.has(ext) || PY.has(ext)) return { ...base, cwd: inWorkspace(dirname(file), workspaceRoot) };
  const tsconfig = nearestTsconfig(file, workspaceRoot);
  const outDir = tsconfig ? outDirOf(tsconfig) : undefined;
  const projectRoot = tsconfig ? dirname(tsconfig) : workspaceRoot;
  return {
    ...base,
    cwd: projectRoot === workspaceRoot ? '${workspaceFolder}' : inWorkspace(projectRoot, workspaceRoot),
    outFiles: [outDir ? `${inWorkspace(outDir, workspaceRoot)}/**/*.js` : '${workspaceFolder}/**/*.js', '!**/node_modules/**'],
  };
}
