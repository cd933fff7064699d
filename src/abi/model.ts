// The C type model the ABI engine works on. Types are resolved for one target and one
// compiler: sizes, alignments and field offsets are already known, so placement code never
// has to ask "how big is a long here?".

export type TargetId = 'x86_64-sysv' | 'x86_64-win64' | 'aarch64-aapcs64' | 'arm64-apple';

export const TARGET_IDS: readonly TargetId[] = ['x86_64-sysv', 'x86_64-win64', 'aarch64-aapcs64', 'arm64-apple'];

/** Compilers whose behaviour we model where they disagree. `msvc` is what clang-cl and MSVC do on Win64. */
export type CompilerId = 'gcc' | 'clang';

export type FloatFormat =
  | 'f16' // _Float16 / __fp16
  | 'f32'
  | 'f64'
  | 'x87' // 80-bit extended, stored in 16 bytes on x86-64 SysV
  | 'f128'; // IEEE binary128 (__float128; long double on AArch64 Linux)

interface TypeBase {
  /** How the type is spelled for people, e.g. `unsigned long`, `struct S0`, `double *`. */
  readonly spelling: string;
  /** sizeof on the target. */
  readonly size: number;
  /** _Alignof on the target (after packed / aligned attributes). */
  readonly align: number;
}

export interface VoidType extends TypeBase {
  readonly kind: 'void';
}

export interface IntType extends TypeBase {
  readonly kind: 'int';
  readonly signed: boolean;
  /** `_Bool`: one byte holding 0 or 1, which the ABIs treat like an unsigned char. */
  readonly isBool?: boolean;
  /** Set for enums, which are integers of an implementation-chosen width. */
  readonly enumTag?: string;
}

export interface FloatType extends TypeBase {
  readonly kind: 'float';
  readonly format: FloatFormat;
}

export interface ComplexType extends TypeBase {
  readonly kind: 'complex';
  /** `_Complex float` → the float type; GNU `_Complex int` → an int type. */
  readonly elem: FloatType | IntType;
}

export interface PointerType extends TypeBase {
  readonly kind: 'pointer';
  /** What it points to, when known; function pointers point to a FunctionType. */
  readonly pointee: CType;
}

export interface ArrayType extends TypeBase {
  readonly kind: 'array';
  readonly elem: CType;
  /** Element count; 0 for a flexible array member `x[]` (and GNU `x[0]`). */
  readonly count: number;
  readonly flexible?: boolean;
}

export interface Field {
  /** null for anonymous members (unnamed bit-fields, anonymous structs/unions). */
  readonly name: string | null;
  readonly type: CType;
  /** Byte offset of the field (of its storage unit's first byte for bit-fields). */
  readonly offset: number;
  /** For bit-fields: width in bits and the bit position counted from `offset * 8`. */
  readonly bitWidth?: number;
  readonly bitOffset?: number;
  /** The member's alignment as laid out: its type's, raised by `aligned`/`_Alignas` on the member, lowered by packing. */
  readonly align?: number;
}

/** A run of bytes inside a record that no member occupies. */
export interface Hole {
  readonly offset: number;
  readonly size: number;
}

export interface RecordType extends TypeBase {
  readonly kind: 'record';
  readonly tag: 'struct' | 'union';
  /** The tag name, or null for an anonymous record. */
  readonly name: string | null;
  readonly fields: readonly Field[];
  /** Padding: bytes not covered by any member (partly used bit-field bytes are not holes). */
  readonly holes: readonly Hole[];
  readonly packed?: boolean;
  /** The record ends in a flexible array member. */
  readonly hasFlexibleArray?: boolean;
}

export interface Param {
  /** The declared name, or `p<i>` when the prototype leaves it out. */
  readonly name: string;
  readonly type: CType;
}

export interface FunctionType extends TypeBase {
  readonly kind: 'function';
  readonly ret: CType;
  readonly params: readonly Param[];
  readonly variadic: boolean;
  /** `(void)` and `()` both give no params; `()` is unprototyped in C17 but we treat it as `(void)`. */
}

export type CType = VoidType | IntType | FloatType | ComplexType | PointerType | ArrayType | RecordType | FunctionType;

/** A named function: the result of parsing one prototype. */
export interface FunctionDecl {
  readonly name: string;
  readonly type: FunctionType;
}

/** An error in the user's input (bad C, unknown type, unsupported construct). */
export class AbiInputError extends Error {
  override readonly name = 'AbiInputError';
}
