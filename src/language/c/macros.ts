// The little of the C preprocessor that FFI declarations need: object-like macros substituted
// as text, `#if` conditions evaluated, and "decoration" macros (`API`, `EXPORT`, `CALLBACK`)
// recognised so they can be blanked before tree-sitter sees them.

import { constantExpression } from '../../abi/c/constexpr';
import { tokenize } from '../../abi/c/lexer';
import { TokenStream } from '../../abi/c/stream';

/** Names a GCC-style compiler predefines that headers commonly test; target-neutral ones only. */
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['__STDC__', '1'],
  ['__STDC_VERSION__', '201710L'],
  ['__GNUC__', '4'],
]);

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?(\*\/|$)|\/\/.*$/gm, ' ').replace(/\\\r?\n/g, ' ').trim();
}

/** What the compilers of each modelled target predefine that headers test in `#ifdef`s. */
const TARGET_MACROS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'x86_64-sysv': [['__x86_64__', '1'], ['__x86_64', '1'], ['__amd64__', '1'], ['__linux__', '1'], ['__linux', '1'], ['__unix__', '1'], ['__LP64__', '1'], ['_LP64', '1'], ['__ELF__', '1']],
  'x86_64-win64': [['_WIN32', '1'], ['_WIN64', '1'], ['_M_X64', '100'], ['_M_AMD64', '100'], ['__x86_64__', '1'], ['__MINGW64__', '1'], ['__MINGW32__', '1'], ['__LLP64__', '1']],
  'aarch64-aapcs64': [['__aarch64__', '1'], ['__ARM_ARCH', '8'], ['__linux__', '1'], ['__linux', '1'], ['__unix__', '1'], ['__LP64__', '1'], ['_LP64', '1'], ['__ELF__', '1']],
  'arm64-apple': [['__APPLE__', '1'], ['__MACH__', '1'], ['__aarch64__', '1'], ['__arm64__', '1'], ['__ARM_ARCH', '8'], ['__LP64__', '1'], ['_LP64', '1']],
};

/** The macros predefined for `target` (target-neutral ones only without it). */
export function predefinedFor(target: string | undefined): Map<string, string> {
  return new Map([...PREDEFINED, ...(target ? (TARGET_MACROS[target] ?? []) : [])]);
}

export class MacroTable {
  private readonly objects: Map<string, string>;

  constructor(target?: string) {
    this.objects = predefinedFor(target);
  }

  private readonly functions = new Set<string>();

  define(name: string, value: string): void {
    this.functions.delete(name);
    this.objects.set(name, stripComments(value));
  }

  defineFunction(name: string): void {
    this.objects.delete(name);
    this.functions.add(name);
  }

  undefine(name: string): void {
    this.objects.delete(name);
    this.functions.delete(name);
  }

  isDefined(name: string): boolean {
    return this.objects.has(name) || this.functions.has(name);
  }

  isFunctionLike(name: string): boolean {
    return this.functions.has(name);
  }

  /** The full expansion of an object-like macro, or null when `name` is not one. */
  expand(name: string, expanding: ReadonlySet<string> = new Set()): string | null {
    const value = this.objects.get(name);
    if (value === undefined || expanding.has(name)) return null;
    return this.expandText(value, new Set([...expanding, name]));
  }

  /** Substitutes object-like macros in `text`; a macro never expands inside itself (as in C). */
  expandText(text: string, expanding: ReadonlySet<string> = new Set()): string {
    return text.replace(IDENTIFIER, (word) => this.expand(word, expanding) ?? word);
  }

  /** The function-like macros `text` mentions (we do not expand them). */
  functionLikeIn(text: string): string[] {
    return [...new Set(text.match(IDENTIFIER) ?? [])].filter((w) => this.functions.has(w));
  }

