// Reads real C sources (.c/.h with bodies, comments and preprocessor lines) into the FFI
// model: each prototype or definition with the declarations it needs, records, and calls of
// known functions. File access goes through `readFile`, so tests and VS Code supply contents.

import { DeclIndex } from './decls';
import { resolve } from 'node:path';
import { compileEntryFor, preprocess, type Preprocessed } from './preprocessor';
import { UnitWalker, type FoundFunction } from './unit';
import type { FfiCall, FfiFile, FfiFileProblem, FfiFunction, FfiRecord } from '../ffi/model';
import { BudgetExceeded, isStackOverflow, withinBudget, type Bounded, type Budget, type Deadline } from '../budget';
import { readSource } from '../files';
import { createParser } from '../syntax';

export interface CSourceOptions extends Bounded {
  /** The file's path: relative `#include "…"` resolve against its folder. */
  readonly fileName?: string;
  /** Contents of another file, or null when it does not exist or may not be read. Defaults to the disk. */
  readonly readFile?: (path: string) => string | null;
  /** Further folders searched for `#include "…"` (like `-I`); `<…>` headers are never read. */
  readonly includeDirs?: string[];
  /**
   * Use the compile_commands.json entry of `fileName`, if the workspace has one, to run its
   * compiler's preprocessor (default: when the file is read from disk, i.e. no `readFile`).
   */
  readonly compileCommands?: boolean;
  /** The ABI target whose predefined macros decide `#ifdef _WIN32` and the like (neutral without). */
  readonly target?: string;
}


const EMPTY_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Never throws: what cannot be understood becomes a problem on the function, record or file. */
export async function parseCSource(text: string, options: CSourceOptions = {}): Promise<FfiFile> {
  return withinBudget(text, options, async (deadline, budget) => {
    const parser = await createParser('c');
    const walker = new UnitWalker(parser, {
      fileName: options.fileName,
      readFile: options.readFile ?? readSource,
      includeDirs: options.includeDirs ?? [],
      target: options.target,
      budget,
      deadline,
    });
    const fileProblems: FfiFileProblem[] = [];
    try {
      walker.walk(text);
    } catch (err) {
      if (err instanceof BudgetExceeded || isStackOverflow(err)) throw err; // the budget's own message
      fileProblems.push({ range: EMPTY_RANGE, message: `internal error reading this file (please report): ${(err as Error).message}` });
    } finally {
      walker.dispose();
      parser.delete();
    }
    try {
      const own = assemble(walker, fileProblems);
      const useCompiler = options.compileCommands ?? options.readFile === undefined;
      const entry = useCompiler && options.fileName ? compileEntryFor(options.fileName) : null;
      const compiled = entry && options.fileName ? preprocess(options.fileName, text, entry) : null;
      return compiled && options.fileName ? await asCompiled(own, compiled, text, options.fileName, budget, deadline) : own;
    } catch (err) {
      if (err instanceof BudgetExceeded || isStackOverflow(err)) throw err;
      fileProblems.push({ range: EMPTY_RANGE, message: `internal error reading this file (please report): ${(err as Error).message}` });
      return { functions: [], calls: [], records: [], problems: fileProblems };
    }
  });
}

/**
 * Our reading of the file, with each function's prototype and declarations replaced by what the
 * preprocessed file says (macros expanded, #ifdefs decided by the build), and the functions only
 * macros declare added where their macro is used. Positions stay those of the user's text.
 */
