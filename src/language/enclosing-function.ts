// The name of the function around a source position, as a call stack shows it: `onStep`,
// `Scene.draw`, `(anonymous)`. Used for JavaScript frames read from V8's heap, where the
// function's name is not at hand but its position is.

import { grammarForFile, parseText, type SyntaxNode } from './syntax';

const FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);

function nameOf(node: SyntaxNode): string {
  const own = node.childForFieldName('name')?.text;
  const holder = node.parent;
  let name = own;
  if (!name && holder?.type === 'variable_declarator') name = holder.childForFieldName('name')?.text;
  if (!name && (holder?.type === 'pair' || holder?.type === 'assignment_expression')) name = (holder.childForFieldName('key') ?? holder.childForFieldName('left'))?.text;
  if (!name) return '(anonymous)';
  if (node.type === 'method_definition') {
    const owner = node.parent?.parent;
    const className = owner?.type === 'class_declaration' || owner?.type === 'class' ? owner.childForFieldName('name')?.text : undefined;
    if (className) return `${className}.${name}`;
  }
  return name;
}

/** 1-based line and column; null when the file cannot be parsed. Top-level code is `(module)`. */
export async function enclosingFunctionName(fileName: string, text: string, line: number, column: number): Promise<string | null> {
  const grammar = grammarForFile(fileName);
  if (!grammar || grammar === 'python' || grammar === 'c') return null;
  const tree = await parseText(grammar, text);
  let node: SyntaxNode | null = tree.rootNode.descendantForPosition({ row: line - 1, column: Math.max(0, column - 1) });
  while (node && !FUNCTION_KINDS.has(node.type)) node = node.parent;
  return node ? nameOf(node) : '(module)';
}