  /** Evaluates an `#if`/`#elif` condition; null when it cannot (then the branch is taken). */
  evaluate(condition: string): boolean | null {
    const withDefined = stripComments(condition).replace(
      /\bdefined\s*(?:\(\s*([A-Za-z_$][\w$]*)\s*\)|([A-Za-z_$][\w$]*))/g,
      (_all, a?: string, b?: string) => (this.isDefined(a ?? b ?? '') ? '1' : '0'),
    );
    const expanded = this.expandText(withDefined);
    if (this.functionLikeIn(expanded).length > 0) return null;
    try {
      const stream = new TokenStream(tokenize(expanded));
      const value = constantExpression({
        stream,
        enumerator: () => 0n, // identifiers left after expansion are 0 in #if
        startsTypeName: () => false,
        typeName: () => stream.fail('no types in #if'),
        charSigned: true,
      });
      return stream.atEnd() ? value !== 0n : null;
    } catch {
      return null;
    }
  }
}

const STORAGE_WORDS = new Set(['extern', 'static', 'inline', '__inline', '__inline__']);
const CONVENTION_WORDS = new Set(['__stdcall', '_stdcall', '__cdecl', '_cdecl', '__fastcall', '_fastcall', '__thiscall', '__vectorcall']);

/** Removes balanced `keyword(...)` groups; null when one is unbalanced. */
function withoutGroups(text: string, keyword: RegExp): string | null {
  let out = text;
  for (let match = keyword.exec(out); match; match = keyword.exec(out)) {
    let depth = 0;
    let end = match.index + match[0].length;
    for (; end < out.length; end++) {
      if (out[end] === '(') depth++;
      else if (out[end] === ')' && --depth === 0) break;
      else if (depth === 0 && !/\s/.test(out[end] as string)) return null;
    }
    if (depth !== 0 || end >= out.length) return null;
    out = out.slice(0, match.index) + ' ' + out.slice(end + 1);
  }
  return out;
}

/**
 * True for an expansion that only decorates a declaration without changing any layout:
 * empty, storage words, calling conventions, or attributes other than packed/aligned.
 * tree-sitter cannot parse `API int f(void);` with an unknown `API`, so these get blanked.
 */
export function isDecoration(expansion: string): boolean {
  if (/\b(packed|aligned|align)\b/.test(expansion)) return false;
  const rest = withoutGroups(withoutGroups(expansion, /\b__attribute__?\b/) ?? '@', /\b__declspec\b/);
  if (rest === null) return false;
  return (rest.match(/\S+/g) ?? []).every((w) => STORAGE_WORDS.has(w) || CONVENTION_WORDS.has(w));
}

/** The calling convention a function head's (macro-expanded) text names, if any. */
export function conventionIn(text: string): 'stdcall' | 'cdecl' | 'fastcall' | 'thiscall' | 'win64' | 'sysv' | null {
  if (/\b_?_?stdcall\b|\bWINAPI\b/.test(text)) return 'stdcall';
  if (/\b_?_?fastcall\b/.test(text)) return 'fastcall';
  if (/\b_?_?thiscall\b/.test(text)) return 'thiscall';
  if (/\bms_abi\b/.test(text)) return 'win64';
  if (/\bsysv_abi\b/.test(text)) return 'sysv';
  if (/\b_?_?cdecl\b/.test(text)) return 'cdecl';
  return null;
}

/** Calling-convention keywords this tree-sitter-c grammar does not know; blanked like decorations. */
export const CONVENTION_KEYWORDS: readonly string[] = [...CONVENTION_WORDS];

/**
 * Replaces each whole-word occurrence of `names` outside preprocessor lines with spaces of
 * the same length, so every tree-sitter position still matches the user's text.
 */
export function blankWords(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return text;
  const lines = text.split('\n');
  let inDirective = false;
  return lines
    .map((line) => {
      const directive = inDirective || /^\s*#/.test(line);
      inDirective = directive && line.endsWith('\\');
      if (directive) return line;
      return line.replace(IDENTIFIER, (word) => (names.has(word) ? ' '.repeat(word.length) : word));
    })
    .join('\n');
}

/**
 * `#ifdef __cplusplus` / `extern "C" {` / `#endif` … `#ifdef __cplusplus` / `}` / `#endif`: the
 * braces are unbalanced within each conditional, which derails tree-sitter for the whole
 * header. These blocks mean nothing to C, so they are blanked (same length, same lines).
 */
