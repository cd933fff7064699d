// The bounds every FFI parser works within, so that no file — a 1 MB minified line, `POINTER(`
// nested 5,000 deep — can crash the CLI or hold the extension host: the input's size and line
// length are checked before parsing, the syntax tree's depth before any recursive walk, and a
// deadline is checked while walking. Exceeding one gives a clear "too … to analyse" result.

import type { FfiFile } from './ffi/model';

/** Limits of one analysis. Recursive walks stay within `maxDepth` levels of the syntax tree. */
export interface Budget {
  readonly maxChars: number;
  readonly maxLineChars: number;
  readonly maxDepth: number;
  /** Wall-clock time for parsing and reading one file. */
  readonly millis: number;
}

export const DEFAULT_BUDGET: Budget = { maxChars: 2_000_000, maxLineChars: 20_000, maxDepth: 400, millis: 5_000 };

/** In the extension host, which every other extension shares: a file gets at most a second and a half. */
export const EDITOR_BUDGET: Budget = { ...DEFAULT_BUDGET, millis: 1_500 };

/** Thrown inside an analysis that went past its budget; the parser entry turns it into a file problem. */
export class BudgetExceeded extends Error {}

/** Why `text` is too large to analyse, or null. One pass over the characters, no allocation. */
export function inputProblem(text: string, budget: Budget = DEFAULT_BUDGET): string | null {
  if (text.length > budget.maxChars) return `too large to analyse: ${text.length.toLocaleString('en')} characters (the limit is ${budget.maxChars.toLocaleString('en')})`;
  // indexOf, not a loop over every character: this runs once per file, mostly before V8 optimises anything.
  let lineStart = 0;
  for (let line = 1; lineStart <= text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline < 0 ? text.length : newline;
    if (end - lineStart > budget.maxLineChars) {
      return `too large to analyse: line ${line} has ${(end - lineStart).toLocaleString('en')} characters (the limit is ${budget.maxLineChars.toLocaleString('en')}; generated or minified code?)`;
    }
    lineStart = end + 1;
  }
  return null;
}

/** The part of a syntax tree the depth check needs (a web-tree-sitter tree cursor). */
interface Cursor {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  readonly startPosition: { readonly row: number };
  delete(): void;
}

/**
 * Why a syntax tree is too deeply nested to analyse, or null: an iterative walk with a cursor, so
 * the check itself cannot overflow the stack.
 */
export function depthProblem(tree: { walk(): Cursor }, budget: Budget = DEFAULT_BUDGET, deadline?: Deadline): string | null {
  const cursor = tree.walk();
  try {
    let depth = 0;
    for (;;) {
      deadline?.check();
      if (cursor.gotoFirstChild()) {
        if (++depth > budget.maxDepth) return `too deeply nested to analyse: more than ${budget.maxDepth} levels of syntax at line ${cursor.startPosition.row + 1}`;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return null;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** A wall-clock limit checked from inside loops; cheap enough to call per node. */
export class Deadline {
  private readonly end: number;
  private calls = 0;

  // Date.now, not performance.now: the latter loads perf_hooks, a cost a one-shot CLI run feels.
  constructor(private readonly millis: number) {
    this.end = Date.now() + millis;
  }

  /** Throws BudgetExceeded once the time is up (looks at the clock every 256 calls). */
  check(): void {
    if ((++this.calls & 255) === 0 && Date.now() > this.end) {
      throw new BudgetExceeded(`too long to analyse: reading this file took more than ${(this.millis / 1000).toLocaleString('en')} s`);
    }
  }

  get remainingMicros(): number {
    return Math.max(1, Math.round((this.end - Date.now()) * 1000));
  }
}

/** The stack overflow a deep recursion ends in, should one still slip through. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

const START = { line: 0, character: 0 };

/** A file that was not analysed, saying why (shown by hovers, `check` and diagnostics). */
export function unanalysed(reason: string): FfiFile {
  return { functions: [], calls: [], records: [], problems: [{ range: { start: START, end: START }, message: reason }] };
}

export interface Bounded {
  /** Limits; DEFAULT_BUDGET when absent. */
  readonly budget?: Budget;
}

/**
 * Runs one parser entry within its budget: refuses oversized input before parsing, and turns a
 * deadline or a nesting deeper than the walks allow into the file's "too … to analyse" problem.
 */
export async function withinBudget(text: string, options: Bounded, analyse: (deadline: Deadline, budget: Budget) => Promise<FfiFile>): Promise<FfiFile> {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const refused = inputProblem(text, budget);
  if (refused) return unanalysed(refused);
  try {
    return await analyse(new Deadline(budget.millis), budget);
  } catch (err) {
    if (err instanceof BudgetExceeded) return unanalysed(err.message);
    if (isStackOverflow(err)) return unanalysed('too deeply nested to analyse');
    throw err;
  }
}

/** The problem a walk past `budget.maxDepth` throws. */
export function tooDeep(budget: Budget, line: number): BudgetExceeded {
  return new BudgetExceeded(`too deeply nested to analyse: more than ${budget.maxDepth} levels of syntax at line ${line + 1}`);
}
