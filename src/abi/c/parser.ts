// Recursive-descent parser for the declaration subset of C that FFI signatures use. Types
// are resolved while parsing (C declares before use), so there is no separate AST.

import type { CType, FunctionDecl, FunctionType, Param, RecordType } from '../model';
import type { DataModel } from '../targets';
import { checkAlignment, isAttributeStart, mergeAttributes, noAttributes, readAttributes, type Attributes } from './attributes';
import { constantExpression, type ConstantContext } from './constexpr';
import type { Token } from './lexer';
import { enumSpecifier, recordSpecifier } from './records';
import { arithmeticType, builtinTypedef, SPECIFIER_KEYWORDS } from './scalars';
import { describe, type TokenStream } from './stream';
import { arrayOf, functionOf, isComplete, namedAlias, pointerTo, respelled } from './types';

/** Declarations seen so far; shared by the `decls` text and later prototypes and type names. */
export class Scope {
  readonly tags = new Map<string, CType>();
  readonly typedefs = new Map<string, CType>();
  readonly enumerators = new Map<string, bigint>();
  /** 'struct S0' → the record, for hovers. */
  readonly records = new Map<string, RecordType>();
  /** The `#pragma pack` value in effect and the values pushed before it. */
  pack: number | undefined;
  readonly packStack: (number | undefined)[] = [];
}

export interface Specifiers {
  readonly type: CType;
  readonly typedef: boolean;
  /** Attributes written among the specifiers; they belong to the declared entity. */
  readonly attrs: Attributes;
  /** An untagged struct/union was defined here: without a declarator it is an anonymous member. */
  readonly anonymousRecord: boolean;
}

export interface Declarator {
  readonly name: Token | null;
  readonly attrs: Attributes;
  derive(base: CType): CType;
}

const STORAGE_AND_FUNCTION_WORDS = new Set([
  'typedef', 'extern', 'static', 'auto', 'register', 'inline', '__inline', '__inline__', '_Noreturn', 'noreturn',
  '_Thread_local', 'thread_local', '__thread', '__extension__', 'constexpr',
]);
const QUALIFIERS = new Set([
  'const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__const__', '__volatile', '__volatile__', '_Atomic',
  '_Nonnull', '_Nullable', '__ptr64', '__ptr32',
]);

type DeclaratorMode = 'named' | 'abstract' | 'either';

export class Parser implements ConstantContext {
  readonly charSigned: boolean;

  constructor(readonly stream: TokenStream, readonly scope: Scope, readonly model: DataModel) {
    this.charSigned = model.charSigned;
  }

  // ---- translation unit -------------------------------------------------------------

  translationUnit(): void {
    const s: TokenStream = this.stream;
    while (!s.atEnd()) {
      if (this.pragma()) continue;
      if (s.accept(';')) continue;
      if (s.is('_Static_assert') || s.is('static_assert')) this.staticAssert();
      else this.declaration();
    }
  }

  /** Applies a `#pragma pack` token if one is next. */
  pragma(): boolean {
    const token = this.stream.peek();
    if (token.kind !== 'pragma-pack') return false;
    this.stream.next();
    applyPack(this.scope, token, this.stream);
    return true;
  }

  private staticAssert(): void {
    const s: TokenStream = this.stream;
    const keyword = s.next();
    s.expect('(', 'after _Static_assert');
    const value = this.constant();
    if (s.accept(',')) while (s.peek().kind === 'string') s.next();
    s.expect(')', 'to close _Static_assert');
    s.expect(';', 'after _Static_assert');
    if (value === 0) s.fail('static assertion failed', keyword);
  }

  private declaration(): void {
    const s: TokenStream = this.stream;
    const specs = this.specifiers();
    if (!specs) s.fail(`expected a declaration, found '${s.peek().text}'`);
    if (s.accept(';')) return;
    for (;;) {
      const d = this.declarator('named');
      const type = d.derive(specs.type);
      const attrs = mergeAttributes(specs.attrs, d.attrs);
      readAttributes(this, attrs);
      if (specs.typedef) this.defineTypedef(d.name as Token, type, attrs);
      if (s.is('{') && type.kind === 'function') {
        s.skipGroup(); // a function definition: its body says nothing about types
        return;
      }
      if (s.accept('=')) this.skipInitializer();
      if (s.accept(',')) continue;
      s.expect(';', 'at the end of the declaration');
      return;
    }
  }

