// What differs between targets before any calling convention applies: the data model
// (LP64 vs LLP64), char signedness, long double, and the bit-field layout rules.

import type { CompilerId, FloatFormat, TargetId } from './model';

export interface ScalarShape {
  readonly size: number;
  readonly align: number;
}

export interface DataModel {
  readonly target: TargetId;
  readonly compiler: CompilerId;
  /** Plain `char` is signed on x86-64 and Apple arm64, unsigned on AArch64 Linux. */
  readonly charSigned: boolean;
  readonly long: ScalarShape;
  readonly pointer: ScalarShape;
  readonly longDouble: ScalarShape & { readonly format: FloatFormat };
  /** `__int128`; every target we model has it. */
  readonly int128: ScalarShape;
  /** `__float128`, or null where the compiler rejects the keyword. */
  readonly float128: ScalarShape | null;
  /** `wchar_t`: 4-byte int on Unix, 2-byte unsigned on Windows. */
  readonly wchar: ScalarShape & { readonly signed: boolean };
  /** Itanium (GCC/Clang on Unix) or Microsoft bit-field and record layout. */
  readonly recordLayout: 'itanium' | 'ms';
}

export interface TargetInfo {
  readonly id: TargetId;
  /** Shown in tables and hovers. */
  readonly title: string;
  /** The compiler users of this target usually build with; it wins where compilers disagree. */
  readonly defaultCompiler: CompilerId;
  /** Compilers we model (and test against) on this target. */
  readonly compilers: readonly CompilerId[];
}

export const TARGETS: Readonly<Record<TargetId, TargetInfo>> = {
  'x86_64-sysv': { id: 'x86_64-sysv', title: 'x86-64 System V', defaultCompiler: 'gcc', compilers: ['gcc', 'clang'] },
  'x86_64-win64': { id: 'x86_64-win64', title: 'x86-64 Windows (Win64)', defaultCompiler: 'clang', compilers: ['clang', 'gcc'] },
  'aarch64-aapcs64': { id: 'aarch64-aapcs64', title: 'AArch64 (AAPCS64, Linux)', defaultCompiler: 'gcc', compilers: ['gcc', 'clang'] },
  'arm64-apple': { id: 'arm64-apple', title: 'arm64 Apple (Darwin)', defaultCompiler: 'clang', compilers: ['clang'] },
};

export function isTargetId(value: unknown): value is TargetId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TARGETS, value);
}

/**
 * The data model of a target as a given compiler sees it. On Win64 `clang` means the MSVC
 * ABI (clang-cl / `--target=x86_64-pc-windows-msvc`), `gcc` means mingw-w64, whose
 * `long double` is still the x87 type.
 */
export function dataModel(target: TargetId, compiler: CompilerId = TARGETS[target].defaultCompiler): DataModel {
  const eight = { size: 8, align: 8 };
  const sixteen = { size: 16, align: 16 };
  switch (target) {
    case 'x86_64-sysv':
      return {
        target, compiler, charSigned: true, long: eight, pointer: eight,
        longDouble: { ...sixteen, format: 'x87' }, int128: sixteen, float128: sixteen,
        wchar: { size: 4, align: 4, signed: true }, recordLayout: 'itanium',
      };
    case 'x86_64-win64':
      return {
        target, compiler, charSigned: true, long: { size: 4, align: 4 }, pointer: eight,
        longDouble: compiler === 'gcc' ? { ...sixteen, format: 'x87' } : { ...eight, format: 'f64' },
        int128: sixteen, float128: compiler === 'gcc' ? sixteen : null,
        wchar: { size: 2, align: 2, signed: false }, recordLayout: 'ms',
      };
    case 'aarch64-aapcs64':
      return {
        target, compiler, charSigned: false, long: eight, pointer: eight,
        longDouble: { ...sixteen, format: 'f128' }, int128: sixteen, float128: null,
        wchar: { size: 4, align: 4, signed: false }, recordLayout: 'itanium',
      };
    case 'arm64-apple':
      return {
        target, compiler, charSigned: true, long: eight, pointer: eight,
        longDouble: { ...eight, format: 'f64' }, int128: sixteen, float128: null,
        wchar: { size: 4, align: 4, signed: true }, recordLayout: 'itanium',
      };
  }
}
