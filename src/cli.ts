#!/usr/bin/env node
// `polyglot-abi`: the ABI engine on the command line.
//   polyglot-abi place                      JSON lines on stdin → JSON lines on stdout
//   polyglot-abi place --target T --proto P  a readable table for one prototype
//   polyglot-abi hover FILE LINE COL          the ABI hover of an FFI declaration or call

import { setFlagsFromString } from 'node:v8';
import { answerPlaceLine, placeRequest, placementJson } from './abi/contract';
import { formatPlacementTable, formatRecordLayout, recordsIn } from './abi/format';
import { hostTarget } from './abi/host';
import { AbiInputError, TARGET_IDS, type CompilerId, type TargetId } from './abi/model';
import { isTargetId } from './abi/targets';
import { parseFfiFile } from './language/ffi/file';
import { defaultCacheDir, parseFfiFileCached } from './language/ffi/parse-cache';
import { hoverJson, hoverMarkdown, subjectAt } from './language/ffi/hover';
import { checkWorkspace, type CheckReport, type Coverage } from './language/ffi/workspace';
import { readFileSync, statSync } from 'node:fs';

const USAGE = `usage:
  polyglot-abi place
      Batch mode: one JSON request per line on stdin, one JSON answer per line on stdout.
  polyglot-abi place --target T --proto 'PROTOTYPE' [--decls 'C DECLS' | --decls-file FILE]
                     [--compiler gcc|clang] [--vararg TYPE]... [--json]
      One prototype as a readable table (or one JSON answer with --json).
  polyglot-abi hover FILE LINE COL [--target T] [--compiler gcc|clang] [--json] [--no-cache]
      The ABI hover VS Code shows at that position (1-based, as editors count) of an FFI
      declaration, call or record: koffi in .ts/.js, ctypes in .py, C prototypes, definitions
      and calls in .c/.h; with --json the placement as one JSON line. What a file declares is
      kept by content in $POLYGLOT_ABI_CACHE (default $XDG_CACHE_HOME/polyglot-abi, else
      ~/.cache/polyglot-abi), so the next hover
      of an unchanged file does not parse it again; --no-cache parses anyway.
  polyglot-abi check DIR [--target T] [--min-coverage N] [--json]
      Compares every koffi and ctypes declaration under DIR with the C prototype of the same function
      found there; prints each difference (an error when the call breaks on the target, a hint when
      the bytes travel the same way but mean something else) and how many declarations were found,
      compared, without a C counterpart and not understood, per file and in total.
      Exit status: 0 clean, 1 errors found, 3 no errors but fewer than N % (default 50) of the
      declarations were compared (or none were found), 2 bad usage.
  polyglot-abi targets
      The targets and compilers modelled.

targets: ${TARGET_IDS.join(', ')}`;

class UsageError extends Error {}

interface Options {
  readonly flags: Map<string, string[]>;
  readonly switches: Set<string>;
}

const VALUE_FLAGS = new Set(['--target', '--proto', '--decls', '--decls-file', '--compiler', '--vararg', '--min-coverage']);
const SWITCHES = new Set(['--json', '--help', '--no-cache']);

function parseOptions(args: readonly string[], positionals: string[] = []): Options {
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (SWITCHES.has(arg)) {
      switches.add(arg);
    } else if (VALUE_FLAGS.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(arg, [...(flags.get(arg) ?? []), value]);
    } else if (!arg.startsWith('--')) {
      positionals.push(arg);
    } else {
      throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return { flags, switches };
}

function targetOption(options: Options): TargetId {
  const chosen = options.flags.get('--target')?.at(-1);
  if (chosen === undefined) return hostTarget(process.platform, process.arch) ?? 'x86_64-sysv';
  if (!isTargetId(chosen)) throw new UsageError(`unknown target "${chosen}"`);
  return chosen;
}

function compilerOption(options: Options): CompilerId | undefined {
  const chosen = options.flags.get('--compiler')?.at(-1);
  if (chosen !== undefined && chosen !== 'gcc' && chosen !== 'clang') throw new UsageError(`unknown compiler "${chosen}"; use gcc or clang`);
  return chosen;
}

function lineOrColumn(text: string | undefined, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${what} must be a whole number from 1 (as editors count), not "${text ?? ''}"`);
  return value;
}

/** This build of the program, so cached parses from another build are never used. */
function programStamp(): string {
  try {
    const stats = statSync(__filename);
    return `${__filename}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return `${__filename}:unknown:${Date.now()}`;
  }
}