  private defineTypedef(name: Token, type: CType, attrs: Attributes): void {
    // `aligned` on a typedef sets the alignment outright (GCC and Clang let it lower it).
    this.scope.typedefs.set(name.text, namedAlias(type, name.text, attrs.aligned));
  }

  private skipInitializer(): void {
    const s: TokenStream = this.stream;
    while (!s.is(',') && !s.is(';') && !s.atEnd()) {
      if (s.is('(') || s.is('{') || s.is('[')) s.skipGroup();
      else s.next();
    }
  }

  // ---- specifiers ---------------------------------------------------------------------

  /** Declaration specifiers, or null when the next token cannot start a declaration. */
  specifiers(): Specifiers | null {
    const s: TokenStream = this.stream;
    const first = s.peek();
    const counts = new Map<string, number>();
    const words: string[] = [];
    const attrs = noAttributes();
    let named: CType | null = null;
    let typedef = false;
    let anonymousRecord = false;
    for (;;) {
      const t = s.peek();
      if (t.kind !== 'ident') break;
      if (readAttributes(this, attrs)) continue;
      if (t.text === '_Alignas' || t.text === 'alignas') {
        attrs.alignas = Math.max(attrs.alignas ?? 0, this.alignas());
        continue;
      }
      if (STORAGE_AND_FUNCTION_WORDS.has(t.text)) {
        typedef ||= t.text === 'typedef';
        s.next();
        continue;
      }
      if (QUALIFIERS.has(t.text)) {
        s.next();
        if (t.text === '_Atomic' && s.is('(')) s.fail('_Atomic(type) is not supported', t);
        words.push(t.text);
        continue;
      }
      const hasType = named !== null || counts.size > 0;
      if (SPECIFIER_KEYWORDS.has(t.text)) {
        if (named) s.fail(`'${t.text}' cannot follow '${named.spelling}'`, t);
        s.next();
        counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
        words.push(t.text);
        continue;
      }
      if (hasType) break;
      if (t.text === 'struct' || t.text === 'union') {
        const { type, anonymousDefinition } = recordSpecifier(this, s.next());
        named = type;
        anonymousRecord = anonymousDefinition;
        words.push(type.spelling);
        continue;
      }
      if (t.text === 'enum') {
        named = enumSpecifier(this, s.next());
        words.push(named.spelling);
        continue;
      }
      if (t.text === '__typeof__' || t.text === '__typeof' || t.text === 'typeof') s.fail(`'${t.text}' is not supported`, t);
      const typedefType = this.scope.typedefs.get(t.text) ?? builtinTypedef(t.text, this.model);
      if (typedefType) {
        s.next();
        named = typedefType;
        words.push(t.text);
        continue;
      }
      break;
    }
    if (named === null && counts.size === 0) {
      if (s.peek() === first) return null;
      s.fail(`expected a type name, found ${describe(s.peek())}`);
    }
    const spelling = words.join(' ');
    const type = named ? respelled(named, spelling) : this.arithmetic(counts, spelling, first);
    return { type, typedef, attrs, anonymousRecord };
  }

  private arithmetic(counts: Map<string, number>, spelling: string, at: Token): CType {
    try {
      return arithmeticType(counts, spelling, this.model);
    } catch (err) {
      return this.stream.fail((err as Error).message, at);
    }
  }

  private alignas(): number {
    const s: TokenStream = this.stream;
    s.next();
    s.expect('(', 'after _Alignas');
    const at = s.peek();
    const value = this.startsTypeName() ? this.typeName().align : this.constant();
    s.expect(')', 'to close _Alignas');
    if (value !== 0) checkAlignment(this, value, at);
    return value;
  }

  startsTypeName(): boolean {
    const t = this.stream.peek();
    if (t.kind !== 'ident') return false;
    return SPECIFIER_KEYWORDS.has(t.text) || QUALIFIERS.has(t.text) || t.text === 'struct' || t.text === 'union' ||
      t.text === 'enum' || this.scope.typedefs.has(t.text) ||
      (!this.scope.enumerators.has(t.text) && builtinTypedef(t.text, this.model) !== null) ||
      isAttributeStart(this.stream) || t.text === '_Alignas';
  }

