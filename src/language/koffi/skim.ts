// What a focused koffi read must parse. A binding file is mostly lines like
// `const f = lib.func('…');` and `f(…);`: while no other line names `f`, they change nothing a
// request on other lines sees. They are found here from
// the text (a light lexer says where top-level statements start), and the parser is given only
// the other lines (tree-sitter's included ranges: positions stay the file's). Whether the
// skipping was sound is checked on the tree afterwards (`parseLeavingOut`): any doubt, and the
// whole file is parsed.

import { linesNamedByNone } from '../syntax';
import type { FocusLines } from './parse';

const WORD = '[A-Za-z_$][\\w$]*';
/** Blanks within a line: a statement spread over lines is never taken for one of these. */
const _ = '[ \\t]*';
const STRING = `(?:'[^'\\\\\\n\\r]*'|"[^"\\\\\\n\\r]*")`;
// Unambiguous, so a long run of digits that fails to match fails in linear time.
const NUMBER = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';
const PATH = `${WORD}(?:${_}\\.${_}${WORD})*`;
const SIMPLE = `(?:${STRING}|${NUMBER}|${PATH})`;
/** Items, each followed by a comma or the closing bracket (trailing commas allowed, holes not). */
const list = (item: string) => `(?:${_}${item}${_}(?:,|(?=[)\\]}])))*${_}`;
/** A literal, a name, or an array or object of those: always a well-formed value. */
const VALUE = `(?:${SIMPLE}|\\[${list(SIMPLE)}\\]|\\{${list(`(?:${WORD}|${STRING})${_}:${_}${SIMPLE}`)}\\})`;
/**
 * `const f = lib.func(…);` (also `let`, `var`, `export`; groups 1–3: keyword, name, the
 * library's first word) or `f(…);` (group 4: the name), alone on the line at `lastIndex`.
 */
const SKIPPABLE_LINE = new RegExp(
  `(?:(?:export[ \\t]+)?(const|let|var)[ \\t]+(${WORD})${_}=${_}(${WORD})(?:${_}\\.${_}${WORD})*${_}\\.${_}(?:func|cdecl|stdcall|fastcall|thiscall)|(${WORD}))${_}\\(${list(VALUE)}\\)${_};${_}\\r?(?=\\n|$)`,
  'y',
);
/** Words that cannot be a value or start one (`f(new)`): a line holding one as a value is not skipped. */
const RESERVED = 'break case catch class const continue debugger default delete do else enum export extends finally for function if import in instanceof new return super switch throw try typeof var void while with yield let static implements interface package private protected public await'.split(' ');
const RESERVED_VALUE = new RegExp(`[(,[{:][ \\t]*(?:${RESERVED.join('|')})[ \\t]*[,)\\]}.]`);
/** Words that cannot be declared. */
const NOT_NAMES = new Set([...RESERVED, 'this', 'null', 'true', 'false']);
/** After these words a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set('return typeof instanceof in of new delete void throw case do else yield await'.split(' '));

/** A declaration or call line that may be left out. */
interface Skippable {
  readonly line: number;
  /** The name it declares or calls. */
  readonly name: string;
  /** A `const` declaration. */
  readonly isConst: boolean;
  readonly isCall: boolean;
  /** On the focus lines: never left out, but what it names is a function. */
  readonly onFocus: boolean;
}

/**
 * The lines of `text` a read focused on `focus` can leave out (flags by line, `lines` their
 * starts), or null to parse it whole: no line can be, or too few lines declare functions for the
 * lexing to pay. Declaration lines, and call lines of a `const` declared on one (so no koffi call
 * declaring a type), are left out while no parsed line names a function they name
 * (`linesNamedByNone`).
 */
export function koffiLinesLeftOut(text: string, lines: readonly number[], focus: FocusLines): Uint8Array | null {
  if ((text.match(DECLARATION_START)?.length ?? 0) * 4 < lines.length) return null;
  const found = skippableLines(text, lines, focus);
  if (!found) return null;
  const constNames = new Set<string>();
  for (const item of found) if (item.isConst) constNames.add(item.name);
  const candidates = found.filter((item) => !item.onFocus && (!item.isCall || constNames.has(item.name)));
  return linesNamedByNone(text, lines, candidates, new Set(found.map((item) => item.name)));
}

