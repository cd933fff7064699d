// Tree-sitter through web-tree-sitter: prebuilt wasm grammars, no native modules, so the same
// parsers run in the extension host, the CLI and the tests. Grammars load once and are shared.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Parser from 'web-tree-sitter';
import { BudgetExceeded, type Deadline } from './budget';

export type GrammarId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'c';

export type SyntaxNode = Parser.SyntaxNode;
/** A run of whole lines to parse alone (tree-sitter's included range): UTF-16 offsets, the end after the last line's newline. */
export interface LineSpan {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { readonly row: number; readonly column: number };
  readonly endPosition: { readonly row: number; readonly column: number };
}

/** Parts of a text to parse alone; positions stay the whole text's. */
export type TextRanges = readonly LineSpan[];
export type SyntaxTree = Parser.Tree;

/**
 * Where the wasm files are: `dist/grammars` beside the bundle once built (the build copies
 * them there), else the npm packages themselves (tests and `tsx` runs).
 */
function wasmLocations(): { runtime: string; grammars: string } {
  const bundled = join(__dirname, 'grammars');
  if (existsSync(join(bundled, 'tree-sitter.wasm'))) return { runtime: join(bundled, 'tree-sitter.wasm'), grammars: bundled };
  // Through createRequire so esbuild leaves these look-ups alone (they only matter unbundled).
  const resolve = createRequire(__filename).resolve;
  return {
    runtime: join(dirname(resolve('web-tree-sitter')), 'tree-sitter.wasm'),
    grammars: join(dirname(resolve('tree-sitter-wasms/package.json')), 'out'),
  };
}

let runtime: Promise<void> | null = null;
const languages = new Map<GrammarId, Promise<Parser.Language>>();
/** The grammars whose load has finished, for synchronous parses. */
const ready = new Map<GrammarId, Parser.Language>();

function loadLanguage(grammar: GrammarId): Promise<Parser.Language> {
  let language = languages.get(grammar);
  if (!language) {
    const where = wasmLocations();
    runtime ??= Parser.init({ locateFile: () => where.runtime });
    language = runtime.then(() => Parser.Language.load(join(where.grammars, `tree-sitter-${grammar}.wasm`))).then((loaded) => {
      ready.set(grammar, loaded);
      return loaded;
    });
    languages.set(grammar, language);
  }
  return language;
}

/** A parser for one grammar. Parsers are cheap once the grammar is loaded; don't share one across awaits. */
export async function createParser(grammar: GrammarId): Promise<Parser> {
  const language = await loadLanguage(grammar); // initialises the runtime, which `new Parser()` needs
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * Parses `text`; the caller must `delete()` the tree when done (wasm memory is not garbage
 * collected). With a deadline, a parse that runs past it throws BudgetExceeded.
 */
export async function parseText(grammar: GrammarId, text: string, deadline?: Deadline, ranges?: TextRanges): Promise<SyntaxTree> {
  const parser = await createParser(grammar);
  try {
    return parseWithin(parser, text, deadline, ranges);
  } finally {
    parser.delete();
  }
}

/** `parser.parse(text)` (only `ranges` of it, if given), stopped (BudgetExceeded) when the deadline passes. */
export function parseWithin(parser: Parser, text: string, deadline?: Deadline, ranges?: TextRanges): SyntaxTree {
  const options = ranges ? { includedRanges: [...ranges] } : undefined;
  if (!deadline) return parser.parse(text, undefined, options);
  parser.setTimeoutMicros(deadline.remainingMicros);
  try {
    return parser.parse(text, undefined, options);
  } catch (err) {
    if (err instanceof Error && /parsing failed/i.test(err.message)) throw new BudgetExceeded('too long to analyse: parsing this file ran out of time');
    throw err;
  } finally {
    parser.setTimeoutMicros(0);
  }
}

/**
 * Parses only the lines of `text` not marked in `leftOut` (one flag per line, `lineStarts` their
 * offsets) when the tree read so holds what the whole text's tree holds there (`spansHeld`), else
 * the whole text. For reads that find, from the text, lines no answer they give depends on.
 */
export async function parseLeavingOut(grammar: GrammarId, text: string, lineStarts: readonly number[], leftOut: Uint8Array, deadline?: Deadline): Promise<SyntaxTree> {
  const spans = keptSpans(text, lineStarts, leftOut);
  const tree = await parseText(grammar, text, deadline, spans);
  if (spansHeld(tree.rootNode, spans)) return tree;
  tree.delete();
  return parseText(grammar, text, deadline);
}

/**
 * Which candidate lines (each declaring or calling a function) can be left out of a parse: those
 * whose functions no kept line names. A candidate is kept as soon as a kept line holds, as a word,
 * any of the functions' `names` the candidate holds (its own, or one in its arguments); kept so,
 * its own words count too. Null when every candidate is kept, or when the candidates
 * are under a quarter of the text (reading the words of the rest would cost more than it saves).
 */
export function linesNamedByNone(text: string, lineStarts: readonly number[], candidates: readonly { readonly line: number }[], names: ReadonlySet<string>): Uint8Array | null {
  const lineEnd = (line: number) => lineStarts[line + 1] ?? text.length;
  const lineText = (line: number) => text.slice(lineStarts[line], lineEnd(line));
  let candidateChars = 0;
  for (const { line } of candidates) candidateChars += lineEnd(line) - lineStarts[line]!;
  if (candidateChars * 4 < text.length) return null;
  const leftOut = new Uint8Array(lineStarts.length);
  const waiting = new Map<string, number[]>();
  for (const { line } of candidates) {
    leftOut[line] = 1;
    for (const word of lineText(line).match(WORD) ?? []) {
      if (!names.has(word)) continue;
      const lines = waiting.get(word);
      if (!lines) waiting.set(word, [line]);
      else if (lines.at(-1) !== line) lines.push(line);
    }
  }
  // A worklist, not recursion: a chain of thousands of lines naming each other is fine.
  const pending: string[] = [];
  const named = (from: number, to: number): void => {
    for (const word of text.slice(from, to).match(WORD) ?? []) if (waiting.has(word)) pending.push(word);
  };
  let keptFrom: number | null = 0;
  for (let line = 0; line < lineStarts.length; line++) {
    if (leftOut[line] === 1 && keptFrom !== null) named(keptFrom, lineStarts[line]!);
    keptFrom = leftOut[line] === 1 ? null : (keptFrom ?? lineStarts[line]!);
  }
  if (keptFrom !== null) named(keptFrom, text.length);
  let left = candidates.length;
  for (let word = pending.pop(); word !== undefined; word = pending.pop()) {
    for (const line of waiting.get(word) ?? []) {
      if (leftOut[line] === 0) continue;
      leftOut[line] = 0;
      left--;
      named(lineStarts[line]!, lineEnd(line));
    }
    waiting.delete(word);
  }
  return left === 0 ? null : leftOut;
}

const WORD = /[A-Za-z_$][\w$]*/g;

/** Offsets where each line starts (after `\n`; a `\r` before it stays on its line). */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  const ends = /\n/g;
  for (let end = ends.exec(text); end !== null; end = ends.exec(text)) starts.push(end.index + 1);
  return starts;
}

