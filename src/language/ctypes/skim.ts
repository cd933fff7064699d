// What a focused ctypes read must parse. A binding module is mostly lines like
// `lib.f.argtypes = [...]`, `lib.f.restype = c_int` and `lib.f(...)`: when no other line names
// `f`, they change nothing a request on other lines sees. They are found here from the text (a
// light lexer says where top-level statements start), and the parser is given only the other
// lines (`parseLeavingOut` checks the tree read so, and parses the whole file at any doubt).

import { linesNamedByNone } from '../syntax';

const NAME = '[A-Za-z_][\\w]*';
/** Blanks within a line: a statement spread over lines is never taken for one of these. */
const _ = '[ \\t]*';
const STRING = `(?:[bBrRuU]{0,2}(?:'[^'\\\\\\n\\r]*'|"[^"\\\\\\n\\r]*"))`;
// Unambiguous, so a long run of digits that fails to match fails in linear time.
const NUMBER = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';
const PATH = `${NAME}(?:${_}\\.${_}${NAME})*`;
/** Items, each followed by a comma or the closing bracket (trailing commas allowed, holes not). */
const list = (item: string) => `(?:${_}${item}${_}(?:,|(?=[)\\]])))*${_}`;
const LITERAL = `(?:${STRING}|${NUMBER}|${PATH})`;
/** A literal, a name, a call of a name with those (`POINTER(c_int)`, `P(1, 2)`). */
const SIMPLE = `(?:${LITERAL}(?:${_}\\(${list(LITERAL)}\\))?)`;
/** One of those, or a list or tuple of them: always a well-formed expression. */
const VALUE = `(?:${SIMPLE}|\\[${list(SIMPLE)}\\]|\\(${list(SIMPLE)}\\))`;
const END = `${_}(?:#[^\\n]*)?\\r?(?=\\n|$)`;
/**
 * `lib.f.argtypes = …` / `lib.f.restype = …` (groups 1, 2: the function's path and name) or
 * `lib.f(…)` (groups 3, 4), alone on the line at `lastIndex`.
 */
const SKIPPABLE_LINE = new RegExp(
  `(?:((?:${NAME}${_}\\.${_})+)(${NAME})${_}\\.${_}(?:argtypes|restype)${_}=${_}${VALUE}|((?:${NAME}${_}\\.${_})+)(${NAME})${_}\\(${list(VALUE)}\\))${END}`,
  'y',
);
/** Python's keywords but None, True and False: one outside a string means the line is not what it looks like. */
const KEYWORD = /\b(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield)\b/;
/** `x.f.argtypes =` / `x.f.restype =` at a line's start: modules with few of these are parsed whole. */
const DECLARATION_START = /^[A-Za-z_][\w.]*\.(?:argtypes|restype)[ \t]*=/gm;
/** A run of code with no quote, bracket, backslash or comment, or one of those. */
const CODE_TOKEN = /[^'"#()[\]{}\\\n]+|\n|#[^\n]*|'''|"""|'(?:[^'\\\n]|\\[\s\S])*'?|"(?:[^"\\\n]|\\[\s\S])*"?|[([{]|[)\]}]|\\\r?\n|\\/y;
const TRIPLE_BODY: Record<string, RegExp> = { "'''": /(?:[^'\\]|\\[\s\S]|'(?!''))*(?:'''|$)/y, '"""': /(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"""|$)/y };

/** A declaration or call line that may be left out. */
interface Skippable {
  readonly line: number;
  /** The function it declares or calls, and the path it is reached through (`lib.`). */
  readonly name: string;
  readonly path: string;
  readonly isCall: boolean;
  /** On the focus lines: never left out, but what it names is a function. */
  readonly onFocus: boolean;
}

/**
 * The lines of a Python module a read focused on `focus` can leave out (flags by line, `lines`
 * their starts), or null to parse it whole: none can be, or too few lines declare functions for
 * the lexing to pay. Declaration lines (`lib.f.argtypes = …`), and call lines (`lib.f(…)`) of a
 * function declared so through the same path (a foreign call, not a method that changes a record
 * or another declaration), are left out while no parsed line names a function they name
 * (`linesNamedByNone`).
 */
export function ctypesLinesLeftOut(text: string, lines: readonly number[], focus: { readonly first: number; readonly last: number }): Uint8Array | null {
  if ((text.match(DECLARATION_START)?.length ?? 0) * 4 < lines.length) return null;
  const found = skippableLines(text, lines, focus);
  if (!found) return null;
  const declared = new Set<string>();
  for (const item of found) if (!item.isCall) declared.add(`${item.path}${item.name}`);
  const candidates = found.filter((item) => !item.onFocus && (!item.isCall || declared.has(`${item.path}${item.name}`)));
  return linesNamedByNone(text, lines, candidates, new Set(found.map((item) => item.name)));
}

/**
 * The declaration and call lines that may be left out: each alone on a line that starts a
 * top-level statement (at column 0, outside any bracket and triple-quoted string, not after a
 * backslash); those on the focus lines are marked. Null when the text confuses the lexer (an unbalanced
 * bracket) or has too many tokens to lex for the gain.
 */
function skippableLines(text: string, lines: readonly number[], focus: { readonly first: number; readonly last: number }): Skippable[] | null {
  const found: Skippable[] = [];
  let depth = 0;
  /** The line continues onto the next (a backslash before its newline). */
  let continued = false;
  let pos = 0;
  // Token-dense text would take long to lex for little: give up past this.
  let tokensLeft = 10_000 + 8 * lines.length;
  const lex = (to: number): boolean => {
    while (pos < to) {
      if (--tokensLeft < 0) return false;
      CODE_TOKEN.lastIndex = pos;
      const token = CODE_TOKEN.exec(text)?.[0];
      if (token === undefined) return false;
      pos += token.length;
      continued = false;
      if (token === "'''" || token === '"""') {
        const body = TRIPLE_BODY[token]!;
        body.lastIndex = pos;
        body.exec(text);
        pos = body.lastIndex;
      } else if (token === '(' || token === '[' || token === '{') depth++;
      else if (token === ')' || token === ']' || token === '}') {
        if (--depth < 0) return false;
      } else if (token[0] === '\\' && token.length > 1) continued = true;
    }
    return true;
  };
  for (let line = 0; line < lines.length; line++) {
    const start = lines[line]!;
    const next = lines[line + 1] ?? text.length;
    if (pos > start) {
      // Inside a string begun on an earlier line.
      if (pos < next && !lex(next)) return null;
      continue;
    }
    const statementStart = depth === 0 && !continued && /[A-Za-z_]/.test(text[start] ?? '');
    // A long line is no binding line: not worth a match attempt.
    if (statementStart && next - start <= 1000) {
      SKIPPABLE_LINE.lastIndex = start;
      const match = SKIPPABLE_LINE.exec(text);
      if (match && !keywordOutsideStrings(match[0])) {
        const isCall = match[4] !== undefined;
        const onFocus = line >= focus.first && line <= focus.last;
        found.push({ line, name: (isCall ? match[4] : match[2])!, path: (isCall ? match[3] : match[1])!.replace(/[ \t]/g, ''), isCall, onFocus });
        pos = next;
        continue;
      }
    }
    if (!lex(next)) return null;
  }
  return found;
}

function keywordOutsideStrings(line: string): boolean {
  return KEYWORD.test(line) && KEYWORD.test(line.replace(/'[^'\n]*'|"[^"\n]*"/g, '""').replace(/#.*/, ''));
}