export function blankCplusplusGuards(text: string): string {
  const block = /^[ \t]*#[ \t]*if(?:def[ \t]+__cplusplus|[ \t]+defined[ \t]*\(?[ \t]*__cplusplus[ \t]*\)?)[^\n]*\n(?:[ \t]*(?:extern[ \t]+"C"[ \t]*\{|\})[ \t]*(?:\/\/[^\n]*|\/\*.*?\*\/)?[ \t]*\r?\n)+[ \t]*#[ \t]*endif\b[^\n]*/gm;
  return text.replace(block, (match) => match.replace(/[^\n]/g, ' '));
}

export interface ScannedDefine {
  readonly name: string;
  /** null for a function-like macro. */
  readonly value: string | null;
  /** A function-like macro's parameters and body. */
  readonly params?: readonly string[];
  readonly body?: string;
}

/** `#define` and `#include "…"` lines found by a plain line scan (before any parse). */
export function scanDirectives(text: string): { defines: ScannedDefine[]; includes: string[] } {
  const defines: ScannedDefine[] = [];
  const includes: string[] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split('\n');
  for (const line of logical) {
    const define = /^\s*#\s*define\s+([A-Za-z_$][\w$]*)(\()?(.*)$/.exec(line);
    if (define && !define[2]) defines.push({ name: define[1] as string, value: stripComments(define[3] ?? '') });
    else if (define) {
      const fn = /^([^)]*)\)(.*)$/.exec(define[3] ?? '');
      const params = (fn?.[1] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      defines.push({ name: define[1] as string, value: null, params, body: stripComments(fn?.[2] ?? '') });
    }
    const include = /^\s*#\s*include\s*"([^"]+)"/.exec(line);
    if (include) includes.push(include[1] as string);
  }
  return { defines, includes };
}

/**
 * A function-like macro that wraps a type in decorations, `#define EXPORT(type) extern
 * __declspec(dllexport) type`: its one parameter appears once in the body, and the rest only
 * decorates (see isDecoration). `EXPORT(int) f(void)` then means `int f(void)`.
 */
export function isTypeWrapper(define: ScannedDefine, expand: (text: string) => string): boolean {
  if (define.params?.length !== 1 || define.body === undefined) return false;
  const param = define.params[0] as string;
  const uses = define.body.match(new RegExp(`(?<![\\w$])${param.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')) ?? [];
  if (uses.length !== 1) return false;
  const rest = define.body.replace(new RegExp(`(?<![\\w$])${param.replace(/\$/g, '\\$')}(?![\\w$])`), ' ');
  return isDecoration(expand(rest));
}

/**
 * Blanks the wrapper macro around each use (`EXPORT(int)` → `       int `), keeping the
 * argument in place, outside preprocessor lines: same length and lines, as blankWords does.
 */
export function unwrapTypeMacros(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return text;
  const lines = text.split('\n');
  let inDirective = false;
  return lines
    .map((line) => {
      const directive = inDirective || /^\s*#/.test(line);
      inDirective = directive && line.endsWith('\\');
      if (directive) return line;
      let out = line;
      for (const match of [...line.matchAll(/[A-Za-z_$][\w$]*/g)].reverse()) {
        if (!names.has(match[0])) continue;
        const open = /^\s*\(/.exec(line.slice(match.index + match[0].length));
        if (!open) continue;
        const argStart = match.index + match[0].length + open[0].length;
        let depth = 1;
        let close = argStart;
        for (; close < line.length && depth > 0; close++) {
          if (line[close] === '(') depth++;
          else if (line[close] === ')') depth--;
        }
        if (depth !== 0) continue; // the argument goes on past this line: leave it to tree-sitter
        close--;
        out = out.slice(0, match.index) + ' '.repeat(argStart - match.index) + out.slice(argStart, close) + ' ' + out.slice(close + 1);
      }
      return out;
    })
    .join('\n');
}
