// Integer constant expressions (array sizes, bit-field widths, enumerator values,
// alignments), evaluated with BigInt so 64-bit unsigned values stay exact.

import type { CType } from '../model';
import type { TokenStream } from './stream';
import type { Token } from './lexer';

export interface ConstantContext {
  readonly stream: TokenStream;
  /** Value of an enumerator, or undefined when the name is not one. */
  enumerator(name: string): bigint | undefined;
  /** True when the next tokens start a type name (for casts, sizeof and _Alignof). */
  startsTypeName(): boolean;
  typeName(): CType;
  charSigned: boolean;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

export function constantExpression(ctx: ConstantContext): bigint {
  return conditional(ctx);
}

function conditional(ctx: ConstantContext): bigint {
  const test = binary(ctx, 1);
  if (!ctx.stream.accept('?')) return test;
  const yes = constantExpression(ctx);
  ctx.stream.expect(':', 'in a conditional expression');
  const no = conditional(ctx);
  return test !== 0n ? yes : no;
}

function binary(ctx: ConstantContext, minPrecedence: number): bigint {
  let left = unary(ctx);
  for (;;) {
    const op = ctx.stream.peek();
    const precedence = op.kind === 'punct' ? BINARY_PRECEDENCE[op.text] : undefined;
    if (precedence === undefined || precedence < minPrecedence) return left;
    ctx.stream.next();
    const right = binary(ctx, precedence + 1);
    left = apply(ctx, op, left, right);
  }
}

function apply(ctx: ConstantContext, op: Token, a: bigint, b: bigint): bigint {
  const bool = (v: boolean) => (v ? 1n : 0n);
  switch (op.text) {
    case '||': return bool(a !== 0n || b !== 0n);
    case '&&': return bool(a !== 0n && b !== 0n);
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '>': return bool(a > b);
    case '<=': return bool(a <= b);
    case '>=': return bool(a >= b);
    case '<<': return a << b;
    case '>>': return a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0n) ctx.stream.fail('division by zero in a constant expression', op);
      return op.text === '/' ? a / b : a % b;
  }
  return ctx.stream.fail(`unsupported operator '${op.text}'`, op);
}

function unary(ctx: ConstantContext): bigint {
  const s: TokenStream = ctx.stream;
  const token = s.peek();
  if (token.kind === 'punct') {
    switch (token.text) {
      case '+': s.next(); return unary(ctx);
      case '-': s.next(); return -unary(ctx);
      case '~': s.next(); return ~unary(ctx);
      case '!': s.next(); return unary(ctx) === 0n ? 1n : 0n;
      case '(': {
        s.next();
        if (ctx.startsTypeName()) {
          const type = ctx.typeName();
          s.expect(')', 'after the type of a cast');
          return convert(unary(ctx), type);
        }
        const value = constantExpression(ctx);
        s.expect(')', 'to close the parenthesis');
        return value;
      }
    }
  }
  if (token.kind === 'ident') {
    if (token.text === 'sizeof' || token.text === '_Alignof' || token.text === 'alignof' || token.text === '__alignof__' || token.text === '__alignof') {
      s.next();
      const open = s.expect('(', `after ${token.text} (only ${token.text}(type) is supported)`);
      if (!ctx.startsTypeName()) s.fail(`${token.text} needs a type name here`, open);
      const type = ctx.typeName();
      s.expect(')', `to close ${token.text}`);
      if (type.kind === 'function' || type.kind === 'void') s.fail(`${token.text} of '${type.spelling}' is not allowed`, token);
      return BigInt(token.text === 'sizeof' ? type.size : type.align);
    }
    s.next();
    const value = ctx.enumerator(token.text);
    if (value === undefined) s.fail(`'${token.text}' is not an integer constant`, token);
    return value;
  }
  if (token.kind === 'number') {
    s.next();
    return integerLiteral(ctx, token);
  }
  if (token.kind === 'char') {
    s.next();
    return charLiteral(ctx, token);
  }
  return s.fail(`expected an integer constant expression, found ${token.kind === 'eof' ? 'end of input' : `'${token.text}'`}`);
}

/** Keeps `value` in the range of the integer type it is cast to. */
function convert(value: bigint, type: CType): bigint {
  if (type.kind === 'pointer') return BigInt.asUintN(type.size * 8, value);
  if (type.kind !== 'int') return value;
  if (type.isBool) return value === 0n ? 0n : 1n;
  const bits = type.size * 8;
  return type.signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

function integerLiteral(ctx: ConstantContext, token: Token): bigint {
  let text = token.text.toLowerCase();
  let end = text.length;
  while (end > 0 && 'ulz'.includes(text[end - 1] as string)) end--;
  text = text.slice(0, end).replace(/'/g, '');
  let digits = text;
  let radix = 10;
  if (text.startsWith('0x')) { radix = 16; digits = text.slice(2); }
  else if (text.startsWith('0b')) { radix = 2; digits = text.slice(2); }
  else if (text.length > 1 && text.startsWith('0')) { radix = 8; digits = text.slice(1); }
  const valid = radix === 16 ? /^[0-9a-f]+$/ : radix === 2 ? /^[01]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) ctx.stream.fail(`'${token.text}' is not an integer constant`, token);
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : radix === 8 ? '0o' : '';
  return BigInt(prefix + digits);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27,
};

function charLiteral(ctx: ConstantContext, token: Token): bigint {
  const body = token.text.slice(1, -1);
  let code: number | undefined;
  if (body.length === 1) code = body.charCodeAt(0);
  else if (body.startsWith('\\x')) code = parseInt(body.slice(2), 16);
  else if (/^\\[0-7]{1,3}$/.test(body)) code = parseInt(body.slice(1), 8);
  else if (body.length === 2 && body[0] === '\\') code = SIMPLE_ESCAPES[body[1] as string];
  if (code === undefined || Number.isNaN(code)) return ctx.stream.fail(`unsupported character constant ${token.text}`, token);
  const value = BigInt(code & 0xff);
  return ctx.charSigned ? BigInt.asIntN(8, value) : value;
}
