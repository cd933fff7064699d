// Reads real C sources (.c/.h with bodies, comments and preprocessor lines) into the FFI
// model: each prototype or definition with the declarations it needs, records, and calls of
// known functions. File access goes through `readFile`, so tests and VS Code supply contents.

import { DeclIndex } from './decls';
import { UnitWalker } from './unit';
import type { FfiCall, FfiFile, FfiFileProblem, FfiFunction, FfiRecord } from '../ffi/model';
import { BudgetExceeded, isStackOverflow, withinBudget, type Bounded } from '../budget';
import { readSource } from '../files';
import { createParser } from '../syntax';

export interface CSourceOptions extends Bounded {
  /** The file's path: relative `#include "…"` resolve against its folder. */
  readonly fileName?: string;
  /** Contents of another file, or null when it does not exist or may not be read. Defaults to the disk. */
  readonly readFile?: (path: string) => string | null;
  /** Further folders searched for `#include "…"` (like `-I`); `<…>` headers are never read. */
  readonly includeDirs?: string[];
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
      return assemble(walker, fileProblems);
    } catch (err) {
      if (err instanceof BudgetExceeded || isStackOverflow(err)) throw err;
      fileProblems.push({ range: EMPTY_RANGE, message: `internal error reading this file (please report): ${(err as Error).message}` });
      return { functions: [], calls: [], records: [], problems: fileProblems };
    }
  });
}

function assemble(walker: UnitWalker, fileProblems: FfiFileProblem[]): FfiFile {
  const index = new DeclIndex(walker.items);
  const functions: FfiFunction[] = walker.functions.map((found) => {
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
