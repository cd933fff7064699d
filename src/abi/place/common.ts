// Pieces every calling convention shares: the argument list of a call, and the caller's
// outgoing stack area.

import type { CType, FunctionDecl } from '../model';

/** One call: the prototype, plus the (already promoted) types passed through `...`. */
export interface CallSite {
  readonly decl: FunctionDecl;
  readonly variadicArgs: readonly CType[];
}

export interface CallArgument {
  readonly name: string;
  readonly type: CType;
  readonly variadic: boolean;
}

/** Fixed parameters in order, then the variadic arguments named va0, va1, … */
export function callArguments(call: CallSite): CallArgument[] {
  const fixed = call.decl.type.params.map((p) => ({ name: p.name, type: p.type, variadic: false }));
  const extra = call.variadicArgs.map((type, i) => ({ name: `va${i}`, type, variadic: true }));
  return [...fixed, ...extra];
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

/** The incoming argument area, handed out in increasing offsets (`stack+N`). */
export class StackArea {
  private next: number;

  constructor(start: number) {
    this.next = start;
  }

  /** Bytes used so far, including alignment gaps. */
  get used(): number {
    return this.next;
  }

  /** Reserves `size` bytes at the next multiple of `align`, returning its location. */
  take(size: number, align: number): string {
    const offset = alignUp(this.next, Math.max(1, align));
    this.next = offset + size;
    return `stack+${offset}`;
  }
}

/** `['INTEGER', 'SSE']` → `INTEGER, SSE`; `[]` → `NO_CLASS (empty)`. */
export function describeClasses(classes: readonly string[]): string {
  return classes.length === 0 ? 'NO_CLASS (empty)' : classes.join(', ');
}