async function hover(args: readonly string[]): Promise<number> {
  const positionals: string[] = [];
  const options = parseOptions(args, positionals);
  const [file, line, column, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('hover needs FILE LINE COL');
  const at = { line: lineOrColumn(line, 'LINE') - 1, character: lineOrColumn(column, 'COL') - 1 };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AbiInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const target = targetOption(options);
  // Only what a hover on that line needs is read (the answer is the whole file's: test/language/focus.test.ts).
  const readOptions = { target, focus: { first: at.line, last: at.line } };
  const parsed = options.switches.has('--no-cache')
    ? await parseFfiFile(file, text, readOptions)
    : await parseFfiFileCached(file, text, { dir: defaultCacheDir(), program: programStamp() }, readOptions);
  const subject = subjectAt(parsed, at);
  const unread = parsed.problems?.find((p) => /^too (large|deeply nested|long) to analyse/.test(p.message));
  if (!subject && unread) throw new AbiInputError(`${file}: ${unread.message}`);
  if (!subject) throw new AbiInputError(`nothing to show at ${file}:${line}:${column}: no FFI function, call or record there`);
  const hoverOptions = { target, compiler: compilerOption(options) };
  if (options.switches.has('--json')) process.stdout.write(JSON.stringify(hoverJson(subject, hoverOptions)) + '\n');
  else process.stdout.write(hoverMarkdown(subject, hoverOptions) + '\n');
  return 0;
}

async function placeBatch(): Promise<void> {
  // Loaded here only: the other commands do not read lines, and it costs start-up time.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffered: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffered.length === 0) return;
    const chunk = buffered.join('\n') + '\n';
    buffered = [];
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  };
  for await (const line of lines) {
    if (line.trim() === '') continue;
    buffered.push(answerPlaceLine(line));
    if (buffered.length >= 256) await flush();
  }
  await flush();
}

function placeOne(options: Options): void {
  const one = (flag: string): string | undefined => options.flags.get(flag)?.at(-1);
  const target = one('--target');
  const proto = one('--proto');
  if (!target || !proto) throw new UsageError('place needs --target and --proto for a table (or no arguments for batch mode)');
  const declsFile = one('--decls-file');
  const decls = declsFile !== undefined ? readFileSync(declsFile, 'utf8') : (one('--decls') ?? '');
  const request = { id: null, target, proto, decls, compiler: one('--compiler'), variadic_args: options.flags.get('--vararg') ?? [] };
  const { placement } = placeRequest(request, { compare: true });
  if (options.switches.has('--json')) {
    process.stdout.write(JSON.stringify(placementJson(null, placement, true)) + '\n');
    return;
  }
  const types = [...placement.params.map((p) => p.type), placement.ret.type];
  const layouts = recordsIn(types).map(formatRecordLayout);
  process.stdout.write([formatPlacementTable(placement), ...layouts.map((l) => `\n${l}`)].join('\n') + '\n');
}

/** Exit statuses of `check`, so scripts can tell the outcomes apart. */
const CHECK_EXIT = { clean: 0, errors: 1, lowCoverage: 3 } as const;

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((100 * part) / whole);
}

function coverageTable(report: CheckReport): string[] {
  const rows: [string, Coverage][] = [...report.files.map((f): [string, Coverage] => [f.path, f]), ['total', report.total]];
  const width = Math.max(4, ...rows.map(([path]) => path.length));
  const cells = (c: Coverage) => [c.found, c.compared, c.withoutC, c.notUnderstood].map((n, i) => String(n).padStart([5, 8, 9, 14][i]!)).join('  ');
  return [`${'file'.padEnd(width)}  found  compared  without C  not understood`, ...rows.map(([path, c]) => `${path.padEnd(width)}  ${cells(c)}`)];
}

