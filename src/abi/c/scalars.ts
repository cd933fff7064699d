// Builtin arithmetic types of one target: the keyword combinations of C (`long unsigned int`,
// `_Complex double`…) and the <stdint.h>/<stddef.h> names FFI users write without including
// anything.

import { AbiInputError, type ComplexType, type CType, type FloatType, type IntType, type VoidType } from '../model';
import type { DataModel } from '../targets';

/** Keywords that combine into one arithmetic type specifier. */
export const SPECIFIER_KEYWORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '__signed', '__signed__',
  '_Bool', 'bool', '_Complex', '__complex__', '__int128', '__float128', '_Float16', '__fp16', '_Float32', '_Float64', '_Float128',
]);

export type SpecifierCounts = Map<string, number>;

function int(spelling: string, size: number, signed: boolean, align = size): IntType {
  return { kind: 'int', spelling, size, align, signed };
}

function float(spelling: string, size: number, format: FloatType['format'], align = size): FloatType {
  return { kind: 'float', spelling, size, align, format };
}

/** Canonical name of a keyword combination, independent of order and of the word `int`. */
function canonical(counts: SpecifierCounts): string {
  const n = (k: string) => counts.get(k) ?? 0;
  const signs: string[] = [];
  if (n('signed') + n('__signed') + n('__signed__')) signs.push('signed');
  if (n('unsigned')) signs.push('unsigned');
  const words: string[] = [];
  for (const k of ['char', 'short', 'long', '__int128', 'float', 'double', 'void', '_Bool', '__float128', '_Float16', '_Float32', '_Float64', '_Float128', '__fp16']) {
    for (let i = 0; i < n(k); i++) words.push(k);
  }
  for (let i = 0; i < n('bool'); i++) words.push('_Bool');
  const ints = n('int');
  // `int` may only accompany short/long and the sign words, and only once.
  if (ints > 1 || (ints === 1 && words.some((w) => w !== 'short' && w !== 'long'))) return 'invalid';
  if (words.length === 0) words.push('int');
  const complex = n('_Complex') + n('__complex__');
  if (complex > 1) return 'invalid';
  return [...(complex ? ['_Complex'] : []), ...signs, ...words].join(' ');
}

/**
 * The type named by a bag of specifier keywords, or an error naming the bad combination.
 * `spelling` is how the user wrote it; the canonical form only picks the shape.
 */
export function arithmeticType(counts: SpecifierCounts, spelling: string, model: DataModel): CType {
  const name = canonical(counts);
  const complex = name.startsWith('_Complex');
  const real = complex ? name.slice('_Complex '.length) : name;
  const base = realType(real, spelling, model);
  if (!base) throw new AbiInputError(`'${spelling}' is not a valid type`);
  if (!complex) return base;
  if (base.kind !== 'float' && base.kind !== 'int') throw new AbiInputError(`'${spelling}' is not a valid complex type`);
  const complexType: ComplexType = { kind: 'complex', spelling, size: base.size * 2, align: base.align, elem: base };
  return complexType;
}

function realType(name: string, spelling: string, model: DataModel): IntType | FloatType | VoidType | null {
  const charSign = model.charSigned;
  const long = model.long;
  switch (name) {
    case 'void': return { kind: 'void', spelling, size: 0, align: 1 };
    case '_Bool': return { ...int(spelling, 1, false), isBool: true };
    case 'char': return int(spelling, 1, charSign);
    case 'signed char': return int(spelling, 1, true);
    case 'unsigned char': return int(spelling, 1, false);
    case 'short': case 'signed short': return int(spelling, 2, true);
    case 'unsigned short': return int(spelling, 2, false);
    case 'int': case 'signed int': case 'signed': return int(spelling, 4, true);
    case 'unsigned int': case 'unsigned': return int(spelling, 4, false);
    case 'long': case 'signed long': return int(spelling, long.size, true, long.align);
    case 'unsigned long': return int(spelling, long.size, false, long.align);
    case 'long long': case 'signed long long': return int(spelling, 8, true);
    case 'unsigned long long': return int(spelling, 8, false);
    case '__int128': case 'signed __int128': return int(spelling, model.int128.size, true, model.int128.align);
    case 'unsigned __int128': return int(spelling, model.int128.size, false, model.int128.align);
    case 'float': case '_Float32': return float(spelling, 4, 'f32');
    case 'double': case '_Float64': return float(spelling, 8, 'f64');
    case 'long double':
      return float(spelling, model.longDouble.size, model.longDouble.format, model.longDouble.align);
    case '__float128': case '_Float128':
      if (name === '_Float128' && model.longDouble.format === 'f128') return float(spelling, 16, 'f128');
      if (!model.float128) throw new AbiInputError(`'${spelling}' is not supported on ${model.target} with ${model.compiler}`);
      return float(spelling, model.float128.size, 'f128', model.float128.align);
    case '_Float16': case '__fp16':
      return float(spelling, 2, 'f16');
    default:
      return null;
  }
}

/**
 * Typedef names that C headers would provide. They keep their own spelling (`size_t`) and
 * the shape of the type they stand for on the target.
 */
export function builtinTypedef(name: string, model: DataModel): IntType | null {
  const ptr = model.pointer.size;
  const llp64 = model.long.size === 4;
  const fixed = /^(u?)int(8|16|32|64)_t$/.exec(name);
  if (fixed) return int(name, Number(fixed[2]) / 8, fixed[1] !== 'u');
  switch (name) {
    case 'intptr_t': case 'ssize_t': case 'ptrdiff_t': case 'intmax_t': case 'off_t':
      return int(name, llp64 ? 8 : ptr, true);
    case 'uintptr_t': case 'size_t': case 'uintmax_t':
      return int(name, llp64 ? 8 : ptr, false);
    case 'wchar_t':
      return int(name, model.wchar.size, model.wchar.signed, model.wchar.align);
    case 'char16_t': return int(name, 2, false);
    case 'char32_t': return int(name, 4, false);
    case '__int128_t': return int(name, model.int128.size, true, model.int128.align);
    case '__uint128_t': return int(name, model.int128.size, false, model.int128.align);
    default:
      return null;
  }
}
