// Koffi types as C: the primitive names koffi accepts, its short type strings ('Point *',
// 'float [8]', 'str!') and how a type prints as a C declarator the ABI engine parses.

/**
 * A koffi type in C terms. Function types are always typedef names (koffi.proto creates
 * one), so declarators never need the `(*)(…)` form.
 */
export type KType =
  | { readonly kind: 'name'; readonly c: string; /** koffi-declared names (records, typedefs) this one needs */ readonly deps: readonly string[] }
  | { readonly kind: 'pointer'; readonly to: KType }
  | { readonly kind: 'array'; readonly of: KType; /** null: flexible array member */ readonly length: number | null }
  | { readonly kind: 'unknown'; readonly problem: string };

export function named(c: string, deps: readonly string[] = []): KType {
  return { kind: 'name', c, deps };
}

export function pointerTo(to: KType, count = 1): KType {
  let type = to;
  for (let i = 0; i < count; i++) type = { kind: 'pointer', to: type };
  return type;
}

export function unknown(problem: string): KType {
  return { kind: 'unknown', problem };
}

/** The first problem inside a type, if any part of it is unknown. */
export function typeProblem(type: KType): string | null {
  switch (type.kind) {
    case 'unknown': return type.problem;
    case 'pointer': return typeProblem(type.to);
    case 'array': return typeProblem(type.of);
    default: return null;
  }
}

/** koffi-declared names the type refers to, directly. */
export function typeDeps(type: KType): readonly string[] {
  switch (type.kind) {
    case 'name': return type.deps;
    case 'pointer': return typeDeps(type.to);
    case 'array': return typeDeps(type.of);
    default: return [];
  }
}

/** `type` declaring `inner` (a name or nothing): `int *p`, `float a[8]`, `int (*)[4]`. */
export function declare(type: KType, inner = ''): string {
  switch (type.kind) {
    case 'name': return inner ? `${type.c} ${inner}` : type.c;
    case 'pointer': return declare(type.to, type.to.kind === 'array' ? `(*${inner})` : `*${inner}`);
    case 'array': return declare(type.of, `${inner}[${type.length ?? ''}]`);
    case 'unknown': return inner ? `? ${inner}` : '?';
  }
}

const CONST_CHAR = named('const char');

/** Koffi's primitive type names, as the C the engine understands. */
const PRIMITIVES = new Map<string, KType>();
function primitive(c: string | KType, ...koffiNames: string[]): void {
  for (const name of koffiNames) PRIMITIVES.set(name, typeof c === 'string' ? named(c) : c);
}
primitive('void', 'void');
primitive('bool', 'bool', '_Bool');
primitive('char', 'char');
primitive('signed char', 'signed char');
primitive('unsigned char', 'uchar', 'unsigned char');
primitive('short', 'short', 'signed short', 'short int');
primitive('unsigned short', 'ushort', 'unsigned short', 'unsigned short int');
primitive('int', 'int', 'signed int', 'signed');
primitive('unsigned int', 'uint', 'unsigned int', 'unsigned');
primitive('long', 'long', 'long int', 'signed long');
primitive('unsigned long', 'ulong', 'unsigned long', 'unsigned long int');
primitive('long long', 'longlong', 'long long', 'long long int', 'signed long long');
primitive('unsigned long long', 'ulonglong', 'unsigned long long', 'unsigned long long int');
primitive('float', 'float', 'float32');
primitive('double', 'double', 'float64');
primitive('char16_t', 'char16', 'char16_t');
primitive('char32_t', 'char32', 'char32_t');
primitive('wchar_t', 'wchar', 'wchar_t');
primitive('intptr_t', 'intptr', 'intptr_t');
primitive('uintptr_t', 'uintptr', 'uintptr_t');
primitive('size_t', 'size_t');
primitive(pointerTo(CONST_CHAR), 'str', 'string');
primitive(pointerTo(named('const char16_t')), 'str16', 'string16');
primitive(pointerTo(named('const char32_t')), 'str32', 'string32');
for (const bits of [8, 16, 32, 64]) {
  for (const sign of ['', 'u']) {
    const c = `${sign}int${bits}_t`;
    const base = `${sign}int${bits}`;
    primitive(c, base, c);
    // Byte order changes what the callee sees in memory, not where the value travels.
    if (bits > 8) for (const end of ['le', 'be']) primitive(c, `${base}_${end}`, `${base}_${end}_t`);
  }
}

