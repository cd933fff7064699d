// A cursor over tokens with the small vocabulary recursive descent needs, and errors that
// point at line:col of the offending token.

import { AbiInputError } from '../model';
import { positionText, type Token } from './lexer';

export class TokenStream {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    const index = Math.min(this.pos + ahead, this.tokens.length - 1);
    return this.tokens[index] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  /** True when the next token is the punctuator or identifier `text`. */
  is(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.text === text && (token.kind === 'punct' || token.kind === 'ident');
  }

  accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }

  expect(text: string, context?: string): Token {
    if (!this.is(text)) this.fail(`expected '${text}'${context ? ` ${context}` : ''}, found ${describe(this.peek())}`);
    return this.next();
  }

  ident(context: string): Token {
    const token = this.peek();
    if (token.kind !== 'ident') this.fail(`expected ${context}, found ${describe(token)}`);
    return this.next();
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  fail(message: string, at: Token = this.peek()): never {
    throw new AbiInputError(`${positionText(at)}: ${message}`);
  }

  /** Skips a balanced `( … )`, `[ … ]` or `{ … }` group starting at the current token. */
  skipGroup(): void {
    const open = this.next();
    const close = open.text === '(' ? ')' : open.text === '[' ? ']' : '}';
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token.kind === 'eof') this.fail(`unbalanced '${open.text}'`, open);
      if (token.kind !== 'punct') continue;
      if (token.text === open.text) depth++;
      else if (token.text === close) depth--;
    }
  }
}

export function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of input' : `'${token.text}'`;
}