async function asCompiled(own: FfiFile, compiled: Preprocessed, text: string, fileName: string, budget: Budget, deadline: Deadline): Promise<FfiFile> {
  const parser = await createParser('c');
  const walker = new UnitWalker(parser, { fileName: undefined, readFile: () => null, includeDirs: [], budget, deadline });
  let seen: FfiFile;
  try {
    walker.walk(compiled.text);
    const ownFile = resolve(fileName);
    seen = assemble(walker, [], (found) => compiled.origin[found.nameRange.start.line]?.file === ownFile);
  } finally {
    walker.dispose();
    parser.delete();
  }
  const lines = text.split('\n');
  const mine = new Map(own.functions.map((f) => [f.name, f]));
  const note = `read as ${compiled.compiler} preprocesses it (compile_commands.json)`;
  // The functions the compiler sees, where their text (or the macro declaring them) is in the
  // user's file; one in an #if branch the build leaves out is not there at all.
  const functions = seen.functions.map((c) => {
    const line = compiled.origin[c.nameRanges[0]?.start.line ?? 0]?.line ?? 0;
    const found = (lines[line] ?? '').search(new RegExp(`(?<![\\w$])${c.name}(?![\\w$])`));
    const nameRange = { start: { line, character: Math.max(0, found) }, end: { line, character: found < 0 ? 0 : found + c.name.length } };
    const fallback = mine.get(c.name);
    const understood = c.prototype ? c : fallback?.prototype ? fallback : c;
    return {
      ...c, prototype: understood.prototype, decls: understood.decls, problems: [...understood.problems],
      convention: c.convention === 'default' ? (fallback?.convention ?? 'default') : c.convention,
      range: { start: { line, character: 0 }, end: { line, character: (lines[line] ?? '').length } }, nameRanges: [nameRange],
    };
  });
  const records = own.records.map((r) => {
    const c = seen.records.find((x) => x.name === r.name);
    return c?.decl ? { ...r, decl: c.decl, problems: c.problems } : r;
  });
  return { ...own, functions, records, problems: [...(own.problems ?? []).filter((p) => !/function-like macro/.test(p.message)), { range: EMPTY_RANGE, message: note }] };
}

function assemble(walker: UnitWalker, fileProblems: FfiFileProblem[], keep: (found: FoundFunction) => boolean = () => true): FfiFile {
  const index = new DeclIndex(walker.items);
  const functions: FfiFunction[] = walker.functions.filter(keep).map((found) => {
    const needed = index.needed(found.uses, found.typeNames);
    const problems = [...found.problems, ...needed.problems];
    let prototype = found.prototype;
    if (prototype !== null) {
      const objection = index.check(needed.decls, prototype);
      if (objection !== null) {
        for (const name of needed.unknownTypes) problems.push(`unknown type '${name}' (from a system header or a file that could not be read?)`);
        problems.push(objection);
        prototype = null;
      }
    }
    return {
      source: 'c',
      name: found.name,
      binding: null,
      prototype,
      decls: needed.decls,
      convention: found.convention,
      range: found.range,
      nameRanges: [found.nameRange],
      problems: [...new Set(problems)],
    };
  });
  const records: FfiRecord[] = walker.records.map((found) => {
    const needed = index.needed([found.key], [], [found.item]);
    const objection = index.check(needed.decls);
    return {
      source: 'c',
      name: found.name,
      decl: objection === null ? needed.decls : null,
      range: found.range,
      nameRanges: [found.nameRange],
      problems: [...new Set([...needed.problems, ...(objection === null ? [] : [objection])])],
    };
  });
  const calls: FfiCall[] = walker.calls.filter((call) => walker.knownFunctions.has(call.callee));
  return { functions, calls, records, problems: [...walker.problems, ...fileProblems] };
}

/**
 * The C prototype a koffi/ctypes declaration of `name` should be compared against: a usable
 * prototype wins over a broken one, and among those the one with fewest problems.
 */
export function findCFunction(files: readonly FfiFile[], name: string): FfiFunction | null {
  let best: FfiFunction | null = null;
  const score = (f: FfiFunction): number => (f.prototype === null ? 1000 : 0) + f.problems.length;
  for (const file of files) {
    for (const fn of file.functions) {
      if (fn.name === name && (best === null || score(fn) < score(best))) best = fn;
    }
  }
  return best;
}
