// Tree-sitter through web-tree-sitter: prebuilt wasm grammars, no native modules, so the same
// parsers run in the extension host, the CLI and the tests. Grammars load once and are shared.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Parser from 'web-tree-sitter';
import { BudgetExceeded, type Deadline } from './budget';

export type GrammarId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'c';

export type SyntaxNode = Parser.SyntaxNode;
/** Parts of a text to parse alone (tree-sitter's included ranges); positions stay the whole text's. */
export type TextRanges = readonly Parser.Range[];
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
