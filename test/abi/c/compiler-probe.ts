// Asks a real compiler for record layout facts without running anything: the facts become
// constant data (`sizeof`, `_Alignof`, `offsetof`, bit-field images), compiled with -S, and
// read back from the assembler directives.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CompilerId, TargetId } from '../../../src/abi/model';
import { COMPILER_PRELUDE, type GeneratedCase, type ProbedRecord } from './layout-generator';

const run = promisify(execFile);

export interface CompilerSetup {
  readonly target: TargetId;
  readonly compiler: CompilerId;
  readonly command: string;
  readonly args: readonly string[];
  /** The Debian package that provides `command`. */
  readonly aptPackage: string;
}

export const COMPILER_SETUPS: readonly CompilerSetup[] = [
  { target: 'x86_64-sysv', compiler: 'gcc', command: 'gcc', args: [], aptPackage: 'gcc' },
  { target: 'x86_64-sysv', compiler: 'clang', command: 'clang', args: ['--target=x86_64-linux-gnu'], aptPackage: 'clang' },
  { target: 'x86_64-win64', compiler: 'clang', command: 'clang', args: ['--target=x86_64-pc-windows-msvc'], aptPackage: 'clang' },
  { target: 'x86_64-win64', compiler: 'gcc', command: 'x86_64-w64-mingw32-gcc', args: [], aptPackage: 'gcc-mingw-w64-x86-64' },
  { target: 'aarch64-aapcs64', compiler: 'gcc', command: 'aarch64-linux-gnu-gcc', args: [], aptPackage: 'gcc-aarch64-linux-gnu' },
  { target: 'aarch64-aapcs64', compiler: 'clang', command: 'clang', args: ['--target=aarch64-linux-gnu'], aptPackage: 'clang' },
  { target: 'arm64-apple', compiler: 'clang', command: 'clang', args: ['--target=arm64-apple-macos11'], aptPackage: 'clang' },
];

export interface RecordFacts {
  readonly size: number;
  readonly align: number;
  readonly offsets: ReadonlyMap<string, number>;
  /** The record's bytes with only that bit-field set to all ones. */
  readonly bitImages: ReadonlyMap<string, Uint8Array>;
}

/** Throws a message naming the package to install when the compiler is missing. */
export async function checkCompiler(setup: CompilerSetup): Promise<void> {
  try {
    await run(setup.command, ['--version']);
  } catch {
    throw new Error(`${setup.command} is not installed (needed for ${setup.target}/${setup.compiler}); install it with: apt-get install ${setup.aptPackage}`);
  }
}

/** Compiles every case in one translation unit and returns the facts per case and record. */
export async function probeLayouts(setup: CompilerSetup, cases: readonly GeneratedCase[]): Promise<RecordFacts[][]> {
  const probes: string[] = [COMPILER_PRELUDE];
  const names: { record: ProbedRecord; id: number }[][] = [];
  let id = 0;
  for (const c of cases) {
    probes.push(c.decls);
    names.push(c.records.map((record) => {
      probes.push(probeSource(record, id));
      return { record, id: id++ };
    }));
  }
  const dir = await mkdtemp(join(tmpdir(), 'abi-layout-'));
  try {
    const source = join(dir, 'probe.c');
    const output = join(dir, 'probe.s');
    await writeFile(source, probes.join('\n'));
    try {
      await run(setup.command, [...setup.args, '-S', '-w', '-o', output, source], { maxBuffer: 64 << 20 });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      throw new Error(`${setup.command} ${setup.args.join(' ')} rejected the generated C:\n${stderr.slice(0, 4000)}`);
    }
    const data = readData(await readFile(output, 'utf8'), setup.target.startsWith('aarch64') || setup.target === 'arm64-apple');
    return names.map((records) => records.map(({ record, id: n }) => factsOf(record, n, data)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function probeSource(record: ProbedRecord, id: number): string {
  const t = record.spelling;
  const values = [`sizeof(${t})`, `_Alignof(${t})`, ...record.members.map((m) => `__builtin_offsetof(${t}, ${m})`)];
  const lines = [`const unsigned long long probe_${id}[] = { ${values.join(', ')} };`];
  record.bitFields.forEach((m, j) => {
    lines.push(`const union { ${t} s; unsigned char b[sizeof(${t}) + 1]; } bits_${id}_${j} = { .s = { .${m} = -1 } };`);
  });
  return lines.join('\n');
}

function factsOf(record: ProbedRecord, id: number, data: ReadonlyMap<string, number[]>): RecordFacts {
  const bytes = data.get(`probe_${id}`);
  if (!bytes) throw new Error(`no data for probe_${id} in the compiler output`);
  const word = (i: number) => {
    let v = 0;
    for (let b = 7; b >= 0; b--) v = v * 256 + (bytes[i * 8 + b] ?? 0);
    return v;
  };
  const size = word(0);
  const offsets = new Map(record.members.map((m, i) => [m, word(i + 2)]));
  const bitImages = new Map(record.bitFields.map((m, j) => {
    const image = data.get(`bits_${id}_${j}`) ?? [];
    return [m, Uint8Array.from(image.slice(0, size))];
  }));
  return { size, align: word(1), offsets, bitImages };
}

/** Little-endian bytes of every data label in GNU/LLVM assembly output. */
export function readData(asm: string, arm: boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let current: number[] | null = null;
  const widths: Record<string, number> = {
    '.byte': 1, '.short': 2, '.hword': 2, '.value': 2, '.2byte': 2, '.long': 4, '.int': 4, '.4byte': 4,
    '.word': arm ? 4 : 2, '.quad': 8, '.xword': 8, '.8byte': 8, '.dword': 8,
  };
  for (const raw of asm.split('\n')) {
    const line = raw.trim();
    const label = /^_?((?:probe|bits)_[\w]+):/.exec(line);
    if (label) {
      current = [];
      out.set(label[1] as string, current);
      continue;
    }
    if (/^[\w.$]+:/.test(line)) {
      current = null;
      continue;
    }
    if (!current || !line.startsWith('.')) continue;
    const space = line.search(/\s/);
    const directive = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1).trim();
    if (directive === '.ascii' || directive === '.asciz' || directive === '.string') {
      current.push(...unescape(rest.slice(1, rest.lastIndexOf('"'))));
      if (directive !== '.ascii') current.push(0);
      continue;
    }
    const args = rest.replace(/\s*(#|\/\/|;).*$/, '');
    if (directive === '.zero' || directive === '.space' || directive === '.skip') {
      const [count, fill] = args.split(',').map((a) => Number(a.trim()));
      for (let i = 0; i < (count ?? 0); i++) current.push(fill ?? 0);
      continue;
    }
    const width = widths[directive];
    if (width === undefined) continue;
    for (const item of args.split(',')) {
      let value = BigInt.asUintN(width * 8, BigInt(item.trim()));
      for (let i = 0; i < width; i++) {
        current.push(Number(value & 0xffn));
        value >>= 8n;
      }
    }
  }
  return out;
}

function unescape(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const next = text[++i] as string;
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) digits += text[++i];
      bytes.push(parseInt(digits, 8) & 0xff);
    } else if (next === 'x') {
      let digits = '';
      while (/[0-9a-fA-F]/.test(text[i + 1] ?? '')) digits += text[++i];
      bytes.push(parseInt(digits, 16) & 0xff);
    } else {
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34, "'": 39 };
      bytes.push(simple[next] ?? next.charCodeAt(0));
    }
  }
  return bytes;
}
