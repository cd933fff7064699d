// The JSON contract of `polyglot-abi place` (one request object in, one answer object out).
// Everything that scripts or grades the engine goes through here, so the output shape is
// exactly the documented one: no extra keys unless the request asks for them.

import { parseC } from './c';
import { AbiInputError, type CType, type CompilerId, type TargetId } from './model';
import { placeCall } from './place';
import { compilerDisagreements } from './place/compare';
import type { CallPlacement, CompilerDisagreement, Piece, ValuePlacement } from './place/placement';
import { TARGETS, dataModel, isTargetId } from './targets';

export interface PieceJson {
  offset: number;
  size: number;
  loc: string;
  indirect?: true;
  also?: string[];
}

export interface ValueJson {
  type: string;
  size: number;
  pieces: PieceJson[];
}

export interface ParamJson extends ValueJson {
  name: string;
  variadic?: true;
}

export interface PlaceAnswer {
  id: unknown;
  params: ParamJson[];
  ret: ValueJson;
  sret: { loc: string; returned_in: string | null } | null;
  al?: number;
  /** Only when the request says `"explain": true`: where gcc and clang differ, in words. */
  disagreements?: string[];
}

export interface PlaceFailure {
  id: unknown;
  error: string;
}

export type PlaceResponse = PlaceAnswer | PlaceFailure;

interface PlaceRequest {
  readonly id: unknown;
  readonly target: string;
  readonly decls: string;
  readonly proto: string;
  readonly variadicArgs: readonly string[];
  readonly compiler: string | undefined;
  readonly explain: boolean;
}

function readRequest(raw: unknown): PlaceRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AbiInputError('a request must be a JSON object');
  const r = raw as Record<string, unknown>;
  const text = (key: string, fallback?: string): string => {
    const value = r[key] ?? fallback;
    if (typeof value !== 'string') throw new AbiInputError(`"${key}" must be a string`);
    return value;
  };
  const variadic = r['variadic_args'] ?? [];
  if (!Array.isArray(variadic) || !variadic.every((v): v is string => typeof v === 'string')) {
    throw new AbiInputError('"variadic_args" must be an array of C type names');
  }
  const compiler = r['compiler'];
  if (compiler !== undefined && typeof compiler !== 'string') throw new AbiInputError('"compiler" must be a string');
  return {
    id: r['id'] ?? null,
    target: text('target'),
    decls: text('decls', ''),
    proto: text('proto'),
    variadicArgs: variadic,
    compiler,
    explain: r['explain'] === true,
  };
}

function chooseCompiler(target: keyof typeof TARGETS, requested: string | undefined): CompilerId {
  const info = TARGETS[target];
  if (requested === undefined) return info.defaultCompiler;
  const known = info.compilers.find((c) => c === requested);
  if (!known) throw new AbiInputError(`compiler "${requested}" is not modelled for ${target}; use one of: ${info.compilers.join(', ')}`);
  return known;
}

/** Default argument promotions have already happened for anything passed through `...`. */
function checkPromoted(type: CType, spelling: string): void {
  const unpromoted =
    (type.kind === 'float' && type.format === 'f32') || (type.kind === 'int' && type.size < 4 && type.enumTag === undefined);
  if (unpromoted) throw new AbiInputError(`variadic argument "${spelling}" is not a promoted type (float becomes double, small integers become int)`);
}

function placeWith(request: PlaceRequest, target: TargetId, compiler: CompilerId): CallPlacement {
  const program = parseC(request.decls, dataModel(target, compiler));
  const decl = program.prototype(request.proto);
  if (request.variadicArgs.length > 0 && !decl.type.variadic) {
    throw new AbiInputError(`"variadic_args" given, but ${decl.name} is not variadic (its prototype has no "...")`);
  }
  const variadicArgs = request.variadicArgs.map((spelling) => {
    const type = program.typeName(spelling);
    checkPromoted(type, spelling);
    return type;
  });
  return placeCall(target, compiler, { decl, variadicArgs });
}

/** The other compilers' answers, compared with the chosen one; a compiler that rejects the input says nothing. */
function disagreementsWith(request: PlaceRequest, placement: CallPlacement): CompilerDisagreement[] {
  return TARGETS[placement.target].compilers
    .filter((c) => c !== placement.compiler)
    .flatMap((other) => {
      try {
        return compilerDisagreements(placement, placeWith(request, placement.target, other));
      } catch (err) {
        if (err instanceof AbiInputError) return [];
        throw err;
      }
    });
}

/**
 * Places one call described by a request object. With `compare`, also places it as the target's
 * other compilers would and fills `disagreements` (for tables, hovers and `"explain": true`).
 */
export function placeRequest(raw: unknown, options: { compare?: boolean } = {}): { placement: CallPlacement; request: PlaceRequest } {
  const request = readRequest(raw);
  if (!isTargetId(request.target)) {
    throw new AbiInputError(`unknown target "${request.target}"; use one of: ${Object.keys(TARGETS).join(', ')}`);
  }
  const placement = placeWith(request, request.target, chooseCompiler(request.target, request.compiler));
  if (!(options.compare ?? request.explain)) return { placement, request };
  return { placement: { ...placement, disagreements: disagreementsWith(request, placement) }, request };
}

function pieceJson(piece: Piece): PieceJson {
  const out: PieceJson = { offset: piece.offset, size: piece.size, loc: piece.loc };
  if (piece.indirect) out.indirect = true;
  if (piece.also) out.also = [...piece.also];
  return out;
}

function valueJson(value: ValuePlacement): ValueJson {
  return { type: value.type.spelling, size: value.type.size, pieces: value.pieces.map(pieceJson) };
}

export function placementJson(id: unknown, placement: CallPlacement, explain = false): PlaceAnswer {
  const answer: PlaceAnswer = {
    id,
    params: placement.params.map((p) => {
      const param: ParamJson = { name: p.name, ...valueJson(p) };
      if (p.variadic) param.variadic = true;
      return param;
    }),
    ret: valueJson(placement.ret),
    sret: placement.sret ? { loc: placement.sret.loc, returned_in: placement.sret.returnedIn } : null,
  };
  if (placement.al !== null) answer.al = placement.al;
  if (explain) answer.disagreements = placement.disagreements.map((d) => d.description);
  return answer;
}

/**
 * Answers one request object. Errors become `{id, error}`, never exceptions, so one bad line
 * cannot stop a batch; a bug of ours says so, for the user to report.
 */
export function answerPlaceRequest(raw: unknown): PlaceResponse {
  const id = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? ((raw as Record<string, unknown>)['id'] ?? null) : null;
  try {
    const { placement, request } = placeRequest(raw);
    return placementJson(id, placement, request.explain);
  } catch (err) {
    if (err instanceof AbiInputError) return { id, error: err.message };
    return { id, error: `internal error of the ABI engine (please report): ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Answers one JSON line; a line that is not JSON gets `{"id":null,"error":…}`. */
export function answerPlaceLine(line: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return JSON.stringify({ id: null, error: `not a JSON object: ${(err as Error).message}` });
  }
  return JSON.stringify(answerPlaceRequest(raw));
}
