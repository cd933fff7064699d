// Small questions about tree-sitter-c nodes: where a declarator's name is, whether it declares
// a function, which type names a declaration mentions.

import { SPECIFIER_KEYWORDS } from '../../abi/c/scalars';
import type { Range } from '../ffi/model';
import type { MacroTable } from './macros';
import type { SyntaxNode } from '../syntax';

export function rangeOf(node: { startPosition: { row: number; column: number }; endPosition: { row: number; column: number } }): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function rangeBetween(first: SyntaxNode, last: SyntaxNode): Range {
  return { start: rangeOf(first).start, end: rangeOf(last).end };
}

const NAMES = new Set(['identifier', 'type_identifier', 'field_identifier']);

/** The identifier a declarator declares, however deeply it is wrapped; null in broken code. */
export function declaratorName(declarator: SyntaxNode): SyntaxNode | null {
  let current: SyntaxNode | null = declarator;
  for (let depth = 0; current && depth < 64; depth++) {
    if (NAMES.has(current.type)) return current;
    current =
      current.childForFieldName('declarator') ??
      current.namedChildren.find((c) => c.type.endsWith('declarator') || NAMES.has(c.type)) ??
      null;
  }
  return null;
}

/** The function declarator nearest the name, when the name itself is a function (not a pointer to one). */
export function functionDeclaratorOf(declarator: SyntaxNode): SyntaxNode | null {
  const name = declaratorName(declarator);
  for (let node = name?.parent ?? null; node; node = node.parent) {
    if (node.type === 'function_declarator') return node;
    if (node.type === 'pointer_declarator' || node.type === 'array_declarator' || node.type === 'init_declarator') return null;
    if (node.id === declarator.id) return null;
  }
  return null;
}

/** Old-style `int f(a, b) int a; …`: the parameter list holds bare identifiers. */
export function isKAndR(functionDeclarator: SyntaxNode): boolean {
  const params = functionDeclarator.childForFieldName('parameters');
  return params?.namedChildren.some((c) => c.type === 'identifier') ?? false;
}

const RECORD_SPECIFIERS = new Set(['struct_specifier', 'union_specifier', 'enum_specifier']);

/** Typedef names a node mentions (macro-expanded), for spotting types declared nowhere we can see. */
export function typeNamesIn(node: SyntaxNode, macros: MacroTable): string[] {
  const names: string[] = [];
  for (const t of node.descendantsOfType('type_identifier')) {
    if (t.parent && RECORD_SPECIFIERS.has(t.parent.type)) continue;
    const expansion = macros.expand(t.text) ?? t.text;
    for (const word of expansion.match(/[A-Za-z_$][\w$]*/g) ?? []) {
      if (!SPECIFIER_KEYWORDS.has(word) && !/^(const|volatile|restrict|struct|union|enum|__attribute__)$/.test(word)) names.push(word);
    }
  }
  return names;
}

/** Keys a piece of C text refers to: plain identifiers and `struct X` / `union X` / `enum X` tags. */
export function referencesIn(text: string): Set<string> {
  const uses = new Set<string>(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  for (const m of text.matchAll(/\b(struct|union|enum)\s+([A-Za-z_$][\w$]*)/g)) uses.add(`${m[1]} ${m[2]}`);
  return uses;
}
