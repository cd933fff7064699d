// struct/union and enum specifiers: tags, bodies, member checks, and handing the body to
// the record layout of the target.

import type { CType, IntType, RecordType } from '../model';
import { isAttributeStart, mergeAttributes, noAttributes, readAttributes, requestedAlignment, type Attributes } from './attributes';
import { constantExpression } from './constexpr';
import { holesOf, layoutRecord, type MemberInput } from './layout';
import type { Token } from './lexer';
import type { Parser } from './parser';
import { describe, type TokenStream } from './stream';
import { isComplete, markAlignAttributed, markComplete, newRecord, setRecordRequiredAlign, type MutableRecord } from './types';

type Tag = 'struct' | 'union';

export function recordSpecifier(p: Parser, keyword: Token): { type: RecordType; anonymousDefinition: boolean } {
  const s: TokenStream = p.stream;
  const tag = keyword.text as Tag;
  const attrs = noAttributes();
  readAttributes(p, attrs);
  const name = s.peek().kind === 'ident' && !isAttributeStart(s) ? s.next() : null;
  readAttributes(p, attrs);
  if (!s.is('{')) {
    if (!name) s.fail(`expected a tag name or '{' after '${tag}', found ${describe(s.peek())}`);
    return { type: declaredRecord(p, tag, name, false), anonymousDefinition: false };
  }
  const record = name ? declaredRecord(p, tag, name, true) : newRecord(tag, null);
  // The packing in effect where the body opens applies to the whole body.
  const pack = p.scope.pack;
  s.next();
  const members = memberList(p, tag);
  s.expect('}', `to close '${record.spelling}'`);
  readAttributes(p, attrs);
  complete(p, record, members, attrs, pack);
  return { type: record, anonymousDefinition: name === null };
}

/** The record a tag names, created on first mention (a forward declaration). */
function declaredRecord(p: Parser, tag: Tag, name: Token, defining: boolean): MutableRecord {
  const existing = p.scope.tags.get(name.text);
  if (existing) {
    if (existing.kind !== 'record' || existing.tag !== tag) p.stream.fail(`'${name.text}' was declared as '${existing.spelling}', not as a ${tag}`, name);
    if (defining && isComplete(existing)) p.stream.fail(`redefinition of '${existing.spelling}'`, name);
    return existing as MutableRecord;
  }
  const record = newRecord(tag, name.text);
  p.scope.tags.set(name.text, record);
  p.scope.records.set(record.spelling, record);
  return record;
}

function memberList(p: Parser, tag: Tag): MemberInput[] {
  const s: TokenStream = p.stream;
  const members: MemberInput[] = [];
  const names = new Map<string, Token>();
  const flexible: Token[] = [];
  while (!s.is('}')) {
    if (s.atEnd()) s.fail(`expected '}' to close the ${tag}`);
    if (p.pragma() || s.accept(';')) continue;
    const at = s.peek();
    const specs = p.specifiers();
    if (!specs) s.fail(`expected a member declaration, found ${describe(at)}`);
    if (specs.typedef) s.fail('a typedef is not allowed inside a struct or union', at);
    if (s.accept(';')) {
      // `struct { … };` is an anonymous member; `struct T { … };` only declares the tag (C11).
      if (specs.anonymousRecord) members.push({ name: null, type: specs.type, ...memberAttributes(specs.attrs) });
      continue;
    }
    for (;;) {
      let name: Token | null = null;
      let type = specs.type;
      let attrs = specs.attrs;
      if (!s.is(':')) {
        const d = p.declarator('named');
        name = d.name;
        type = d.derive(specs.type);
        attrs = mergeAttributes(attrs, d.attrs);
      }
      let bitWidth: number | undefined;
      const colon = s.peek();
      if (s.accept(':')) bitWidth = p.constant();
      const trailing = noAttributes();
      readAttributes(p, trailing);
      attrs = mergeAttributes(attrs, trailing);
      const where = name ?? colon;
      checkMember(p, type, name, bitWidth, where);
      if (name) {
        if (names.has(name.text)) s.fail(`duplicate member '${name.text}'`, name);
        names.set(name.text, name);
      }
      if (type.kind === 'array' && type.flexible) flexible.push(where);
      members.push({ name: name ? name.text : null, type, ...(bitWidth !== undefined ? { bitWidth } : {}), ...memberAttributes(attrs) });
      if (s.accept(',')) continue;
      s.expect(';', 'after the member declaration');
      break;
    }
  }
  checkFlexibleArrays(p, tag, members, flexible);
  return members;
}

function memberAttributes(attrs: Attributes): { packed: boolean; aligned?: number } {
  const aligned = requestedAlignment(attrs);
  return aligned === undefined ? { packed: attrs.packed } : { packed: attrs.packed, aligned };
}

function checkMember(p: Parser, type: CType, name: Token | null, bitWidth: number | undefined, at: Token): void {
  const s: TokenStream = p.stream;
  const label = name ? `member '${name.text}'` : 'bit-field';
  if (type.kind === 'function') s.fail(`${label} has function type; use a function pointer`, at);
  if (bitWidth !== undefined) {
    if (type.kind !== 'int') s.fail(`bit-field ${name ? `'${name.text}' ` : ''}has non-integer type '${type.spelling}'`, at);
    const bits = type.isBool ? 1 : type.size * 8;
    if (bitWidth < 0) s.fail(`bit-field ${name ? `'${name.text}' ` : ''}has negative width ${bitWidth}`, at);
    if (bitWidth > bits) s.fail(`width ${bitWidth} of bit-field ${name ? `'${name.text}' ` : ''}exceeds its type '${type.spelling}' (${bits} bits)`, at);
    if (bitWidth === 0 && name) s.fail(`zero-width bit-field '${name.text}' must be unnamed`, at);
    return;
  }
  if (type.kind === 'array' && type.flexible) return;
  if (!isComplete(type)) s.fail(`${label} has incomplete type '${type.spelling}'`, at);
}

