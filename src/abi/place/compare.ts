// Where two compilers place the same call differently: the chosen compiler's answer stands,
// the other's is reported in words, so a hover never hides a real gcc/clang disagreement.

import { longLocation } from '../format';
import type { CallPlacement, CompilerDisagreement } from './placement';

export function compilerDisagreements(chosen: CallPlacement, other: CallPlacement): CompilerDisagreement[] {
  const differences: string[] = [];
  chosen.params.forEach((param, i) => {
    const theirs = other.params[i];
    if (!theirs) return;
    const mine = longLocation(param);
    const elsewhere = longLocation(theirs);
    if (mine !== elsewhere || param.type.size !== theirs.type.size) {
      differences.push(`passes \`${param.name}\` (${theirs.type.size} bytes) in ${elsewhere}, where ${chosen.compiler} uses ${mine}`);
    }
  });
  const myReturn = longLocation(chosen.ret);
  const theirReturn = longLocation(other.ret);
  if (myReturn !== theirReturn) differences.push(`returns the value in ${theirReturn}, where ${chosen.compiler} uses ${myReturn}`);
  if (chosen.al !== other.al && other.al !== null) differences.push(`sets al = ${other.al}, where ${chosen.compiler} sets ${chosen.al}`);
  return differences.map((text) => ({ chosen: chosen.compiler, other: other.compiler, description: `${other.compiler} ${text}` }));
}
