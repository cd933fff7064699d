// Turns a tree-sitter node back into C text the ABI engine accepts: object-like macros
// substituted, inactive `#if` branches inside records dropped, and (for prototypes) comments
// and line breaks squeezed out.

import type { MacroTable } from './macros';
import { DEFAULT_BUDGET, tooDeep } from '../budget';
import type { SyntaxNode } from '../syntax';

export interface RenderOptions {
  readonly source: string;
  readonly macros: MacroTable;
  /** One line, no comments: for prototypes. Otherwise the original layout is kept. */
  readonly compact: boolean;
  /** Collects what could not be rendered faithfully (function-like macros). */
  readonly problems: Set<string>;
  /** Nodes to leave out (storage classes of a prototype, a definition's body). */
  readonly omit?: (node: SyntaxNode) => boolean;
}

const SUBSTITUTABLE = new Set(['identifier', 'type_identifier', 'field_identifier']);
const CONDITIONALS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_else']);
const DIRECTIVES_DROPPED = new Set(['preproc_def', 'preproc_function_def', 'preproc_include']);

/** The children of a conditional that its active branch contributes, under the current macros. */
export function activeBranch(node: SyntaxNode, macros: MacroTable, source: string): SyntaxNode[] {
  let taken: boolean | null;
  if (node.type === 'preproc_else') taken = true;
  else if (node.type === 'preproc_ifdef') {
    const name = node.childForFieldName('name')?.text ?? '';
    const negated = node.child(0)?.type === '#ifndef';
    taken = macros.isDefined(name) !== negated;
  } else {
    const condition = node.childForFieldName('condition');
    taken = condition ? (macros.evaluate(source.slice(condition.startIndex, condition.endIndex)) ?? true) : true;
  }
  const alternative = node.childForFieldName('alternative');
  if (!taken) return alternative ? activeBranch(alternative, macros, source) : [];
  return node.namedChildren.filter(
    (c) => c.id !== alternative?.id && c.id !== node.childForFieldName('name')?.id && c.id !== node.childForFieldName('condition')?.id,
  );
}

export function render(node: SyntaxNode, options: RenderOptions): string {
  const { source, compact } = options;
  let out = '';
  let cursor = node.startIndex;
  /** Something was left out since the last token: the tokens around it must not fuse. */
  let separated = false;
  const emit = (text: string, start: number, end: number): void => {
    const gap = source.slice(cursor, Math.max(cursor, start));
    if (compact) {
      if (out !== '' && (gap !== '' || separated)) out += /\S/.test(gap) ? ` ${gap.trim()} ` : ' ';
    } else out += gap;
    out += text;
    cursor = Math.max(cursor, end);
    separated = false;
  };
  const skipTo = (start: number, end: number): void => {
    if (!compact && source.slice(cursor, end).includes('\n')) out += source.slice(cursor, Math.max(cursor, start)) + '\n';
    cursor = Math.max(cursor, end);
    separated = true;
  };
  const skip = (n: SyntaxNode): void => skipTo(n.startIndex, n.endIndex);
  let depth = 0;
  const visit = (n: SyntaxNode): void => {
    if (depth > DEFAULT_BUDGET.maxDepth) throw tooDeep(DEFAULT_BUDGET, n.startPosition.row);
    depth++;
    try {
      visitNode(n);
    } finally {
      depth--;
    }
  };
  const visitNode = (n: SyntaxNode): void => {
    if (options.omit?.(n) || DIRECTIVES_DROPPED.has(n.type) || (compact && n.type === 'comment')) return skip(n);
    if (CONDITIONALS.has(n.type)) {
      const branch = activeBranch(n, options.macros, source);
      skipTo(n.startIndex, branch[0]?.startIndex ?? n.endIndex);
      for (const child of branch) visit(child);
      return skip(n);
    }
    if (n.type === 'preproc_call') {
      // Only `#pragma pack` means anything to the engine; it needs a line of its own.
      const text = n.text.trim();
      if (/^#\s*pragma\s+pack\b/.test(text)) emit(`\n${text}\n`, n.startIndex, n.endIndex);
      else skip(n);
      return;
    }
    if (n.childCount === 0 || n.type === 'string_literal' || n.type === 'char_literal') {
      let text = n.text;
      if (SUBSTITUTABLE.has(n.type)) {
        if (options.macros.isFunctionLike(text)) options.problems.add(`function-like macro '${text}' is not expanded`);
        else text = options.macros.expand(text) ?? text;
      }
      emit(text, n.startIndex, n.endIndex);
      return;
    }
    for (const child of n.children) visit(child);
  };
  visit(node);
  return compact ? out.replace(/\s+/g, ' ').trim() : out;
}
