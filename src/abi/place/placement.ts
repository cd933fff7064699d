// The answer of the ABI engine for one call: where every byte of every argument and of the
// return value is when control reaches the callee. Mirrors the `polyglot-abi place` JSON
// contract, plus what hovers need (classification words, stack use, compiler notes).

import type { CType, CompilerId, TargetId } from '../model';

/** A register name (`rdi`, `xmm0`, `x3`, `v1`, `st0`) or `stack+N`. */
export type Location = string;

export interface Piece {
  /** Byte range of the value's in-memory representation that this location holds. */
  readonly offset: number;
  readonly size: number;
  readonly loc: Location;
  /** Passed by hidden reference: `loc` holds a pointer to a copy of the whole value. */
  readonly indirect?: true;
  /** Win64 variadic floating-point values also sit in these registers. */
  readonly also?: readonly Location[];
}

export interface ValuePlacement {
  readonly type: CType;
  readonly pieces: readonly Piece[];
  /** How the ABI classified the value, in its own words (`INTEGER`, `SSE`, `MEMORY`, `HFA of 3 float`, …). */
  readonly classification: string;
}

export interface ArgPlacement extends ValuePlacement {
  readonly name: string;
  readonly variadic: boolean;
}

export interface SretPlacement {
  /** Register holding the caller-provided buffer address. */
  readonly loc: Location;
  /** x86-64 callees hand the address back in `rax`; AArch64 does not promise it. */
  readonly returnedIn: Location | null;
}

/** A place where the compilers we model do not agree; the placement follows `chosen`. */
export interface CompilerDisagreement {
  readonly chosen: CompilerId;
  readonly other: CompilerId;
  /** What the other compiler does, for people: "clang passes `p5` in r9 and stack+0". */
  readonly description: string;
}

export interface CallPlacement {
  readonly target: TargetId;
  readonly compiler: CompilerId;
  readonly functionName: string;
  readonly params: readonly ArgPlacement[];
  readonly ret: ValuePlacement;
  readonly sret: SretPlacement | null;
  /** SysV variadic calls: the value the caller puts in `al` (vector registers used). */
  readonly al: number | null;
  /** Bytes of outgoing argument area the caller reserves (Win64 includes the 32-byte shadow space). */
  readonly stackBytes: number;
  readonly disagreements: readonly CompilerDisagreement[];
}
