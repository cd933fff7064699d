// Source files parsed for the FFI (koffi, ctypes, C) on the session's behalf — which C functions a
// line calls, where a C function's arguments go — one parse per file version, shared by all.

import { readFile, stat } from 'node:fs/promises';
import { parseFfiFile } from '../language/ffi/file';
import type { FfiFile } from '../language/ffi/model';

const cache = new Map<string, { mtimeMs: number; file: Promise<FfiFile | null> }>();

/** The parsed file, or null when it cannot be read. */
export async function parsedSource(path: string): Promise<FfiFile | null> {
  const mtimeMs = await stat(path).then((s) => s.mtimeMs, () => -1);
  if (mtimeMs < 0) return null;
  const hit = cache.get(path);
  if (hit?.mtimeMs === mtimeMs) return hit.file;
  const file = readFile(path, 'utf8').then((text) => parseFfiFile(path, text)).catch(() => null);
  cache.set(path, { mtimeMs, file });
  return file;
}
