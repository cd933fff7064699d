// The engine as the probe sees it: the contract's JSON shapes, and answerPlaceRequest loaded
// lazily so the harness itself can be exercised (with hand-written answers) while the engine
// is still being written.

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
export interface PlaceAnswer {
  id: unknown;
  params: (ValueJson & { name: string; variadic?: true })[];
  ret: ValueJson;
  sret: { loc: string; returned_in: string | null } | null;
  al?: number;
}
export type PlaceResponse = PlaceAnswer | { id: unknown; error: string };

export type Answerer = (request: unknown) => PlaceResponse;

let cached: Answerer | undefined;

/** The engine's answerPlaceRequest; throws a clear error when it cannot be loaded. */
export async function loadEngine(): Promise<Answerer> {
  if (cached) return cached;
  try {
    const mod = (await import('../../../src/abi/contract')) as { answerPlaceRequest: Answerer };
    cached = mod.answerPlaceRequest;
    return cached;
  } catch (err) {
    throw new Error(`the ABI engine (src/abi/contract.ts, answerPlaceRequest) cannot be loaded: ${(err as Error).message}`);
  }
}

export function isAnswer(r: PlaceResponse): r is PlaceAnswer {
  return !('error' in r);
}
