// What the FFI parsers (koffi in TS/JS, ctypes in Python, C sources) find in one file, in
// terms the ABI engine understands: C prototype text plus the C declarations it needs.
// Pure data: no vscode, no tree-sitter types, so providers, the CLI and tests share it.

/** Zero-based line and UTF-16 column, as VS Code counts. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type FfiSourceKind = 'koffi' | 'ctypes' | 'c';

/** Calling conventions the FFI libraries let users name. */
export type CallingConvention = 'default' | 'cdecl' | 'stdcall' | 'fastcall' | 'thiscall' | 'win64' | 'sysv';

/** A foreign function as declared in the file (or, for C, a prototype or definition). */
export interface FfiFunction {
  readonly source: FfiSourceKind;
  /** The C symbol. */
  readonly name: string;
  /** The JS/Python variable or attribute it is bound to (`add`, `lib.add`), when there is one. */
  readonly binding: string | null;
  /** A prototype the ABI engine accepts, e.g. `int add(int a, int b)`; null when it could not be built. */
  readonly prototype: string | null;
  /** C declarations the prototype needs (structs, unions, typedefs found in the same file). */
  readonly decls: string;
  readonly convention: CallingConvention;
  /** The whole declaration, and the part a hover on "the function's name" should match. */
  readonly range: Range;
  readonly nameRanges: readonly Range[];
  /**
   * Every statement that declares it (`f.argtypes = [...]` over three lines, `f.restype = …`):
   * a hover anywhere on them shows the function, after names, calls and records had their turn.
   */
  readonly declarationRanges?: readonly Range[];
  /** What could not be understood, in words for the hover ("unknown type 'Foo'"). */
  readonly problems: readonly string[];
}

/** A call of a bound foreign function, for inlay hints before each argument. */
export interface FfiCall {
  /** The binding name as written at the call (`add`, `lib.add`). */
  readonly callee: string;
  /** The `FfiFunction.binding` the call resolves to, when the parser followed an alias (`add = lib.add`). */
  readonly binding?: string;
  readonly range: Range;
  readonly calleeRange: Range;
  /** `argumentRanges[i]` is the argument that becomes C parameter `i` (koffi's variadic type arguments and async callbacks are left out). */
  readonly argumentRanges: readonly Range[];
  /**
   * For calls through `...`: the promoted C type of each variadic argument (`double`, `int`), in
   * order after the fixed ones, as `placeRequest`'s `variadic_args` wants; null where unknown.
   */
  readonly variadicTypes?: readonly (string | null)[];
}

/** A struct or union declared through the FFI (koffi.struct, ctypes.Structure) or in C. */
export interface FfiRecord {
  readonly source: FfiSourceKind;
  readonly name: string;
  /** The record as a C declaration the ABI engine accepts, e.g. `struct Point { int x; int y; };`. */
  readonly decl: string | null;
  readonly range: Range;
  readonly nameRanges: readonly Range[];
  readonly problems: readonly string[];
}

/** A problem that belongs to no single function or record: a missing include, a syntax error. */
export interface FfiFileProblem {
  readonly range: Range;
  readonly message: string;
}

export interface FfiFile {
  readonly functions: readonly FfiFunction[];
  readonly calls: readonly FfiCall[];
  readonly records: readonly FfiRecord[];
  /** File-level problems (so far only the C source parser reports any). */
  readonly problems?: readonly FfiFileProblem[];
}