export function primitiveType(name: string): KType | null {
  return PRIMITIVES.get(name) ?? null;
}

/** Parameter types that only mark direction or ownership in koffi prototypes. */
const DIRECTION_WORDS = new Set(['_In_', '_Out_', '_Inout_']);
const IGNORED_QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict']);
const TAG_WORDS = new Set(['struct', 'union', 'enum']);

/** Words that can only be part of a type, never a parameter name. */
export const TYPE_KEYWORDS = new Set([
  'void', 'bool', '_Bool', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', 'const', 'volatile',
  'struct', 'union', 'enum', 'restrict', '__restrict',
]);

export function isDirectionWord(word: string): boolean {
  return DIRECTION_WORDS.has(word);
}

/** Pointer levels or array dimensions a type string may have: real code stays far below. */
const MAX_INDIRECTION = 32;

function clipText(text: string): string {
  const line = text.trim().slice(0, 80).replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

/**
 * Resolves a koffi type string. `lookup` finds names declared through koffi in this file
 * (structs, aliases, prototypes…); it returns null for names it does not know.
 */
export function parseTypeString(text: string, lookup: (name: string) => KType | null): KType {
  const tokens = text.match(/[A-Za-z_$][\w$]*|\d+|\S/g) ?? [];
  let i = 0;
  const words: string[] = [];
  let leadingConst = false;
  for (; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!/^[A-Za-z_$]/.test(t)) break;
    if (DIRECTION_WORDS.has(t) || TAG_WORDS.has(t)) continue;
    if (IGNORED_QUALIFIERS.has(t)) {
      leadingConst ||= t === 'const';
      continue;
    }
    words.push(t);
  }
  if (words.length === 0) return unknown(text.trim() ? `'${clipText(text)}' is not a type` : 'empty type string');
  const base = words.join(' ');
  let type = primitiveType(base) ?? (words.length === 1 ? lookup(base) : null);
  if (!type) return unknown(`unknown type '${base}'`);
  // `const` keeps its place: it is what users read in hovers, and costs nothing.
  if (leadingConst && type.kind === 'name' && !type.c.startsWith('const ')) type = named(`const ${type.c}`, type.deps);
  const lengths: (number | null)[] = [];
  let pointers = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === '*' && ++pointers > MAX_INDIRECTION) return unknown(`more than ${MAX_INDIRECTION} levels of pointers in '${clipText(text)}'`);
    if (lengths.length > MAX_INDIRECTION) return unknown(`more than ${MAX_INDIRECTION} array dimensions in '${clipText(text)}'`);
    if (t === '*') type = pointerTo(type);
    else if (t === '!' || IGNORED_QUALIFIERS.has(t)) continue; // `!` marks a disposable pointer
    else if (t === '[') {
      const size = tokens[i + 1];
      if (size === ']') {
        lengths.push(null);
        i += 1;
      } else if (size !== undefined && /^\d+$/.test(size) && tokens[i + 2] === ']') {
        lengths.push(Number(size));
        i += 2;
      } else return unknown(`cannot read the array size in '${text.trim()}'`);
    } else return unknown(`unexpected '${t}' in type '${text.trim()}'`);
  }
  // `int [2][3]` is two arrays of three: the first suffix is outermost.
  for (let k = lengths.length - 1; k >= 0; k--) type = { kind: 'array', of: type, length: lengths[k] as number | null };
  return type;
}

const PROMOTED_TO_INT = new Set([
  'bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'char16_t',
]);

/** The C type an argument has after the default promotions of `...` (float becomes double…). */
export function promoted(type: KType): KType {
  if (type.kind !== 'name') return type;
  if (type.c === 'float') return named('double');
  return PROMOTED_TO_INT.has(type.c) ? named('int') : type;
}
