// Whether a source breakpoint can exist at all before any engine is asked: the file must be on
// disk and the line one of its lines. An engine would otherwise accept it and wait forever
// ("pending"), which tells the user nothing.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

const lineCounts = new Map<string, { mtimeMs: number; lines: number }>();

function lineCount(path: string, mtimeMs: number): number {
  const cached = lineCounts.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.lines;
  const text = readFileSync(path, 'utf8');
  const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  lineCounts.set(path, { mtimeMs, lines });
  return lines;
}

/** Why a breakpoint at 1-based `line` of `path` cannot be set, or undefined when it can. */
export function breakpointLineProblem(path: string, line: number | undefined): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return `${path} does not exist: breakpoints go in source files on disk (save the file first).`;
  }
  if (!stats.isFile()) return `${path} is not a file.`;
  if (line === undefined) return undefined;
  if (!Number.isInteger(line) || line < 1) return `Line ${line} is not a line of ${basename(path)}: lines are counted from 1.`;
  const lines = lineCount(path, stats.mtimeMs);
  if (line > lines) return `Line ${line} is past the end of ${basename(path)}, which has ${lines} line${lines === 1 ? '' : 's'}.`;
  return undefined;
}
