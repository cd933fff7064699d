// Koffi's C-like prototype strings: `int __stdcall add(_Out_ int *a, str b, ...)`. Only the
// shape is read here (return type text, name, parameter type texts and names); the type
// texts are resolved by types.ts.

import type { CallingConvention } from '../ffi/model';
import { isDirectionWord, TYPE_KEYWORDS } from './types';

export interface PrototypeParam {
  readonly typeText: string;
  readonly name: string | null;
}

export interface ParsedPrototype {
  readonly returnText: string;
  readonly name: string | null;
  /** Offsets of the name inside the string (for its range). */
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly convention: CallingConvention;
  readonly params: readonly PrototypeParam[];
  readonly variadic: boolean;
  readonly problems: readonly string[];
}

/** Words that, alone, do not make a type: `struct Foo` has no name even when Foo is unknown. */
const NOT_A_TYPE = new Set(['const', 'volatile', 'struct', 'union', 'enum']);

const CONVENTIONS: Record<string, CallingConvention> = {
  __cdecl: 'cdecl',
  __stdcall: 'stdcall',
  __fastcall: 'fastcall',
  __thiscall: 'thiscall',
};

/** `'__stdcall'` and friends, as koffi's classic form and `lib.stdcall` name them. */
export function conventionOf(word: string): CallingConvention | null {
  return CONVENTIONS[word] ?? CONVENTIONS[`__${word}`] ?? null;
}

/** Reads a prototype: `Point` alone is a type, while `Point p` has the name `p`. */
export function parsePrototypeString(text: string): ParsedPrototype {
  const problems: string[] = [];
  const open = text.indexOf('(');
  if (open < 0) {
    return { returnText: text, name: null, nameStart: 0, nameEnd: 0, convention: 'default', params: [], variadic: false, problems: [`'${text.trim()}' is not a prototype such as 'int add(int a, int b)'`] };
  }
  let convention: CallingConvention = 'default';
  const head: { word: string; start: number }[] = [];
  for (const m of text.slice(0, open).matchAll(/[A-Za-z_$][\w$]*|\S/g)) {
    const word = m[0];
    const conv = CONVENTIONS[word];
    if (conv) convention = conv;
    else head.push({ word, start: m.index });
  }
  const nameToken = head.pop();
  let name: string | null = null;
  let nameStart = open;
  let nameEnd = open;
  if (nameToken && /^[A-Za-z_$]/.test(nameToken.word)) {
    name = nameToken.word;
    nameStart = nameToken.start;
    nameEnd = nameToken.start + name.length;
  } else problems.push('the prototype has no function name');
  const returnText = head.map((t) => t.word).join(' ');
  if (!returnText) problems.push('the prototype has no return type');

  const close = text.lastIndexOf(')');
  if (close < open) problems.push("the prototype's parameter list is not closed");
  if (close > open && text.slice(close + 1).trim() && text.slice(close + 1).trim() !== ';') {
    problems.push(`unexpected '${text.slice(close + 1).trim()}' after the prototype`);
  }
  const { params, variadic } = parseParams(close > open ? text.slice(open + 1, close) : text.slice(open + 1), problems);
  return { returnText, name, nameStart, nameEnd, convention, params, variadic, problems };
}

function parseParams(list: string, problems: string[]): { params: PrototypeParam[]; variadic: boolean } {
  const parts = list.split(',').map((p) => p.trim());
  if (parts.length === 1 && (parts[0] === '' || parts[0] === 'void')) return { params: [], variadic: false };
  const params: PrototypeParam[] = [];
  let variadic = false;
  parts.forEach((part, index) => {
    if (part === '...') {
      if (index !== parts.length - 1) problems.push("'...' must be the last parameter");
      variadic = true;
      return;
    }
    if (part === '') {
      problems.push(`parameter ${index + 1} is empty`);
      params.push({ typeText: '', name: null });
      return;
    }
    params.push(splitParam(part));
  });
  return { params, variadic };
}

/** `const char *name` → type `const char *`, name `name`; `unsigned long` has no name. */
function splitParam(part: string): PrototypeParam {
  const m = /^(.*?)([A-Za-z_$][\w$]*)\s*$/.exec(part);
  if (!m) return { typeText: part, name: null };
  const before = (m[1] as string).trim();
  const last = m[2] as string;
  const beforeHasType = before.split(/[\s*!]+/).some((w) => w !== '' && !NOT_A_TYPE.has(w) && !isDirectionWord(w));
  if (!beforeHasType) return { typeText: part, name: null };
  // After a type, a word is the parameter's name — even `str`, `string` or `Point`, which koffi
  // also knows as types — unless it continues the type: `unsigned int`, `long long`, `char *`.
  if (TYPE_KEYWORDS.has(last) && !/[*\]!]\s*$/.test(before)) return { typeText: part, name: null };
  return { typeText: before, name: last };
}
