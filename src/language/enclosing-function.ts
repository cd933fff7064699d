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

interface FunctionRange {
  name: string;
  /** 0-based rows and columns, end exclusive as tree-sitter gives them. */
  start: { row: number; column: number };
  end: { row: number; column: number };
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

/** Every function of the tree, outer before inner (an explicit stack: no recursion on deep nesting). */
function functionRanges(root: SyntaxNode): FunctionRange[] {
  const ranges: FunctionRange[] = [];
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (FUNCTION_KINDS.has(node.type)) ranges.push({ name: nameOf(node), start: node.startPosition, end: node.endPosition });
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) pending.push(child);
    }
  }
  return ranges;
}

const before = (a: { row: number; column: number }, b: { row: number; column: number }) => a.row < b.row || (a.row === b.row && a.column <= b.column);

/** The last file's table per path: a stack's frames come from a handful of files. */
const tables = new Map<string, { text: string; ranges: Promise<FunctionRange[] | null> }>();
const MAX_FILES = 64;

function rangesFor(fileName: string, text: string): Promise<FunctionRange[] | null> {
  const hit = tables.get(fileName);
  if (hit?.text === text) return hit.ranges;
  const grammar = grammarForFile(fileName);
  if (!grammar || grammar === 'python' || grammar === 'c') return Promise.resolve(null);
  const ranges = parseText(grammar, text).then((tree) => {
    try {
      return functionRanges(tree.rootNode);
    } finally {
      tree.delete();
    }
  });
  tables.delete(fileName);
  if (tables.size >= MAX_FILES) tables.delete(tables.keys().next().value as string);
  tables.set(fileName, { text, ranges });
  return ranges;
}

/** 1-based line and column; null when the file cannot be parsed. Top-level code is `<module>`. */
export async function enclosingFunctionName(fileName: string, text: string, line: number, column: number): Promise<string | null> {
  const ranges = await rangesFor(fileName, text);
  if (!ranges) return null;
  const at = { row: line - 1, column: Math.max(0, column - 1) };
  let innermost: FunctionRange | undefined;
  for (const range of ranges) {
    // Same rule as descendantForPosition: the start is inside, the end is not.
    if (before(range.start, at) && !before(range.end, at)) innermost = range;
  }
  return innermost ? innermost.name : TOP_LEVEL_NAME;
}
