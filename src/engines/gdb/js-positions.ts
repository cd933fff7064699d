// Lines and columns of JS frames: V8's heap gives a character offset into the script; the script
// file on disk turns it into a 1-based line and column (what DumpJavaScriptBacktrace would print).

import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, { mtimeMs: number; text: string }>();

function scriptPath(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') ? url : undefined;
}

/** A script's text, cached until the file changes. */
export function scriptText(path: string): string | undefined {
  try {
    const { mtimeMs } = statSync(path);
    const hit = cache.get(path);
    if (hit?.mtimeMs === mtimeMs) return hit.text;
    const text = readFileSync(path, 'utf8');
    cache.set(path, { mtimeMs, text });
    return text;
  } catch {
    return undefined;
  }
}

/** 1-based line and column of `offset` in the script named `url`, when the file is readable. */
export function positionInScript(url: string, offset: number): { line: number; column: number } | undefined {
  const path = scriptPath(url);
  const text = path ? scriptText(path) : undefined;
  if (text === undefined || offset < 0 || offset > text.length) return undefined;
  // CommonJS sources run wrapped, but V8 keeps offsets relative to the original text.
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