  typeName(): CType {
    const specs = this.specifiers();
    if (!specs) return this.stream.fail(`expected a type name, found '${this.stream.peek().text}'`);
    return this.declarator('abstract').derive(specs.type);
  }

  // ---- declarators --------------------------------------------------------------------

  declarator(mode: DeclaratorMode): Declarator {
    const s: TokenStream = this.stream;
    const attrs = noAttributes();
    readAttributes(this, attrs);
    const pointers: string[] = [];
    while (s.accept('*')) {
      const quals: string[] = [];
      for (;;) {
        if (readAttributes(this, noAttributes())) continue;
        const q = s.peek();
        if (q.kind === 'ident' && QUALIFIERS.has(q.text)) quals.push(s.next().text);
        else break;
      }
      pointers.push(quals.join(' '));
    }
    let inner: Declarator | null = null;
    let name: Token | null = null;
    if (s.is('(') && this.isNestedDeclarator(mode)) {
      s.next();
      inner = this.declarator(mode);
      s.expect(')', 'to close the declarator');
    } else if (s.peek().kind === 'ident' && mode !== 'abstract' && !isAttributeStart(s)) {
      name = s.next();
    } else if (mode === 'named') {
      s.fail(`expected a name, found ${s.peek().kind === 'eof' ? 'end of input' : `'${s.peek().text}'`}`);
    }
    const suffixes: ((t: CType) => CType)[] = [];
    for (;;) {
      if (s.is('[')) suffixes.push(this.arraySuffix());
      else if (s.is('(')) suffixes.push(this.functionSuffix());
      else break;
    }
    readAttributes(this, attrs);
    if (s.is('__asm__') || s.is('asm') || s.is('__asm')) {
      s.next();
      s.skipGroup();
      readAttributes(this, attrs);
    }
    const pointer = this.model.pointer;
    return {
      name: inner ? inner.name : name,
      attrs: inner ? mergeAttributes(attrs, inner.attrs) : attrs,
      derive: (base) => {
        let type = base;
        for (const quals of pointers) type = pointerTo(type, pointer, quals);
        for (let i = suffixes.length - 1; i >= 0; i--) type = (suffixes[i] as (t: CType) => CType)(type);
        return inner ? inner.derive(type) : type;
      },
    };
  }

  /** After `(` in declarator position: a parenthesised declarator rather than a parameter list? */
  private isNestedDeclarator(mode: DeclaratorMode): boolean {
    const next = this.stream.peek(1);
    if (next.kind === 'punct') return next.text === '*' || next.text === '(' || next.text === '^' || next.text === '[';
    if (next.kind !== 'ident') return false;
    if (next.text === '__attribute__' || next.text === '__attribute') return true;
    if (mode === 'abstract') return false;
    // A name in parentheses, unless it names a type (then this is a parameter list).
    return !SPECIFIER_KEYWORDS.has(next.text) && !QUALIFIERS.has(next.text) && !STORAGE_AND_FUNCTION_WORDS.has(next.text) &&
      !['struct', 'union', 'enum'].includes(next.text) && !this.scope.typedefs.has(next.text) && builtinTypedef(next.text, this.model) === null;
  }

  private arraySuffix(): (t: CType) => CType {
    const s: TokenStream = this.stream;
    const open = s.next();
    while (s.peek().kind === 'ident' && (QUALIFIERS.has(s.peek().text) || s.peek().text === 'static')) s.next();
    if (s.accept(']')) return (elem) => this.array(elem, 0, true, open);
    const at = s.peek();
    const count = this.constant();
    if (count < 0) s.fail(`array size ${count} is negative`, at);
    s.expect(']', 'to close the array size');
    return (elem) => this.array(elem, count, false, open);
  }

  private array(elem: CType, count: number, flexible: boolean, at: Token): CType {
    if (elem.kind === 'function') this.stream.fail('array of functions is not allowed', at);
    if (!isComplete(elem)) this.stream.fail(`array element type '${elem.spelling}' is incomplete`, at);
    return arrayOf(elem, count, flexible);
  }

