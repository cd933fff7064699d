// C as the compiler sees it: when the workspace has a compile_commands.json (clangd's
// convention) with an entry for the file, its compiler runs the preprocessor with the entry's
// own -I/-D/-U/-include/-std/--target flags — every macro expanded, every #ifdef decided as the
// build decides it. Run with execFile (never a shell), bounded in time and output, and kept by
// content. Without an entry or a compiler, the caller keeps its own reading. The compiler is
// looked up on PATH by its name only, and the editor asks for this only in a trusted workspace.

import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { readSource, sha256Hex, statSource } from '../files';

/**
 * child_process, loaded on first use: most runs never preprocess, and loading it (with net and
 * streams) is a good part of a one-shot `polyglot-abi hover`'s start-up.
 */
let loaded: typeof ChildProcess | null = null;
const childProcess = (): typeof ChildProcess => (loaded ??= createRequire(__filename)('node:child_process') as typeof ChildProcess);

export interface CompileEntry {
  readonly directory: string;
  readonly compiler: string;
  /** The flags that change what the preprocessor produces. */
  readonly flags: readonly string[];
}

/** Output of the preprocessor, with where each of its lines came from. */
export interface Preprocessed {
  /** Line markers blanked, so its lines are the output's lines. */
  readonly text: string;
  /** For each output line: the file and the (0-based) line it came from. */
  readonly origin: readonly ({ readonly file: string; readonly line: number } | null)[];
  readonly compiler: string;
}

const MAX_OUTPUT = 32 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

/** Splits a `command` string as a POSIX shell would split words (quotes and backslashes), without running one. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) word += command[++i] as string;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < command.length) {
      word = (word ?? '') + (command[++i] as string);
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (word !== null) words.push(word);
  return words;
}

const FLAG_WITH_VALUE = new Set(['-I', '-D', '-U', '-include', '-isystem', '-iquote', '-idirafter', '-imacros', '--target', '-target', '-isysroot', '--sysroot']);
const FLAG_PREFIXES = ['-I', '-D', '-U', '-std=', '--target=', '-isystem', '-iquote', '-idirafter', '--sysroot=', '-m32', '-m64', '-mabi=', '-fshort-enums', '-fms-extensions', '-funsigned-char', '-fsigned-char'];

/** The preprocessing flags of a compile command, relative paths kept relative to its directory. */
function preprocessingFlags(args: readonly string[]): string[] {
  const flags: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    if (FLAG_WITH_VALUE.has(arg) && i + 1 < args.length) flags.push(arg, args[++i] as string);
    else if (FLAG_PREFIXES.some((p) => arg.startsWith(p))) flags.push(arg);
  }
  return flags;
}

/** The compile_commands.json entry for `file`, looked for in its folder and up to 8 above (and their build/). */
export function compileEntryFor(file: string): CompileEntry | null {
  const target = resolve(file);
  let dir = dirname(target);
  for (let up = 0; up <= 8; up++) {
    for (const candidate of [join(dir, 'compile_commands.json'), join(dir, 'build', 'compile_commands.json')]) {
      const text = statSource(candidate)?.isFile() ? readSource(candidate) : null;
      if (text === null) continue;
      let entries: unknown;
      try {
        entries = JSON.parse(text);
      } catch {
        return null; // a broken database: the fallback reading, not a guess
      }
      if (!Array.isArray(entries)) return null;
      for (const raw of entries as { directory?: unknown; file?: unknown; arguments?: unknown; command?: unknown }[]) {
        if (typeof raw?.directory !== 'string' || typeof raw.file !== 'string') continue;
        const path = isAbsolute(raw.file) ? raw.file : resolve(raw.directory, raw.file);
        if (resolve(path) !== target) continue;
        const args = Array.isArray(raw.arguments) ? raw.arguments.filter((a): a is string => typeof a === 'string') : typeof raw.command === 'string' ? splitCommand(raw.command) : [];
        if (args.length === 0) return null;
        // The compiler is run by its name from PATH, never from a path the workspace chose.
        const compiler = basename(args[0] as string);
        if (!COMPILER_NAME.test(compiler)) return null;
        return { directory: raw.directory, compiler, flags: preprocessingFlags(args) };
      }
      return null;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** gcc, clang, cc, their versioned and cross forms (`clang-17`, `aarch64-linux-gnu-gcc`). */
const COMPILER_NAME = /^(?:[\w.]+-)*(?:gcc|clang|cc)(?:-\d+(?:\.\d+)*)?$/;

const cache = new Map<string, Preprocessed | null>();

/**
 * The file as its compile command preprocesses it; null when the compiler cannot be run or fails
 * (the caller then reads the file itself). Kept by the file's text, its flags and the compiler.
 */
export function preprocess(file: string, text: string, entry: CompileEntry): Preprocessed | null {
  const key = sha256Hex(JSON.stringify([resolve(file), text, entry]));
  if (cache.has(key)) return cache.get(key) ?? null;
  let output: string | null;
  try {
    // `-` with the editor's text on stdin, so unsaved edits count; includes resolve from the file's folder.
    output = childProcess().execFileSync(entry.compiler, [...entry.flags, '-iquote', dirname(resolve(file)), '-E', '-x', 'c', '-'], {
      cwd: entry.directory, input: text, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, stdio: ['pipe', 'pipe', 'ignore'],
    });
  } catch {
    output = null;
  }
  const result = output === null ? null : { ...withOrigins(output, resolve(file)), compiler: entry.compiler };
  if (cache.size > 64) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  // The headers it read, so a cached result of the whole file goes stale when one changes.
  if (result) for (const header of new Set(result.origin.map((o) => o?.file))) if (header && header !== resolve(file)) statSource(header);
  return result;
}

/** Blanks the `# 12 "file"` markers of preprocessor output and notes where each line came from. */
function withOrigins(output: string, ownFile: string): Omit<Preprocessed, 'compiler'> {
  const lines = output.split('\n');
  const origin: ({ file: string; line: number } | null)[] = [];
  let file = ownFile;
  let line = 0;
  for (let i = 0; i < lines.length; i++) {
    const marker = /^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"/.exec(lines[i] as string);
    if (marker) {
      line = Number(marker[1]) - 1;
      const named = (marker[2] as string).replace(/\\(.)/g, '$1');
      file = named === '<stdin>' ? ownFile : resolve(named);
      lines[i] = '';
      origin.push(null);
      continue;
    }
    origin.push(file.startsWith('<') ? null : { file, line });
    line++;
  }
  return { text: lines.join('\n'), origin };
}
