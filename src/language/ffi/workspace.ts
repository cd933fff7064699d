// A source tree's FFI facts: every file we can read, parsed once. Used by `polyglot-abi check`
// (and later the diagnostics provider) to pair foreign declarations with their C prototypes.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TargetId } from '../../abi/model';
import { findCFunction } from '../c/parse';
import { compareDeclarations, type FfiMismatch } from './check';
import { parseFfiFile } from './file';
import type { FfiFile } from './model';
import { grammarForFile } from '../syntax';

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'out', 'build', '__pycache__']);
const MAX_FILE_BYTES = 1 << 20;
const MAX_FILES = 5000;

export interface ParsedSource {
  readonly path: string;
  readonly file: FfiFile;
}

function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(path);
      } else if (entry.isFile() && grammarForFile(entry.name) && statSync(path).size <= MAX_FILE_BYTES) {
        found.push(path);
      }
    }
  };
  visit(root);
  return found;
}

export async function parseTree(root: string): Promise<ParsedSource[]> {
  const parsed: ParsedSource[] = [];
  for (const path of sourceFiles(root)) parsed.push({ path, file: await parseFfiFile(path, readFileSync(path, 'utf8')) });
  return parsed;
}

export interface LocatedMismatch extends FfiMismatch {
  /** Relative to the checked root. */
  readonly path: string;
}

/** Every koffi/ctypes declaration in the tree whose C prototype (found in the tree) differs. */
export async function checkTree(root: string, target: TargetId): Promise<LocatedMismatch[]> {
  const sources = await parseTree(root);
  const cFiles = sources.filter((s) => s.file.functions.some((f) => f.source === 'c')).map((s) => s.file);
  const mismatches: LocatedMismatch[] = [];
  for (const { path, file } of sources) {
    for (const foreign of file.functions) {
      if (foreign.source === 'c') continue;
      const c = findCFunction(cFiles, foreign.name);
      const mismatch = c && compareDeclarations(foreign, c, target);
      if (mismatch) mismatches.push({ ...mismatch, path: relative(root, path) });
    }
  }
  return mismatches;
}
