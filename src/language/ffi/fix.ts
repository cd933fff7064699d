// The quick fix for a koffi declaration that does not match its C prototype: the call that
// declares it keeps its callee (`lib.func`, `lib.stdcall`) and gets the C prototype as its one
// argument — koffi's own prototype-string form, which says everything the C source says.

import type { CtypesDeclaration } from '../ctypes/spelling';

/** `declaration` is the text of the whole declaring call; null when it has no argument list. */
export function rewriteKoffiDeclaration(declaration: string, cPrototype: string): string | null {
  const open = declaration.indexOf('(');
  const close = declaration.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const quoted = `'${cPrototype.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `${declaration.slice(0, open + 1)}${quoted}${declaration.slice(close)}`;
}

/**
 * The same fix for ctypes: in the text of a declaration (the statements that set `argtypes` and
 * `restype`), each right-hand side becomes the C prototype's; a missing `restype` is added after
 * `argtypes`, since ctypes would otherwise assume `int`. Comments after a statement stay.
 * Null when no `argtypes` assignment is there to rewrite.
 */
export function rewriteCtypesDeclaration(text: string, wanted: CtypesDeclaration): string | null {
  const statement = /^([ \t]*)(\S+?)\.(argtypes|restype)[ \t]*=[ \t]*/gm;
  const edits: { from: number; to: number; text: string }[] = [];
  let argtypes: { indent: string; target: string; end: number } | undefined;
  let hasRestype = false;
  for (let match = statement.exec(text); match; match = statement.exec(text)) {
    const [whole, indent = '', target = '', member] = match;
    const from = match.index + whole.length;
    const to = expressionEnd(text, from);
    edits.push({ from, to, text: member === 'argtypes' ? wanted.argtypes : wanted.restype });
    if (member === 'argtypes') argtypes = { indent, target, end: lineEnd(text, to) };
    else hasRestype = true;
  }
  if (!argtypes) return null;
  if (!hasRestype) edits.push({ from: argtypes.end, to: argtypes.end, text: `\n${argtypes.indent}${argtypes.target}.restype = ${wanted.restype}` });
  let result = text;
  for (const edit of edits.sort((a, b) => b.from - a.from)) result = result.slice(0, edit.from) + edit.text + result.slice(edit.to);
  return result;
}

/** Where a Python expression starting at `from` ends: the line's end or a comment, outside brackets and strings. */
function expressionEnd(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  let end = from;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth <= 0 && (ch === '\n' || ch === '#')) break;
    if (!/\s/.test(ch)) end = i + 1;
  }
  return end;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}
