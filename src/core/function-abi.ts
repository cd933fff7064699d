// Where the ABI puts the arguments of a C function, from its definition in the user's source:
// the C parser gives the prototype and the declarations it needs, the ABI engine the placement
// on the host's target. A function we cannot place gives null.

import { placeRequest } from '../abi/contract';
import { hostTarget } from '../abi/host';
import type { TargetId } from '../abi/model';
import type { CallPlacement } from '../abi/place/placement';
import type { FfiFunction } from '../language/ffi/model';
import { parsedSource } from './parsed-sources';

export interface PlacedFunction {
  fn: FfiFunction;
  placement: CallPlacement;
}

/** The target this process runs on; null on hosts the ABI engine does not model. */
export const HOST_TARGET: TargetId | null = hostTarget(process.platform, process.arch);

export class FunctionPlacements {
  async place(name: string, path: string | undefined, target: TargetId | null = HOST_TARGET): Promise<PlacedFunction | null> {
    if (!path || !target) return null;
    const fn = (await this.functionsIn(path)).find((f) => f.source === 'c' && f.name === name && f.prototype);
    if (!fn?.prototype) return null;
    try {
      return { fn, placement: placeRequest({ target, decls: fn.decls, proto: fn.prototype }).placement };
    } catch {
      return null; // a prototype the ABI engine refuses: no placement rather than a failed stop
    }
  }

  /** The C function defined around a 1-based line: the last definition that starts at or before it. */
  async functionAtLine(path: string, line: number): Promise<string | undefined> {
    const defined = (await this.functionsIn(path)).filter((f) => f.source === 'c' && f.range.start.line <= line - 1);
    return defined.sort((a, b) => a.range.start.line - b.range.start.line).at(-1)?.name;
  }

  private async functionsIn(path: string): Promise<readonly FfiFunction[]> {
    return (await parsedSource(path))?.functions ?? [];
  }
}
