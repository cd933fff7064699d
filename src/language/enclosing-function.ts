// The name of the function around a source position, as a call stack shows it: `onStep`,
// `Scene.draw`, `<anonymous>`, and `<module>` for top-level code. Used for JavaScript frames read
// from V8's heap, where the function's name is not at hand but its position is, and for live
// frames V8 leaves unnamed. Each file is parsed once per text into a plain table of function
// ranges and the wasm tree is freed at once: a stack is asked for at every stop, and tree-sitter
// trees live outside V8's heap, so one kept per stop is memory that never comes back.

import { grammarForFile, parseText, type SyntaxNode } from './syntax';

/** What a call stack calls code outside every function, in every language (Python's own name). */
export const TOP_LEVEL_NAME = '<module>';
/** A function without a name, as VS Code's JavaScript debugger shows one. */
export const ANONYMOUS_NAME = '<anonymous>';

const FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);

interface Range {
  /** 0-based rows and columns, end exclusive as tree-sitter gives them. */
  start: { row: number; column: number };
  end: { row: number; column: number };
}

interface FunctionRange extends Range {
  name: string;
}

/** What a stack needs to know of a file: its functions, and the `try` blocks that have a `catch`. */
interface Outline {
  functions: FunctionRange[];
  catching: Range[];
}

function nameOf(node: SyntaxNode): string {
  const own = node.childForFieldName('name')?.text;
  const holder = node.parent;
  let name = own;
  if (!name && holder?.type === 'variable_declarator') name = holder.childForFieldName('name')?.text;
  if (!name && (holder?.type === 'pair' || holder?.type === 'assignment_expression')) name = (holder.childForFieldName('key') ?? holder.childForFieldName('left'))?.text;
  if (!name) return ANONYMOUS_NAME;
  if (node.type === 'method_definition') {
    const owner = node.parent?.parent;
    const className = owner?.type === 'class_declaration' || owner?.type === 'class' ? owner.childForFieldName('name')?.text : undefined;
    if (className) return `${className}.${name}`;
  }
  return name;
}

/** Every function and catching `try` body of the tree, outer before inner (an explicit stack: no recursion on deep nesting). */
function outlineOf(root: SyntaxNode): Outline {
  const ranges: FunctionRange[] = [];
  const catching: Range[] = [];
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (FUNCTION_KINDS.has(node.type)) ranges.push({ name: nameOf(node), start: node.startPosition, end: node.endPosition });
    if (node.type === 'try_statement' && node.childForFieldName('handler')) {
      const body = node.childForFieldName('body');
      if (body) catching.push({ start: body.startPosition, end: body.endPosition });
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) pending.push(child);
    }
  }
  return { functions: ranges, catching };
}

const before = (a: { row: number; column: number }, b: { row: number; column: number }) => a.row < b.row || (a.row === b.row && a.column <= b.column);

/** The last file's table per path: a stack's frames come from a handful of files. */
const tables = new Map<string, { text: string; outline: Promise<Outline | null> }>();
const MAX_FILES = 64;

function outlineFor(fileName: string, text: string): Promise<Outline | null> {
  const hit = tables.get(fileName);
  if (hit?.text === text) return hit.outline;
  const grammar = grammarForFile(fileName);
  if (!grammar || grammar === 'python' || grammar === 'c') return Promise.resolve(null);
  const outline = parseText(grammar, text).then((tree) => {
    try {
      return outlineOf(tree.rootNode);
    } finally {
      tree.delete();
    }
  });
  tables.delete(fileName);
  if (tables.size >= MAX_FILES) tables.delete(tables.keys().next().value as string);
  tables.set(fileName, { text, outline });
  return outline;
}

const contains = (range: Range, at: { row: number; column: number }) => before(range.start, at) && !before(range.end, at);

function innermostFunction(outline: Outline, at: { row: number; column: number }): FunctionRange | undefined {
  let innermost: FunctionRange | undefined;
  for (const range of outline.functions) if (contains(range, at)) innermost = range;
  return innermost;
}

/** 1-based line and column; null when the file cannot be parsed. Top-level code is `<module>`. */
export async function enclosingFunctionName(fileName: string, text: string, line: number, column: number): Promise<string | null> {
  const outline = await outlineFor(fileName, text);
  if (!outline) return null;
  const innermost = innermostFunction(outline, { row: line - 1, column: Math.max(0, column - 1) });
  return innermost ? innermost.name : TOP_LEVEL_NAME;
}

/**
 * Whether code at this position runs inside a `try` block with a `catch` of its own function (or
 * of top-level code): an exception thrown there, or passing through this frame, is caught here.
 * Null when the file cannot be parsed. 1-based line and column.
 */
export async function catchesAt(fileName: string, text: string, line: number, column: number): Promise<boolean | null> {
  const outline = await outlineFor(fileName, text);
  if (!outline) return null;
  const at = { row: line - 1, column: Math.max(0, column - 1) };
  const fn = innermostFunction(outline, at);
  // A try around the function's definition does not catch what its calls throw: only those inside it.
  return outline.catching.some((range) => contains(range, at) && (!fn || before(fn.start, range.start)));
}
