#!/usr/bin/env node
// `polyglot-abi`: the ABI engine on the command line.
//   polyglot-abi place                      JSON lines on stdin → JSON lines on stdout
//   polyglot-abi place --target T --proto P  a readable table for one prototype
//   polyglot-abi hover FILE LINE COL          the ABI hover of an FFI declaration or call

import { createInterface } from 'node:readline';
import { answerPlaceLine, placeRequest, placementJson } from './abi/contract';
import { formatPlacementTable, formatRecordLayout, recordsIn } from './abi/format';
import { hostTarget } from './abi/host';
import { AbiInputError, TARGET_IDS, type CompilerId, type TargetId } from './abi/model';
import { isTargetId } from './abi/targets';
import { parseFfiFile } from './language/ffi/file';
import { hoverJson, hoverMarkdown, subjectAt } from './language/ffi/hover';
import { checkTree } from './language/ffi/workspace';
import { readFileSync } from 'node:fs';

const USAGE = `usage:
  polyglot-abi place
      Batch mode: one JSON request per line on stdin, one JSON answer per line on stdout.
  polyglot-abi place --target T --proto 'PROTOTYPE' [--decls 'C DECLS' | --decls-file FILE]
                     [--compiler gcc|clang] [--vararg TYPE]... [--json]
      One prototype as a readable table (or one JSON answer with --json).
  polyglot-abi hover FILE LINE COL [--target T] [--compiler gcc|clang] [--json]
      The ABI hover VS Code shows at that position (1-based, as editors count) of an FFI
      declaration, call or record: koffi in .ts/.js, ctypes in .py, C prototypes, definitions
      and calls in .c/.h; with --json the placement as one JSON line.
  polyglot-abi check DIR [--target T]
      Compares every koffi and ctypes declaration under DIR with the C prototype of the same function
      found there; prints each difference, exits 1 when there is any.
  polyglot-abi targets
      The targets and compilers modelled.

targets: ${TARGET_IDS.join(', ')}`;

class UsageError extends Error {}

interface Options {
  readonly flags: Map<string, string[]>;
  readonly switches: Set<string>;
}

const VALUE_FLAGS = new Set(['--target', '--proto', '--decls', '--decls-file', '--compiler', '--vararg']);
const SWITCHES = new Set(['--json', '--help']);

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
  const subject = subjectAt(await parseFfiFile(file, text), at);
  if (!subject) throw new AbiInputError(`nothing to show at ${file}:${line}:${column}: no FFI function, call or record there`);
  const hoverOptions = { target: targetOption(options), compiler: compilerOption(options) };
  if (options.switches.has('--json')) process.stdout.write(JSON.stringify(hoverJson(subject, hoverOptions)) + '\n');
  else process.stdout.write(hoverMarkdown(subject, hoverOptions) + '\n');
  return 0;
}

async function placeBatch(): Promise<void> {
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

async function check(args: readonly string[]): Promise<number> {
  const positionals: string[] = [];
  const options = parseOptions(args, positionals);
  const [root, ...extra] = positionals;
  if (!root || extra.length > 0) throw new UsageError('check needs one DIR');
  const target = targetOption(options);
  const mismatches = await checkTree(root, target);
  for (const m of mismatches) {
    const where = `${m.path}:${m.range.start.line + 1}:${m.range.start.character + 1}`;
    process.stdout.write(`${where}: ${m.function} does not match its C prototype on ${target}:\n`);
    for (const difference of m.differences) process.stdout.write(`  - ${difference}\n`);
    process.stdout.write(`  C: ${m.cPrototype}\n`);
  }
  process.stdout.write(mismatches.length === 0 ? `no FFI mismatches under ${root} (${target})\n` : `${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}\n`);
  return mismatches.length === 0 ? 0 : 1;
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
  if (command === 'hover') return hover(rest);
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
