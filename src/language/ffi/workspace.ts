// A source tree's FFI facts: every file we can read, parsed once. Used by `polyglot-abi check`
// and the diagnostics provider to pair foreign declarations with their C prototypes, and to say
// how much of the tree was actually compared — a check that compared nothing is no "clean".

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TargetId } from '../../abi/model';
import { findCFunction } from '../c/parse';
import { compareOrExplain, type FfiMismatch } from './check';
import { parseFfiFile, type FfiParseOptions } from './file';
import type { FfiFile, FfiFunction } from './model';
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

export async function parseTree(root: string, options: FfiParseOptions = {}): Promise<ParsedSource[]> {
  const parsed: ParsedSource[] = [];
  for (const path of sourceFiles(root)) parsed.push({ path, file: await parseFfiFile(path, readFileSync(path, 'utf8'), options) });
  return parsed;
}

export interface LocatedMismatch extends FfiMismatch {
  /** Relative to the checked root. */
  readonly path: string;
  /** Where the C prototype is (relative to the root), to show both declarations side by side. */
  readonly cLocation: { readonly path: string; readonly range: FfiFunction['range'] } | null;
}

/** A declaration that was found but not compared, and why. */
export interface NotCompared {
  readonly path: string;
  readonly function: string;
  readonly line: number;
  readonly reason: string;
}

export interface Coverage {
  /** koffi and ctypes declarations found. */
  found: number;
  /** Compared with a C prototype (whatever the outcome). */
  compared: number;
  /** No C function of that name in the tree. */
  withoutC: number;
  /** The declaration or its C prototype could not be read. */
  notUnderstood: number;
}

export interface CheckReport {
  readonly root: string;
  readonly target: TargetId;
  /** C functions (prototypes and definitions) found in the tree. */
  readonly cFunctions: number;
  readonly files: readonly ({ readonly path: string } & Coverage)[];
  readonly total: Coverage;
  readonly mismatches: readonly LocatedMismatch[];
  readonly withoutC: readonly NotCompared[];
  readonly notUnderstood: readonly NotCompared[];
}

const emptyCoverage = (): Coverage => ({ found: 0, compared: 0, withoutC: 0, notUnderstood: 0 });

/** Compares every koffi/ctypes declaration in the tree with the C prototype (found in the tree) of the same name. */
export async function checkWorkspace(root: string, target: TargetId, options: FfiParseOptions = {}): Promise<CheckReport> {
  const sources = await parseTree(root, { target, ...options });
  const cSources = sources.filter((s) => s.file.functions.some((f) => f.source === 'c'));
  const cFiles = cSources.map((s) => s.file);
  const cPathOf = (fn: FfiFunction) => cSources.find((s) => s.file.functions.includes(fn))?.path;
  const cFunctions = new Set(cFiles.flatMap((f) => f.functions.filter((fn) => fn.source === 'c').map((fn) => fn.name))).size;
  const report = { root, target, cFunctions, files: [] as ({ path: string } & Coverage)[], total: emptyCoverage(), mismatches: [] as LocatedMismatch[], withoutC: [] as NotCompared[], notUnderstood: [] as NotCompared[] };
  for (const { path, file } of sources) {
    const foreign = file.functions.filter((f) => f.source !== 'c');
    if (foreign.length === 0) continue;
    const rel = relative(root, path);
    const coverage = { path: rel, ...emptyCoverage() };
    const skip = (fn: FfiFunction, reason: string, list: NotCompared[]) => list.push({ path: rel, function: fn.name, line: fn.range.start.line + 1, reason });
    for (const fn of foreign) {
      coverage.found++;
      const c = findCFunction(cFiles, fn.name);
      if (!fn.prototype) {
        coverage.notUnderstood++;
        skip(fn, fn.problems.join('; ') || 'the declaration could not be read', report.notUnderstood);
      } else if (!c) {
        coverage.withoutC++;
        skip(fn, `no C function '${fn.name}' under ${root}`, report.withoutC);
      } else {
        const outcome = compareOrExplain(fn, c, target);
        if ('unreadable' in outcome) {
          coverage.notUnderstood++;
          skip(fn, outcome.unreadable, report.notUnderstood);
          continue;
        }
        coverage.compared++;
        const cPath = cPathOf(c);
        if (outcome.mismatch) report.mismatches.push({ ...outcome.mismatch, path: rel, cLocation: cPath ? { path: relative(root, cPath), range: c.range } : null });
      }
    }
    report.files.push(coverage);
    for (const key of ['found', 'compared', 'withoutC', 'notUnderstood'] as const) report.total[key] += coverage[key];
  }
  return report;
}

/** Every koffi/ctypes declaration in the tree whose C prototype (found in the tree) differs. */
export async function checkTree(root: string, target: TargetId, options: FfiParseOptions = {}): Promise<LocatedMismatch[]> {
  return [...(await checkWorkspace(root, target, options)).mismatches];
}
