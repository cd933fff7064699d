// Text helpers for the koffi parser: UTF-16 offsets to VS Code positions, and the value of
// a JS string literal together with where each of its characters sits in the source (so a
// name found inside `'int add(int a)'` gets a precise range even after escapes).

import type { Position, Range } from '../ffi/model';
import type { SyntaxNode } from '../syntax';

/** Converts UTF-16 offsets (what tree-sitter's `startIndex` counts here) to line/character. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
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
  let value = '';
  const offsets: number[] = [];
  let broken = node.hasError;
  for (const part of node.children) {
    if (part.type === 'template_substitution') return null;
    if (part.type === 'string_fragment') {
      for (let i = 0; i < part.text.length; i++) {
        value += part.text[i];
        offsets.push(part.startIndex + i);
      }
    } else if (part.type === 'escape_sequence') {
      const decoded = decodeEscape(part.text);
      if (decoded === null) broken = true;
      for (const ch of decoded ?? '') {
        for (let i = 0; i < ch.length; i++) {
          value += ch[i];
          offsets.push(part.startIndex);
        }
      }
    }
  }
  const last = node.lastChild;
  const closed = node.childCount >= 2 && last !== null && last.type === node.firstChild?.type && !isMissing(last);
  if (!closed) broken = true;
  offsets.push(closed && last ? last.startIndex : node.endIndex);
  return { value, offsets, broken };
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
