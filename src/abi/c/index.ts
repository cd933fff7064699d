// The C front end of the ABI engine: declarations in, resolved types out (sizes, alignments,
// offsets, bit positions) for one target and compiler.

import type { CType, FunctionDecl, RecordType } from '../model';
import type { DataModel } from '../targets';
import { tokenize } from './lexer';
import { Parser, Scope } from './parser';
import { TokenStream } from './stream';

export interface CProgram {
  /** Resolve a type name: `double`, `struct S0`, `const char *`, `Point` (typedef), `int (*)(int)`, `unsigned __int128`. */
  typeName(text: string): CType;
  /** Parse one prototype such as `unsigned long f(struct S0 p0, double, ...)`. Unnamed params get name `p<index>`. */
  prototype(text: string): FunctionDecl;
  /** Every struct/union tag declared ('struct S0', 'union U1'), for hovers. */
  readonly records: ReadonlyMap<string, RecordType>;
  readonly typedefs: ReadonlyMap<string, CType>;
}

/** Parses `decls`; throws AbiInputError with `line:col` for input it cannot accept. */
export function parseC(decls: string, model: DataModel): CProgram {
  const scope = new Scope();
  parserFor(decls, scope, model).translationUnit();
  return {
    typeName: (text) => parserFor(text, scope, model).wholeTypeName(),
    prototype: (text) => parserFor(text, scope, model).prototype(),
    records: scope.records,
    typedefs: scope.typedefs,
  };
}

function parserFor(text: string, scope: Scope, model: DataModel): Parser {
  return new Parser(new TokenStream(tokenize(text)), scope, model);
}