/** The runs of lines not left out. */
export function keptSpans(text: string, lineStarts: readonly number[], leftOut: Uint8Array): LineSpan[] {
  const span = (from: number, endRow: number, end: number): LineSpan => ({
    startIndex: lineStarts[from]!,
    endIndex: end,
    startPosition: { row: from, column: 0 },
    endPosition: { row: endRow, column: end - (lineStarts[endRow] ?? 0) },
  });
  const spans: LineSpan[] = [];
  let from = 0;
  for (let line = 0; line < lineStarts.length; line++) {
    if (leftOut[line] !== 1) continue;
    if (from < line) spans.push(span(from, line, lineStarts[line]!));
    from = line + 1;
  }
  const lastLine = lineStarts.length - 1;
  if (from <= lastLine) spans.push(span(from, lastLine, text.length));
  return spans;
}

/**
 * Whether a tree parsed from `spans` only holds what the whole text's tree holds there: no
 * syntax error, and every top-level node inside one span (a node that runs on past a left-out
 * line means that line was not the statement it looked like: inside a comment, a string, a
 * template, or part of an expression).
 */
export function spansHeld(root: { hasError: boolean; children: readonly { startIndex: number; endIndex: number }[] }, spans: TextRanges): boolean {
  if (root.hasError) return false;
  let at = 0;
  for (const child of root.children) {
    while (at < spans.length && spans[at]!.endIndex <= child.startIndex) at++;
    const span = spans[at];
    if (!span || child.startIndex < span.startIndex || child.endIndex > span.endIndex) return false;
  }
  return true;
}

/** Loads grammars ahead, so `parseTextNow` can use them. */
export async function loadGrammars(grammars: readonly GrammarId[]): Promise<void> {
  // One at a time: web-tree-sitter cannot instantiate two grammar modules at once.
  for (const grammar of grammars) await loadLanguage(grammar);
}

/** A few lines each grammar is warmed up on: its wasm code compiled before the first real file needs it. */
const WARM_UP: Record<GrammarId, string> = {
  typescript: "import koffi = require('koffi');\nconst lib = koffi.load('x');\nconst f = lib.func('int f(int a)');\nf(1);\n",
  tsx: "const f = lib.func('int f(int a)');\n",
  javascript: "const koffi = require('koffi');\nconst f = koffi.load('x').func('int f(int a)');\nf(1);\n",
  python: 'import ctypes\nlib = ctypes.CDLL("x")\nlib.f.argtypes = [ctypes.c_int]\nlib.f(1)\n',
  c: 'struct P { int x; };\nint f(struct P p, int a);\n',
};

/**
 * Loads the grammars and parses a few lines with each, off any request's path (at activation):
 * the first hover then pays for neither the grammar's load nor its first compilation.
 */
export async function warmParsers(grammars: readonly GrammarId[]): Promise<void> {
  for (const grammar of grammars) {
    await loadLanguage(grammar);
    parseTextNow(grammar, WARM_UP[grammar])?.delete();
    await new Promise((resolve) => setImmediate(resolve)); // one grammar at a time, between other work
  }
}

/** Parses `text` synchronously with a grammar loaded already; null when it is not (see `loadGrammars`). */
export function parseTextNow(grammar: GrammarId, text: string): SyntaxTree | null {
  const language = ready.get(grammar);
  if (!language) return null;
  const parser = new Parser();
  try {
    parser.setLanguage(language);
    return parser.parse(text);
  } finally {
    parser.delete();
  }
}

/** The grammar for a file name, by extension; null for files we do not parse. */
export function grammarForFile(fileName: string): GrammarId | null {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  switch (ext) {
    case 'ts':
    case 'mts':
    case 'cts':
      return 'typescript';
    case 'tsx':
      return 'tsx';
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'jsx':
      return 'javascript';
    case 'py':
    case 'pyi':
      return 'python';
    case 'c':
    case 'h':
      return 'c';
    default:
      return null;
  }
}