  private functionSuffix(): (t: CType) => CType {
    const s: TokenStream = this.stream;
    const open = s.next();
    const params: Param[] = [];
    let variadic = false;
    if (s.is('void') && s.is(')', 1)) s.next();
    while (!s.is(')')) {
      if (params.length > 0 || variadic) s.expect(',', 'between parameters');
      if (s.accept('...')) {
        variadic = true;
        break;
      }
      params.push(this.parameter(params.length));
    }
    s.expect(')', 'to close the parameter list');
    return (ret) => {
      if (ret.kind === 'function' || ret.kind === 'array') s.fail(`a function cannot return '${ret.spelling}'`, open);
      return functionOf(ret, params, variadic);
    };
  }

  private parameter(index: number): Param {
    const s: TokenStream = this.stream;
    const at = s.peek();
    const specs = this.specifiers();
    if (!specs) s.fail(`expected a parameter type, found ${at.kind === 'eof' ? 'end of input' : `'${at.text}'`}`, at);
    const d = this.declarator('either');
    let type = d.derive(specs.type);
    // Parameters of array and function type are really pointers (C17 6.7.6.3p7-8).
    if (type.kind === 'array') type = pointerTo(type.elem, this.model.pointer);
    else if (type.kind === 'function') type = pointerTo(type, this.model.pointer);
    if (type.kind === 'void') s.fail(`parameter ${index} has type 'void'`, at);
    return { name: d.name ? d.name.text : `p${index}`, type };
  }

  // ---- constants ----------------------------------------------------------------------

  enumerator(name: string): bigint | undefined {
    return this.scope.enumerators.get(name);
  }

  /** An integer constant expression that must fit a JavaScript number (sizes, widths). */
  constant(): number {
    const at = this.stream.peek();
    const value = constantExpression(this);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      this.stream.fail(`constant ${value} is too large here`, at);
    }
    return Number(value);
  }

  // ---- entry points for one prototype / one type name -----------------------------------

  prototype(): FunctionDecl {
    const s: TokenStream = this.stream;
    const specs = this.specifiers();
    if (!specs) return s.fail('expected a function prototype such as `int f(int x)`');
    const d = this.declarator('named');
    const type = d.derive(specs.type);
    readAttributes(this, noAttributes());
    s.accept(';');
    if (!s.atEnd()) s.fail(`unexpected '${s.peek().text}' after the prototype`);
    if (type.kind !== 'function' || !d.name) return s.fail(`'${type.spelling}' is not a function prototype`, d.name ?? s.peek());
    checkCompleteSignature(type, s, d.name);
    return { name: d.name.text, type };
  }

  wholeTypeName(): CType {
    const type = this.typeName();
    if (!this.stream.atEnd()) this.stream.fail(`unexpected '${this.stream.peek().text}' after the type name`);
    return type;
  }
}

function checkCompleteSignature(type: FunctionType, s: TokenStream, at: Token): void {
  if (type.ret.kind !== 'void' && !isComplete(type.ret)) s.fail(`return type '${type.ret.spelling}' is incomplete`, at);
  for (const p of type.params) {
    if (!isComplete(p.type)) s.fail(`parameter '${p.name}' has incomplete type '${p.type.spelling}'`, at);
  }
}

/** `#pragma pack(N)`, `(push[, id][, N])`, `(pop[, id|N])`, `()`; `show` is ignored. */
function applyPack(scope: Scope, token: Token, s: TokenStream): void {
  const args = token.text.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const number = (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 16 || (n & (n - 1)) !== 0) s.fail(`#pragma pack value '${text}' must be 0, 1, 2, 4, 8 or 16`, token);
    return n;
  };
  const set = (value: number) => { scope.pack = value === 0 ? undefined : value; };
  const first = args[0];
  if (first === undefined) scope.pack = undefined;
  else if (first === 'push') {
    scope.packStack.push(scope.pack);
    const last = args[args.length - 1] as string;
    if (args.length > 1 && /^\d/.test(last)) set(number(last));
  } else if (first === 'pop') {
    if (scope.packStack.length > 0) scope.pack = scope.packStack.pop();
    const last = args[args.length - 1] as string;
    if (args.length > 1 && /^\d/.test(last)) set(number(last));
  } else if (first === 'show') {
    return;
  } else {
    set(number(first));
  }
}
