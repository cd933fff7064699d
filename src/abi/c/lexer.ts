// A hand-written C tokenizer: linear time, no regular expressions on the hot path.
// Comments and preprocessor lines vanish, except `#pragma pack`, which changes record
// layout and therefore becomes a token of its own.

import { AbiInputError } from '../model';

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct' | 'pragma-pack' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text; for `pragma-pack` the text inside the parentheses, e.g. `push, 4`. */
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

/** Longest first, so `<<=` wins over `<<` and `<`. */
const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|', '?', ':', ';', '=', ',', '#',
];

/** Punctuators by their first character, longest first: one short scan instead of all of them. */
const PUNCTUATORS_BY_FIRST = new Map<number, string[]>();
for (const p of PUNCTUATORS) {
  const list = PUNCTUATORS_BY_FIRST.get(p.charCodeAt(0)) ?? [];
  list.push(p);
  PUNCTUATORS_BY_FIRST.set(p.charCodeAt(0), list);
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function positionText(token: { line: number; col: number }): string {
  return `${token.line}:${token.col}`;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  /** True while only whitespace has been seen on the current line: `#` starts a directive. */
  let atLineStart = true;

  const fail = (message: string, at: number): never => {
    throw new AbiInputError(`${line}:${at - lineStart + 1}: ${message}`);
  };

  const newline = (at: number): void => {
    line++;
    lineStart = at + 1;
    atLineStart = true;
  };

  while (pos < source.length) {
    const c = source.charCodeAt(pos);
    if (c === 10) {
      newline(pos);
      pos++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
      pos++;
      continue;
    }
    if (c === 92 && source.charCodeAt(pos + 1) === 10) {
      // A line continuation outside a directive is just whitespace.
      pos += 2;
      line++;
      lineStart = pos;
      continue;
    }
    if (c === 47 && source.charCodeAt(pos + 1) === 47) {
      while (pos < source.length && source.charCodeAt(pos) !== 10) pos++;
      continue;
    }
    if (c === 47 && source.charCodeAt(pos + 1) === 42) {
      const end = source.indexOf('*/', pos + 2);
      if (end < 0) fail('unterminated comment', pos);
      for (let i = pos; i < end; i++) if (source.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
      pos = end + 2;
      continue;
    }
    const col = pos - lineStart + 1;
    if (c === 35 && atLineStart) {
      pos = directive(source, pos, line, col, tokens, newline);
      continue;
    }
    atLineStart = false;
    if (isIdentStart(c)) {
      const start = pos;
      while (pos < source.length && isIdentPart(source.charCodeAt(pos))) pos++;
      tokens.push({ kind: 'ident', text: source.slice(start, pos), line, col });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(pos + 1)))) {
      const start = pos;
      // pp-number: digits, letters, dots and exponent signs; validated when evaluated.
      while (pos < source.length) {
        const d = source.charCodeAt(pos);
        const prev = source.charCodeAt(pos - 1) | 32;
        if (isIdentPart(d) || d === 46) pos++;
        else if ((d === 43 || d === 45) && (prev === 101 || prev === 112)) pos++;
        else break;
      }
      tokens.push({ kind: 'number', text: source.slice(start, pos), line, col });
      continue;
    }
    if (c === 39 || c === 34) {
      const start = pos;
      pos++;
      while (pos < source.length && source.charCodeAt(pos) !== c) {
        const d = source.charCodeAt(pos);
        if (d === 10) fail('unterminated literal', start);
        pos += d === 92 ? 2 : 1;
      }
      if (pos >= source.length) fail('unterminated literal', start);
      pos++;
      tokens.push({ kind: c === 39 ? 'char' : 'string', text: source.slice(start, pos), line, col });
      continue;
    }
    const punct = PUNCTUATORS_BY_FIRST.get(c)?.find((p) => source.startsWith(p, pos));
    if (!punct) fail(`unexpected character '${source[pos]}'`, pos);
    tokens.push({ kind: 'punct', text: punct as string, line, col });
    pos += (punct as string).length;
  }
  tokens.push({ kind: 'eof', text: '', line, col: pos - lineStart + 1 });
  return tokens;
}

/**
 * Consumes one preprocessor line starting at `#`. Only `#pragma pack(...)` is kept; every
 * other directive (#include, #define, #if…) is skipped, as the brief for FFI input allows.
 */
function directive(
  source: string, start: number, line: number, col: number, tokens: Token[], newline: (at: number) => void,
): number {
  let end = start;
  let text = '';
  // Gather the logical line, honouring backslash continuations.
  for (;;) {
    const nl = source.indexOf('\n', end);
    const stop = nl < 0 ? source.length : nl;
    const chunk = source.slice(end, stop);
    if (chunk.endsWith('\\') && nl >= 0) {
      text += chunk.slice(0, -1) + ' ';
      newline(nl);
      end = nl + 1;
      continue;
    }
    text += chunk;
    end = stop;
    break;
  }
  const words = text.slice(1).replace(/\/\*.*?\*\/|\/\/.*$/g, ' ').trim();
  if (words.startsWith('pragma')) {
    const rest = words.slice(6).trim();
    if (rest.startsWith('pack')) {
      const open = rest.indexOf('(');
      const close = rest.lastIndexOf(')');
      if (open < 0 || close < open) {
        throw new AbiInputError(`${line}:${col}: expected #pragma pack(...)`);
      }
      tokens.push({ kind: 'pragma-pack', text: rest.slice(open + 1, close).trim(), line, col });
    }
  }
  return end;
}
