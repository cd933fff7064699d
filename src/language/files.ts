// The parsers' access to other files (C includes, local JS modules a koffi file imports), in one
// place, so a cache of parsed files can tell when a result went stale: every file read or looked
// for while parsing is recorded with its size and modification time (or as missing).

import type * as Crypto from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';

export interface FileStamp {
  readonly path: string;
  /** -1: the file did not exist (creating it later changes the result too). */
  readonly size: number;
  readonly mtimeMs: number;
}

let recording: Map<string, FileStamp> | null = null;

function stamp(path: string, stats: Stats | null): FileStamp {
  return { path, size: stats ? stats.size : -1, mtimeMs: stats ? stats.mtimeMs : 0 };
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** `statSync`, or null when the path does not exist; recorded. */
export function statSource(path: string): Stats | null {
  const stats = statOrNull(path);
  recording?.set(path, stamp(path, stats));
  return stats;
}

/** A file's text, or null when it cannot be read; recorded. */
export function readSource(path: string): string | null {
  const stats = statSource(path);
  if (!stats?.isFile()) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Runs `work`, returning what it produced and every file it read or looked for. Not re-entrant. */
export async function recordingReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: FileStamp[] }> {
  const previous = recording;
  const reads = new Map<string, FileStamp>();
  recording = reads;
  try {
    return { result: await work(), reads: [...reads.values()] };
  } finally {
    recording = previous;
  }
}

/** Whether any of the files changed, appeared or vanished since they were stamped. */
export function anyChanged(stamps: readonly FileStamp[]): boolean {
  return stamps.some((s) => {
    const now = stamp(s.path, statOrNull(s.path));
    return now.size !== s.size || now.mtimeMs !== s.mtimeMs;
  });
}

/** The same for synchronous work; nested recordings also pass their reads to the outer one. */
export function recordingReadsNow<T>(work: () => T): { result: T; reads: FileStamp[] } {
  const previous = recording;
  const reads = new Map<string, FileStamp>();
  recording = reads;
  try {
    return { result: work(), reads: [...reads.values()] };
  } finally {
    recording = previous;
    for (const stamp of reads.values()) previous?.set(stamp.path, stamp);
  }
}

/** Records stamps taken earlier (a result kept in memory whose reading looked at those files). */
export function noteReads(stamps: readonly FileStamp[]): void {
  for (const stamp of stamps) recording?.set(stamp.path, stamp);
}

let cryptoModule: typeof Crypto | null = null;

/**
 * The SHA-256 of `text` in hex. node:crypto is loaded on first use: loading it costs a
 * one-shot `polyglot-abi hover` about 10 ms, and only its cache and the preprocessor's need it.
 */
export function sha256Hex(text: string): string {
  cryptoModule ??= createRequire(__filename)('node:crypto') as typeof Crypto;
  return cryptoModule.createHash('sha256').update(text).digest('hex');
}
