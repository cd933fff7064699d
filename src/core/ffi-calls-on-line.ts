// Which C functions a source line calls through the FFI: the targets of a JS → C step in. The
// koffi parser resolves `scene_add(a, b)` to the C symbol its binding was declared with, so we
// can stop in the C function before V8 runs the call.

import { readFile, stat } from 'node:fs/promises';
import { functionForCall } from '../language/ffi-hover';
import { parseFfiFile } from '../language/ffi-file';
import type { FfiFile } from '../language/ffi-model';

const cache = new Map<string, { mtimeMs: number; file: FfiFile }>();

async function parsed(path: string): Promise<FfiFile | null> {
  try {
    const { mtimeMs } = await stat(path);
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === mtimeMs) return hit.file;
    const file = await parseFfiFile(path, await readFile(path, 'utf8'));
    cache.set(path, { mtimeMs, file });
    return file;
  } catch {
    return null;
  }
}

/** The C symbols of the FFI calls whose text covers 1-based `line` of `path` (may be empty). */
export async function ffiSymbolsCalledOnLine(path: string, line: number): Promise<string[]> {
  const file = await parsed(path);
  if (!file) return [];
  const line0 = line - 1;
  const symbols = file.calls
    .filter((call) => call.range.start.line <= line0 && line0 <= call.range.end.line)
    .map((call) => functionForCall(file, call)?.name)
    .filter((name): name is string => !!name);
  return [...new Set(symbols)];
}
