// Parsed files kept on disk by content, for the command line: a `polyglot-abi hover` on a file
// that has not changed since the last one reads its FFI facts back instead of starting
// tree-sitter (most of the cost of a call). An entry is used only when the file's text, the
// program that parsed it and every file the parse read or looked for are unchanged.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { anyChanged, recordingReads, sha256Hex, type FileStamp } from '../files';
import { parseFfiFile, type FfiParseOptions, type FocusLines } from './file';
import type { FfiFile } from './model';

interface Entry {
  readonly program: string;
  readonly path: string;
  readonly textHash: string;
  readonly reads: readonly FileStamp[];
  /** The lines the file was read for (`FfiParseOptions.focus`); absent when it was read whole. */
  readonly focus?: FocusLines;
  readonly file: FfiFile;
}

/** Where entries go: $POLYGLOT_ABI_CACHE, else the user's cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['POLYGLOT_ABI_CACHE'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'polyglot-abi');
}

/**
 * `parseFfiFile`, through the cache in `dir`. `program` names the parser's build (a change of it
 * discards every entry). One entry per file path, so the cache stays as small as the files hovered.
 * A read focused on some lines answers later requests on those lines only.
 */
export async function parseFfiFileCached(fileName: string, text: string, cache: { dir: string; program: string }, options: FfiParseOptions = {}): Promise<FfiFile> {
  const path = resolve(fileName);
  const entryPath = join(cache.dir, `${sha256Hex(path).slice(0, 32)}.json`);
  // The target decides #ifdefs in C: a hover for another target reads the file again.
  const textHash = sha256Hex(`${options.target ?? ''}\u0000${text}`);
  try {
    const entry = JSON.parse(readFileSync(entryPath, 'utf8')) as Entry;
    const covers = entry.focus === undefined || (options.focus !== undefined && entry.focus.first <= options.focus.first && options.focus.last <= entry.focus.last);
    if (entry.program === cache.program && entry.path === path && entry.textHash === textHash && covers && !anyChanged(entry.reads)) return entry.file;
  } catch {
    // no entry, or an unreadable one: parse
  }
  const { result, reads } = await recordingReads(() => parseFfiFile(path, text, options));
  try {
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    const entry: Entry = { program: cache.program, path, textHash, reads, ...(options.focus ? { focus: options.focus } : {}), file: result };
    const temporary = `${entryPath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
    renameSync(temporary, entryPath); // whole entries only, even with two hovers at once
  } catch {
    // a cache that cannot be written only costs time
  }
  return result;
}
