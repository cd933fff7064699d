// One entry point over the four calling conventions we model.

import type { CompilerId, TargetId } from '../model';
import { placeAapcs64, placeAppleArm64 } from './aapcs64';
import type { CallSite } from './common';
import type { CallPlacement } from './placement';
import { placeSysV } from './sysv';
import { placeWin64 } from './win64';

export type { CallSite } from './common';

const CONVENTIONS: Readonly<Record<TargetId, (call: CallSite, compiler: CompilerId) => CallPlacement>> = {
  'x86_64-sysv': placeSysV,
  'x86_64-win64': placeWin64,
  'aarch64-aapcs64': placeAapcs64,
  'arm64-apple': placeAppleArm64,
};

/** Where every argument and the return value of `call` are at the moment the callee starts. */
export function placeCall(target: TargetId, compiler: CompilerId, call: CallSite): CallPlacement {
  return CONVENTIONS[target](call, compiler);
}
