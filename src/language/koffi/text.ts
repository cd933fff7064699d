// Text helpers for the koffi parser: UTF-16 offsets to VS Code positions, and the value of
// a JS string literal together with where each of its characters sits in the source (so a
// name found inside `'int add(int a)'` gets a precise range even after escapes).

import type { Position, Range } from '../ffi/model';
import type { SyntaxNode } from '../syntax';

/** Converts UTF-16 offsets (what tree-sitter's `startIndex` counts here) to line/character. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    // Line ends found by the regex engine, not a loop over every character: a one-shot CLI
    // run executes this before V8 has optimised anything.
    const ends = /\r\n?|\n/g;
    for (let end = ends.exec(text); end !== null; end = ends.exec(text)) this.starts.push(end.index + end[0].length);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (this.starts[lo] as number) };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  nodeRange(node: SyntaxNode): Range {
    return this.range(node.startIndex, node.endIndex);
  }
}

/** A string's value; `offsets[i]` is the source offset of `value[i]`, `offsets[value.length]` its end. */
export interface StaticString {
  readonly value: string;
  readonly offsets: readonly number[];
  /** The literal is cut off or malformed (half-typed code). */
  readonly broken: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * The value of a string literal or of a template literal without substitutions; null for
 * anything computed at run time.
 */
export function staticString(node: SyntaxNode): StaticString | null {
  if (node.type !== 'string' && node.type !== 'template_string') return null;
  // Decoded from the node's text in JS: asking tree-sitter for each fragment and escape of
  // every string in a large file costs more than the parse itself.
  const text = node.text;
  const start = node.startIndex;
  const quote = text[0] ?? '';
  let value = '';
  const offsets: number[] = [];
  let broken = node.hasError;
  let i = 1;
  let closed = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === quote) {
      closed = i === text.length - 1;
      break;
    }
    if (quote === '`' && ch === '$' && text[i + 1] === '{') return null; // a substitution: computed at run time
    if (ch === '\\') {
      const escape = escapeAt(text, i);
      const decoded = decodeEscape(escape);
      if (decoded === null) broken = true;
      for (let k = 0; k < (decoded ?? '').length; k++) {
        value += (decoded as string)[k];
        offsets.push(start + i);
      }
      i += escape.length;
      continue;
    }
    value += ch;
    offsets.push(start + i);
    i++;
  }
  if (!closed || text.length < 2) broken = true;
  offsets.push(closed ? start + text.length - 1 : start + text.length);
  return { value, offsets, broken };
}

/** The escape sequence starting at `text[i]` (a backslash), as tree-sitter's JS grammar delimits it. */
function escapeAt(text: string, i: number): string {
  const rest = text.slice(i, i + 12);
  const m = /^\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|[0-7]{1,3}|\r\n|[\s\S])/.exec(rest);
  return m ? m[0] : '\\';
}

function decodeEscape(text: string): string | null {
  const body = text.slice(1);
  const simple = SIMPLE_ESCAPES[body];
  if (simple !== undefined) return simple;
  if (/^\r?\n$|^[\u2028\u2029]$/.test(body)) return ''; // line continuation
  const hex = /^x([0-9a-fA-F]{2})$/.exec(body) ?? /^u([0-9a-fA-F]{4})$/.exec(body) ?? /^u\{([0-9a-fA-F]{1,6})\}$/.exec(body);
  if (hex) {
    const code = parseInt(hex[1] as string, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return body.length === 1 ? body : null;
}

/** web-tree-sitter 0.22 types `isMissing` as a property but implements it as a method. */
export function isMissing(node: SyntaxNode): boolean {
  const flag: unknown = node.isMissing;
  return typeof flag === 'function' ? (flag as () => boolean).call(node) : Boolean(flag);
}
