// GNU `__attribute__((…))`, `_Alignas` and `__declspec(align(N))`: only packing and
// alignment change layout; every other attribute is skipped whole.

import type { TokenStream } from './stream';

export interface Attributes {
  packed: boolean;
  /** `aligned(N)` in bytes: on typedefs it may lower alignment, elsewhere it only raises it. */
  aligned?: number;
  /** `_Alignas` in bytes: only ever raises alignment. */
  alignas?: number;
}

export function noAttributes(): Attributes {
  return { packed: false };
}

export function mergeAttributes(...all: Attributes[]): Attributes {
  const out = noAttributes();
  for (const a of all) {
    out.packed ||= a.packed;
    if (a.aligned !== undefined) out.aligned = Math.max(out.aligned ?? 0, a.aligned);
    if (a.alignas !== undefined) out.alignas = Math.max(out.alignas ?? 0, a.alignas);
  }
  return out;
}

/** What a member or variable asks for: the stricter of `aligned` and `_Alignas`. */
export function requestedAlignment(attrs: Attributes): number | undefined {
  const values = [attrs.aligned, attrs.alignas].filter((v): v is number => v !== undefined);
  return values.length ? Math.max(...values) : undefined;
}

/** `aligned` with no argument: the largest alignment any type needs on our targets. */
const DEFAULT_ALIGNED = 16;

export interface AttributeReader {
  readonly stream: TokenStream;
  /** An integer constant expression, as a number. */
  constant(): number;
}

export function isAttributeStart(stream: TokenStream): boolean {
  const t = stream.peek();
  return t.kind === 'ident' && (t.text === '__attribute__' || t.text === '__attribute' || t.text === '__declspec');
}

/** Reads any number of consecutive attribute groups into `into`; returns whether it read one. */
export function readAttributes(reader: AttributeReader, into: Attributes): boolean {
  let any = false;
  while (isAttributeStart(reader.stream)) {
    any = true;
    const keyword = reader.stream.next();
    if (keyword.text === '__declspec') readDeclspec(reader, into);
    else readGnuAttribute(reader, into);
  }
  return any;
}

function readGnuAttribute(reader: AttributeReader, into: Attributes): void {
  const s = reader.stream;
  s.expect('(', 'after __attribute__');
  s.expect('(', 'after __attribute__(');
  while (!s.is(')')) {
    if (s.accept(',')) continue;
    const nameToken = s.ident('an attribute name');
    const name = nameToken.text.replace(/^__(.*)__$/, '$1');
    if (name === 'packed') {
      into.packed = true;
      if (s.is('(')) s.skipGroup();
    } else if (name === 'aligned') {
      const value = s.is('(') ? parenthesizedAlignment(reader) : DEFAULT_ALIGNED;
      into.aligned = Math.max(into.aligned ?? 0, value);
    } else if (s.is('(')) {
      s.skipGroup();
    }
  }
  s.expect(')', 'to close the attribute list');
  s.expect(')', 'to close __attribute__');
}

function readDeclspec(reader: AttributeReader, into: Attributes): void {
  const s = reader.stream;
  s.expect('(', 'after __declspec');
  while (!s.is(')')) {
    const name = s.ident('a __declspec attribute');
    if (name.text === 'align') into.aligned = Math.max(into.aligned ?? 0, parenthesizedAlignment(reader));
    else if (s.is('(')) s.skipGroup();
  }
  s.expect(')', 'to close __declspec');
}

function parenthesizedAlignment(reader: AttributeReader): number {
  const s = reader.stream;
  s.expect('(');
  const at = s.peek();
  const value = reader.constant();
  s.expect(')', 'after the alignment');
  checkAlignment(reader, value, at);
  return value;
}

export function checkAlignment(reader: AttributeReader, value: number, at = reader.stream.peek()): void {
  if (value <= 0 || (value & (value - 1)) !== 0) reader.stream.fail(`requested alignment ${value} is not a positive power of 2`, at);
}