/** A run of code with no quote, bracket or slash (read at once: its last word or sign is all that counts), or one of those. */
const CODE_TOKEN = /[^'"`/(){}[\]\n]+|\n|\/\/[^\n]*|\/\*|'(?:[^'\\\n]|\\[\s\S])*'?|"(?:[^"\\\n]|\\[\s\S])*"?|`|[(){}[\]]|\//y;
const WORD_CHAR = /[\w$\u0080-\uffff]/;
/** `const f = … .func(` at a line's start: files with few of these are parsed whole (lexing the rest would cost more than it saves). */
const DECLARATION_START = /^(?:export[ \t]+)?(?:const|let|var)[ \t]+[\w$]+[ \t]*=[^\n]*?\.[ \t]*(?:func|cdecl|stdcall|fastcall|thiscall)[ \t]*\(/gm;
const TEMPLATE_BODY = /(?:[^`\\$]|\\[\s\S]|\$(?!\{))*/y;
const REGEX_LITERAL = /(?:[^/\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])*\/[\w$]*/y;

/**
 * The declaration and call lines that may be left out: each alone on a line that starts a
 * top-level statement (after `;` or `}`, outside any bracket, comment, string or template); those
 * on the focus lines are marked. Null when the text confuses the lexer (an unbalanced bracket, a `/`
 * that starts no regular expression where one must) or has too many tokens to lex for the gain.
 */
function skippableLines(text: string, lines: readonly number[], focus: FocusLines): Skippable[] | null {
  const found: Skippable[] = [];
  /** Open brackets; '`' for a template's `${`. */
  const stack: string[] = [];
  let mode: 'code' | 'template' | 'comment' = 'code';
  /** The last significant token: a word, a punctuator, or 'v' for a literal. */
  let last = ';';
  let pos = 0;
  // Token-dense text (`()()()…`, runs of strings) would take long to lex for little: give up past this.
  let tokensLeft = 10_000 + 8 * lines.length;
  const lex = (to: number): boolean => {
    while (pos < to) {
      if (--tokensLeft < 0) return false;
      if (mode === 'comment') {
        const close = text.indexOf('*/', pos);
        pos = close < 0 ? text.length : close + 2;
        if (close >= 0) mode = 'code';
        continue;
      }
      if (mode === 'template') {
        TEMPLATE_BODY.lastIndex = pos;
        TEMPLATE_BODY.exec(text);
        pos = TEMPLATE_BODY.lastIndex;
        if (text[pos] === '`') {
          pos++;
          mode = 'code';
          last = 'v';
        } else if (text[pos] === '$') {
          pos += 2;
          stack.push('`');
          mode = 'code';
          last = '{';
        }
        continue;
      }
      CODE_TOKEN.lastIndex = pos;
      const token = CODE_TOKEN.exec(text)?.[0];
      if (token === undefined) return false;
      pos += token.length;
      const first = token[0]!;
      if (first === '\n' || token.startsWith('//')) continue;
      if (!"'\"`/(){}[]".includes(first)) {
        last = lastOfRun(token) ?? last;
        continue;
      }
      if (token === '/*') mode = 'comment';
      else if (token === '`') mode = 'template';
      else if (first === "'" || first === '"') last = 'v';
      else if (token === '(' || token === '[' || token === '{') {
        stack.push(token);
        last = token;
      } else if (token === ')' || token === ']' || token === '}') {
        const open = stack.pop();
        if (open === undefined) return false;
        if (open === '`' && token === '}') mode = 'template';
        else last = token;
      } else if (token === '/') {
        const regex = /^[\w$\u0080-\uffff]/.test(last) ? BEFORE_REGEX.has(last) : !/^[)\]}v]$/.test(last);
        if (regex) {
          REGEX_LITERAL.lastIndex = pos;
          // No literal where one must be: unsure what follows, so nothing is left out (and no line is scanned twice).
          if (!REGEX_LITERAL.exec(text)) return false;
          pos = REGEX_LITERAL.lastIndex;
          last = 'v';
        } else last = '/';
      }
    }
    return true;
  };
  for (let line = 0; line < lines.length; line++) {
    const start = lines[line]!;
    const next = lines[line + 1] ?? text.length;
    if (pos > start) {
      // Inside a comment, string or template begun on an earlier line.
      if (pos < next && !lex(next)) return null;
      continue;
    }
    const statementStart = mode === 'code' && stack.length === 0 && (last === ';' || last === '}');
    // A long line is no binding line: not worth a match attempt.
    if (statementStart && next - start <= 1000) {
      SKIPPABLE_LINE.lastIndex = start;
      const match = SKIPPABLE_LINE.exec(text);
      const declared = match?.[2];
      const name = declared ?? match?.[4];
      if (match && name !== undefined && !NOT_NAMES.has(name) && !NOT_NAMES.has(match[3] ?? '') && !reservedValue(match[0])) {
        found.push({ line, name, isConst: match[1] === 'const', isCall: declared === undefined, onFocus: line >= focus.first && line <= focus.last });
        pos = next;
        last = ';';
        continue;
      }
    }
    if (!lex(next)) return null;
  }
  return found;
}

/**
 * The last significant token of a run of code, as far as the lexer cares: a keyword that may
 * precede a regular expression, 'v' for a number, 'w' for another word, else the last sign.
 * Read from the end, a few characters at most (no regular expression: a long run would backtrack).
 */
function lastOfRun(run: string): string | null {
  const trimmed = run.trimEnd();
  const end = trimmed.length;
  if (end === 0) return null;
  if (!WORD_CHAR.test(trimmed[end - 1]!)) return trimmed[end - 1]!;
  let start = end - 1;
  while (start > 0 && end - start <= 10 && WORD_CHAR.test(trimmed[start - 1]!)) start--;
  if (start > 0 && WORD_CHAR.test(trimmed[start - 1]!)) return 'w';
  const word = trimmed.slice(start);
  return /^\d/.test(word) ? 'v' : BEFORE_REGEX.has(word) ? word : 'w';
}

/** A reserved word where a value is (`f(new)`): the line would not be the statement it looks like. */
function reservedValue(line: string): boolean {
  // Most lines have none; a prototype string may (`'int f(void)'`), so strings are blanked then.
  return RESERVED_VALUE.test(line) && RESERVED_VALUE.test(line.replace(/'[^'\n]*'|"[^"\n]*"/g, '""'));
}
