// Which C functions a source line calls through the FFI: the targets of a JS → C step in. The
// koffi parser resolves `scene_add(a, b)` to the C symbol its binding was declared with, so we
// can stop in the C function before V8 runs the call.

import { functionForCall } from '../language/ffi/hover';
import { parsedSource } from './parsed-sources';

/** The C symbols of the FFI calls whose text covers 1-based `line` of `path` (may be empty). */
export async function ffiSymbolsCalledOnLine(path: string, line: number): Promise<string[]> {
  const file = await parsedSource(path);
  if (!file) return [];
  const line0 = line - 1;
  const symbols = file.calls
    .filter((call) => call.range.start.line <= line0 && line0 <= call.range.end.line)
    .map((call) => functionForCall(file, call)?.name)
    .filter((name): name is string => !!name);
  return [...new Set(symbols)];
}
