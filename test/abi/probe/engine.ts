// The engine as the probe sees it: the contract's JSON shapes and answerPlaceRequest, behind a
// function type so the harness can also be exercised with hand-written answers.

import { answerPlaceRequest, type PlaceAnswer, type PlaceResponse } from '../../../src/abi/contract';

export type { PieceJson, PlaceAnswer, PlaceResponse, ValueJson } from '../../../src/abi/contract';

export type Answerer = (request: unknown) => PlaceResponse;

export async function loadEngine(): Promise<Answerer> {
  return answerPlaceRequest;
}

export function isAnswer(r: PlaceResponse): r is PlaceAnswer {
  return !('error' in r);
}
