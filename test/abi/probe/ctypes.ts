// The probe's own model of the C types it generates: enough to spell declarations and to
// write valid values into every scalar leaf. Layout is never computed here — the compiler
// measures it (sizeof/offsetof and the 0x00/0xff padding mask in C).

import type { Rng } from './rng';

export type FloatKind = 'float' | 'double' | 'long double' | '__float128';

export type CType =
  | { kind: 'int'; c: string; bits: number; signed: boolean }
  | { kind: 'bool'; c: '_Bool' }
  | { kind: 'enum'; c: string; names: string[] }
  | { kind: 'ptr'; c: string }
  | { kind: 'float'; c: FloatKind }
  | { kind: 'complex'; c: string; base: Exclude<FloatKind, '__float128'> }
  | Aggregate;

export interface Aggregate {
  kind: 'struct' | 'union';
  c: string; // "struct c3_s0"
  fields: Field[];
  /** Text after the closing brace, e.g. ` __attribute__((packed))`. */
  attrs: string;
}

export interface Field {
  name: string | null; // null: unnamed bit-field
  type: CType;
  dims: number[]; // array dimensions, [] for none
  bits?: number; // bit-field width (0: zero-width)
  /** Text before the type, e.g. `_Alignas(16) `, or after the declarator (`__attribute__((aligned(8)))`). */
  pre?: string;
  post?: string;
}

export function fieldDecl(f: Field): string {
  const dims = f.dims.map((d) => `[${d}]`).join('');
  const bits = f.bits !== undefined ? ` : ${f.bits}` : '';
  return `${f.pre ?? ''}${f.type.c}${f.name ? ` ${f.name}` : ''}${dims}${bits}${f.post ?? ''};`;
}

export function aggregateDecl(a: Aggregate): string {
  return `${a.c} { ${a.fields.map(fieldDecl).join(' ')} }${a.attrs};`;
}

/** Mantissa of `bits` random bits as hex digits (a multiple of 4 bits, rounded up). */
function mantissa(rng: Rng, bits: number): string {
  let s = '';
  for (let i = 0; i < Math.ceil(bits / 4); i++) s += rng.int(0, 15).toString(16);
  return s;
}

/** A finite, normal hex-float literal, exact in the type (52 mantissa bits fit every long double). */
export function floatLiteral(rng: Rng, c: FloatKind): string {
  const bits = c === 'float' ? 23 : 52;
  const m = mantissa(rng, bits);
  const digits = c === 'float' ? `${m.slice(0, 5)}${(parseInt(m[5] ?? '0', 16) & 0xe).toString(16)}` : m.slice(0, 13);
  const lit = `${rng.bool() ? '-' : ''}0x1.${digits}p${rng.int(-30, 30)}`;
  if (c === 'float') return `${lit}f`;
  if (c === 'long double') return `${lit}L`;
  if (c === '__float128') return `(__float128)${lit}`;
  return lit;
}

function intLiteral(rng: Rng, bits: number, signed: boolean): string {
  // Values use all of the type's bytes where possible; random 32-bit chunks keep it simple.
  const width = Math.min(bits, 64);
  let v = 0n;
  for (let i = 0; i < width; i += 32) v = (v << 32n) | BigInt(rng.u32());
  v &= (1n << BigInt(width)) - 1n;
  if (signed && v >= 1n << BigInt(width - 1)) v -= 1n << BigInt(width);
  if (v === 0n) v = 1n;
  if (!signed) return `${v}ull`;
  // The most negative value cannot be written as a literal.
  return v < 0n ? `(-${-v - 1n}ll - 1)` : `${v}ll`;
}

/**
 * C statements assigning a random valid value to every named scalar leaf of `lhs`.
 * Field-by-field assignment leaves padding bytes untouched, which the mask relies on.
 */
export function assignValue(rng: Rng, lhs: string, t: CType, bits?: number): string[] {
  switch (t.kind) {
    case 'bool':
      return [`${lhs} = ${bits === undefined ? 1 : rng.int(0, 1)};`];
    case 'int': {
      const w = bits ?? t.bits;
      if (t.bits === 128) {
        const hi = intLiteral(rng, 64, false), lo = intLiteral(rng, 64, false);
        return [`${lhs} = ((${t.c})${hi} << 64) | ${lo};`];
      }
      // plain char is unsigned on AArch64 Linux: stay within 0..127 for it.
      if (t.c === 'char') return [`${lhs} = ${rng.int(1, bits ? Math.min(127, 2 ** (w - 1) - 1) || 1 : 127)};`];
      if (t.c === 'long' || t.c === 'unsigned long') return [`${lhs} = ${intLiteral(rng, Math.min(w, 32), t.signed)};`]; // fits LLP64 too
      return [`${lhs} = ${intLiteral(rng, w, t.signed)};`];
    }
    case 'enum':
      return [`${lhs} = ${rng.pick(t.names)};`];
    case 'ptr':
      return [`${lhs} = (${t.c})0x${(0x10000 + rng.int(0, 0xffff)).toString(16)}${mantissa(rng, 32)}ull;`];
    case 'float':
      return [`${lhs} = ${floatLiteral(rng, t.c)};`];
    case 'complex':
      return [`__real__ ${lhs} = ${floatLiteral(rng, t.base)};`, `__imag__ ${lhs} = ${floatLiteral(rng, t.base)};`];
    case 'struct':
    case 'union': {
      const named = t.fields.filter((f) => f.name !== null && f.bits !== 0);
      const chosen = t.kind === 'union' ? (named.length ? [rng.pick(named)] : []) : named;
      const out: string[] = [];
      for (const f of chosen) {
        for (const index of indices(f.dims)) out.push(...assignValue(rng, `${lhs}.${f.name}${index}`, f.type, f.bits));
      }
      return out;
    }
  }
}

function indices(dims: number[]): string[] {
  let out = [''];
  for (const d of dims) out = out.flatMap((prefix) => Array.from({ length: d }, (_, i) => `${prefix}[${i}]`));
  return out;
}