function checkFlexibleArrays(p: Parser, tag: Tag, members: readonly MemberInput[], flexible: readonly Token[]): void {
  if (flexible.length === 0) return;
  const last = members[members.length - 1];
  const at = flexible[0] as Token;
  if (tag === 'union') p.stream.fail('a flexible array member is not allowed in a union', at);
  if (flexible.length > 1 || !(last?.type.kind === 'array' && last.type.flexible)) {
    p.stream.fail('a flexible array member must be the last member', at);
  }
  if (members.length === 1) p.stream.fail('a flexible array member needs at least one other member', at);
}

function complete(p: Parser, record: MutableRecord, members: MemberInput[], attrs: Attributes, pack: number | undefined): void {
  const layout = layoutRecord(
    { tag: record.tag, members, packed: attrs.packed, ...(attrs.aligned ? { aligned: attrs.aligned } : {}), ...(pack ? { pack } : {}) },
    p.model,
  );
  record.size = layout.size;
  record.align = layout.align;
  record.fields = layout.fields;
  record.holes = holesOf(layout.fields, layout.size);
  if (attrs.packed || pack !== undefined) record.packed = true;
  const last = members[members.length - 1];
  if (last && last.type.kind === 'array' && last.type.flexible) record.hasFlexibleArray = true;
  if (layout.requiredAlign !== undefined) setRecordRequiredAlign(record, layout.requiredAlign);
  if (attrs.aligned !== undefined) markAlignAttributed(record);
  markComplete(record);
}

// ---- enums ------------------------------------------------------------------------------

export function enumSpecifier(p: Parser, keyword: Token): IntType {
  const s: TokenStream = p.stream;
  const attrs = noAttributes();
  readAttributes(p, attrs);
  const name = s.peek().kind === 'ident' && !isAttributeStart(s) ? s.next() : null;
  readAttributes(p, attrs);
  // C23 `enum E : type`; a `:` followed by a width is an (unnamed) bit-field instead.
  const after = s.peek(1);
  const fixedType = s.is(':') && after.kind === 'ident' && !p.scope.enumerators.has(after.text);
  const fixed = fixedType && s.accept(':') ? p.typeName() : null;
  if (fixed && fixed.kind !== 'int') s.fail(`the underlying type of an enum must be an integer type, not '${fixed.spelling}'`, keyword);
  if (!s.is('{')) {
    if (!name) s.fail(`expected a tag name or '{' after 'enum', found ${describe(s.peek())}`);
    const existing = p.scope.tags.get(name.text);
    if (existing && (existing.kind !== 'int' || existing.enumTag === undefined)) s.fail(`'${name.text}' was declared as '${existing.spelling}', not as an enum`, name);
    if (existing) return existing as IntType;
    // A forward-declared enum (GNU): int-sized until defined, as GCC and Clang assume.
    return enumType(name.text, [0n], false, fixed as IntType | null, p);
  }
  s.next();
  const values: bigint[] = [];
  let next = 0n;
  while (!s.is('}')) {
    const id = s.ident('an enumerator name');
    readAttributes(p, noAttributes());
    const value = s.accept('=') ? constantExpression(p) : next;
    p.scope.enumerators.set(id.text, value);
    values.push(value);
    next = value + 1n;
    if (!s.accept(',')) break;
  }
  s.expect('}', 'to close the enum');
  readAttributes(p, attrs);
  const type = enumType(name ? name.text : null, values, attrs.packed, fixed as IntType | null, p);
  if (name) p.scope.tags.set(name.text, type);
  return type;
}

/**
 * GCC and Clang give an enum `unsigned int` when no value is negative, else `int`, widening
 * to 8 bytes when the values need it; `packed` picks the smallest size. MSVC always uses int.
 */
function enumType(name: string | null, values: bigint[], packed: boolean, fixed: IntType | null, p: Parser): IntType {
  const tag = name ?? '<anonymous>';
  const base = { kind: 'int' as const, spelling: `enum ${tag}`, enumTag: tag };
  if (fixed) return { ...base, size: fixed.size, align: fixed.align, signed: fixed.signed };
  const msvc = p.model.recordLayout === 'ms' && p.model.compiler === 'clang';
  if (msvc) return { ...base, size: 4, align: 4, signed: true };
  const min = values.reduce((a, b) => (b < a ? b : a), 0n);
  const max = values.reduce((a, b) => (b > a ? b : a), 0n);
  const signed = min < 0n;
  for (const size of packed ? [1, 2, 4, 8] : [4, 8]) {
    const bits = BigInt(size * 8);
    const fits = signed ? min >= -(1n << (bits - 1n)) && max < 1n << (bits - 1n) : max < 1n << bits;
    if (fits) return { ...base, size, align: size, signed };
  }
  return p.stream.fail(`enum ${tag} has values that do not fit in 64 bits`);
}