async function check(args: readonly string[]): Promise<number> {
  const positionals: string[] = [];
  const options = parseOptions(args, positionals);
  const [root, ...extra] = positionals;
  if (!root || extra.length > 0) throw new UsageError('check needs one DIR');
  const target = targetOption(options);
  const minText = options.flags.get('--min-coverage')?.at(-1) ?? '50';
  const minCoverage = Number(minText);
  if (!Number.isFinite(minCoverage) || minCoverage < 0 || minCoverage > 100) throw new UsageError(`--min-coverage must be a percentage from 0 to 100, not "${minText}"`);
  let report: CheckReport;
  try {
    report = await checkWorkspace(root, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new AbiInputError(`cannot read the folder ${root}: ${(err as Error).message}`);
    throw err;
  }
  const errors = report.mismatches.filter((m) => m.severity === 'error');
  const hints = report.mismatches.length - errors.length;
  const { found, compared } = report.total;
  const share = percent(compared, found);
  const status = errors.length > 0 ? CHECK_EXIT.errors : found === 0 || share < minCoverage ? CHECK_EXIT.lowCoverage : CHECK_EXIT.clean;
  if (options.switches.has('--json')) {
    process.stdout.write(JSON.stringify({ ...report, comparedPercent: share, minCoverage, status }) + '\n');
    return status;
  }
  const out: string[] = [];
  for (const m of report.mismatches) {
    const where = `${m.path}:${m.range.start.line + 1}:${m.range.start.character + 1}`;
    const breaks = m.breaksOn.length > 0 ? `breaks on ${m.breaksOn.join(', ')}` : 'the call works on every modelled target';
    out.push(`${where}: ${m.severity}: ${m.function} does not match its C prototype on ${target} (${breaks}):`);
    for (const difference of m.differences) out.push(`  - ${difference}`);
    out.push(`  declared: ${m.foreignPrototype}`, `  C:        ${m.cPrototype}`);
  }
  if (report.notUnderstood.length > 0) {
    out.push('', 'not understood (not compared):');
    for (const n of report.notUnderstood) out.push(`  ${n.path}:${n.line}: ${n.function}: ${n.reason}`);
  }
  if (report.withoutC.length > 0) out.push('', `without a C counterpart: ${report.withoutC.map((n) => `${n.function} (${n.path}:${n.line})`).join(', ')}`);
  out.push('', `coverage on ${target} (${report.cFunctions} C function${report.cFunctions === 1 ? '' : 's'} found under ${root}):`, ...coverageTable(report).map((l) => `  ${l}`), '');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (found === 0) out.push(`nothing to compare: no koffi or ctypes declarations found under ${root}`);
  else if (compared === 0) out.push(`nothing compared: none of the ${plural(found, 'declaration')} found has a readable C counterpart under ${root}`);
  else {
    const verdict = errors.length > 0 ? `${plural(errors.length, 'error')}, ${plural(hints, 'hint')}` : hints > 0 ? `no errors, ${plural(hints, 'hint')}` : 'no mismatches';
    out.push(`${verdict} in ${compared} of ${plural(found, 'declaration')} compared (${share}%)${status === CHECK_EXIT.lowCoverage ? `: under the ${minCoverage}% asked for` : ''}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return status;
}

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === 'targets') {
    process.stdout.write(TARGET_IDS.join('\n') + '\n');
    return 0;
  }
  if (command === 'hover') {
    // One parse in a short-lived process: V8's baseline wasm compiler alone makes tree-sitter's
    // first parse several times faster than waiting for (and competing with) optimised code.
    setFlagsFromString('--liftoff-only');
    return hover(rest);
  }
  if (command === 'check') return check(rest);
  if (command !== 'place') throw new UsageError(`unknown command "${command}"`);
  const options = parseOptions(rest);
  if (options.switches.has('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (options.flags.size === 0) await placeBatch();
  else placeOne(options);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`polyglot-abi: ${err.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (err instanceof AbiInputError) {
      process.stderr.write(`polyglot-abi: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`polyglot-abi: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
