// Inlay hints at FFI call sites: before each argument, where the ABI puts it — `rdi:`, `xmm0:`,
// `stack+8:`, `&rdx:` for a copy passed by reference, `rdi+rsi:` for a struct split across
// registers. Pure (FfiFile in, hints out) so the provider stays thin and tests need no VS Code.

import { longLocation, shortLocation } from '../../abi/format';
import type { CallPlacement } from '../../abi/place/placement';
import { functionForCall, placeFunction, type HoverOptions } from './hover';
import type { FfiCall, FfiFile, FfiFunction, Position } from './model';

export interface FfiHint {
  /** Where the hint goes: the start of the argument (0-based, as VS Code counts). */
  readonly position: Position;
  readonly label: string;
  readonly tooltip: string;
}

/** Placements by prototype, declarations, target and variadic types: a file calls few functions many times. */
const placements = new Map<string, CallPlacement | null>();

function cachedPlacement(fn: FfiFunction, call: FfiCall, options: HoverOptions): CallPlacement | null {
  const key = JSON.stringify([fn.prototype, fn.decls, options.target, options.compiler ?? '', call.variadicTypes ?? []]);
  if (!placements.has(key)) {
    if (placements.size > 5000) placements.clear();
    try {
      placements.set(key, placeFunction(fn, call, options));
    } catch {
      placements.set(key, null); // an unreadable prototype gets a hover explaining why, not hints
    }
  }
  return placements.get(key) ?? null;
}

/** Hints for the calls that start within [firstLine, lastLine] (0-based, inclusive). */
export function ffiHints(file: FfiFile, options: HoverOptions, lines?: { first: number; last: number }): FfiHint[] {
  const hints: FfiHint[] = [];
  for (const call of file.calls) {
    if (lines && (call.range.start.line > lines.last || call.range.end.line < lines.first)) continue;
    const fn = functionForCall(file, call);
    const placement = fn ? cachedPlacement(fn, call, options) : null;
    if (!placement) continue;
    call.argumentRanges.forEach((range, index) => {
      const param = placement.params[index];
      if (!param) return;
      hints.push({
        position: range.start,
        label: `${shortLocation(param)}:`,
        tooltip: `${param.name}: ${longLocation(param)}${param.variadic ? ' (variadic)' : ''}`,
      });
    });
  }
  return hints;
}
