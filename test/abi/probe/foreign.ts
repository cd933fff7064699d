// Foreign-ABI callers that really run on Linux.
//
// Win64 (MSVC ABI, mingw-w64) and Apple arm64 code cannot run here natively, but its machine
// code can: the foreign compiler's assembly (`-S`) is rewritten from COFF / Mach-O assembler
// dialect into ELF assembler dialect — directives, section names, symbol spelling and
// relocation operators only; every instruction and data directive is kept as written — and
// assembled for the same CPU. The result links into a Linux harness (x86-64 native for Win64,
// AArch64 under qemu for Apple). Linux C calls the Win64 functions through
// `__attribute__((ms_abi))` (see callerAttribute); MSVC-ABI runtime calls (memcpy & co. with
// arguments in rcx, rdx, r8; __chkstk) are redirected to shims in foreign/ (foreignSupportSources).
//
// Faithfulness is checked on every build (unless disabled): the untouched assembly is also
// assembled by the foreign assembler into a COFF / Mach-O object, and the ELF object's code
// must equal it byte for byte outside relocated fields, with the same defined and referenced
// symbols. No code is ever recompiled for Linux.
//
// All tools are spawned with argument arrays (never a shell).

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type ForeignFlavor = 'win64-msvc-clang' | 'win64-mingw-gcc' | 'apple-arm64-clang';
export const FOREIGN_FLAVORS: readonly ForeignFlavor[] = ['win64-msvc-clang', 'win64-mingw-gcc', 'apple-arm64-clang'];

/** test/abi/probe/foreign/ — the support sources. */
export const FOREIGN_SUPPORT_DIR = fileURLToPath(new URL('./foreign/', import.meta.url));

export interface ForeignBuildOptions {
  /** Appended to the foreign compiler's command line (e.g. `-O2`, `-fstack-protector-all`). */
  extraArgs?: string[];
  /** Compare the ELF code with the foreign assembler's object (default true). */
  verify?: boolean;
}

interface FlavorSpec {
  arch: 'x86_64' | 'aarch64';
  /** Compiler argv without the source / output / -S. */
  cc: string[];
  /** Assembles `src` into the foreign object format (COFF / Mach-O) — the reference. */
  foreignAs(src: string, out: string): string[];
  /** Assembles the translated `src` into an ELF object for the harness arch. */
  hostAs(src: string, out: string): string[];
}

/** Same flags as the native probe runs (toolchain.ts OPT). */
const OPT = ['-O1', '-w', '-fno-stack-protector'];

const SPECS: Record<ForeignFlavor, FlavorSpec> = {
  'win64-msvc-clang': {
    arch: 'x86_64',
    cc: ['clang', '--target=x86_64-pc-windows-msvc', ...OPT],
    foreignAs: (s, o) => ['clang', '--target=x86_64-pc-windows-msvc', '-c', '-x', 'assembler', s, '-o', o],
    hostAs: (s, o) => ['clang', '--target=x86_64-linux-gnu', '-c', '-x', 'assembler', s, '-o', o],
  },
  'win64-mingw-gcc': {
    arch: 'x86_64',
    cc: ['x86_64-w64-mingw32-gcc', ...OPT],
    // Both are GNU as (binutils) — the same encoder the mingw driver would use.
    foreignAs: (s, o) => ['x86_64-w64-mingw32-as', '-o', o, s],
    hostAs: (s, o) => ['as', '--64', '-o', o, s],
  },
  'apple-arm64-clang': {
    arch: 'aarch64',
    cc: ['clang', '--target=arm64-apple-macos11', ...OPT],
    foreignAs: (s, o) => ['clang', '--target=arm64-apple-macos11', '-c', '-x', 'assembler', s, '-o', o],
    hostAs: (s, o) => ['clang', '--target=aarch64-linux-gnu', '-c', '-x', 'assembler', s, '-o', o],
  },
};

/** Debian packages providing the tools each flavor spawns (for CI's apt list). */
export const FOREIGN_PACKAGES: Record<ForeignFlavor, string[]> = {
  'win64-msvc-clang': ['clang', 'llvm', 'gcc'],
  'win64-mingw-gcc': ['gcc-mingw-w64-x86-64', 'binutils', 'llvm', 'gcc'],
  'apple-arm64-clang': ['clang', 'llvm', 'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'qemu-user'],
};

/** MSVC-ABI runtime routines the converted code may call, and their Microsoft-convention shims. */
const WIN64_SHIMS = ['memcpy', 'memmove', 'memset', 'memcmp', 'strlen'];
export const WIN64_SHIM_PREFIX = 'pgf_win64_';

// ---------------------------------------------------------------------------------------------
// Public API

export async function buildForeignObject(flavor: ForeignFlavor, cSourcePath: string, outObjectPath: string, options: ForeignBuildOptions = {}): Promise<void> {
  const spec = SPECS[flavor];
  if (!spec) throw new Error(`unknown foreign flavor "${String(flavor)}"`);
  const foreignAsm = `${outObjectPath}.foreign.s`;
  const elfAsm = `${outObjectPath}.elf.s`;
  const compile = [...spec.cc, ...(options.extraArgs ?? []), '-S', cSourcePath, '-o', foreignAsm];
  const cc = await exec(compile);
  if (cc.code !== 0) throw new Error(`${flavor}: ${compile.join(' ')} failed:\n${cc.stderr}`);

  const original = await readFile(foreignAsm, 'utf8');
  const tr = translateForeignAsm(flavor, original, foreignAsm);
  await writeFile(elfAsm, tr.text);

  const as = spec.hostAs(elfAsm, outObjectPath);
  const r = await exec(as);
  if (r.code !== 0) throw new Error(`${flavor}: assembling the converted code failed: ${as.join(' ')}\n${r.stderr}${offendingLines(r.stderr, elfAsm, original, tr.text)}`);

  if (options.verify !== false) {
    const ref = `${outObjectPath}.ref.${flavor.startsWith('apple') ? 'macho' : 'coff'}.o`;
    const fa = spec.foreignAs(foreignAsm, ref);
    const fr = await exec(fa);
    if (fr.code !== 0) throw new Error(`${flavor}: the foreign assembler rejected the compiler's own output: ${fa.join(' ')}\n${fr.stderr}`);
    await verifyForeignObject(flavor, ref, outObjectPath, tr.symbols);
  }
}

export function foreignSupportSources(flavor: ForeignFlavor): string[] {
  // Every symbol in these files is weak, so listing them twice (both Win64 flavors in one
  // harness) is harmless.
  switch (flavor) {
    case 'win64-msvc-clang':
    case 'win64-mingw-gcc':
      return [`${FOREIGN_SUPPORT_DIR}win64-support.S`, `${FOREIGN_SUPPORT_DIR}win64-support.c`];
    case 'apple-arm64-clang':
      return [`${FOREIGN_SUPPORT_DIR}apple-support.c`];
  }
}

export function callerAttribute(flavor: ForeignFlavor): string {
  return flavor === 'apple-arm64-clang' ? '' : '__attribute__((ms_abi))';
}

export function describeFlavor(flavor: ForeignFlavor): string {
  return [...SPECS[flavor].cc, '-S'].join(' ');
}

/** The harness architecture for objects of this flavor. */
export function foreignHostArch(flavor: ForeignFlavor): 'x86_64' | 'aarch64' {
  return SPECS[flavor].arch;
}

// ---------------------------------------------------------------------------------------------
// Translation (pure): one output line per input line, so assembler diagnostics on the ELF
// assembly point at the same line of the foreign compiler's output.

export interface Translation {
  text: string;
  /** Foreign symbol name → ELF symbol name, or null when it does not survive as a global/undefined symbol. */
  symbols: Map<string, string | null>;
}

export function translateForeignAsm(flavor: ForeignFlavor, asm: string, fileName = '<asm>'): Translation {
  return flavor === 'apple-arm64-clang' ? translateMachO(asm, fileName) : translateCoff(asm, fileName);
}

class TranslateError extends Error {}

function fail(file: string, lineNo: number, line: string, why: string): never {
  throw new TranslateError(`${file}:${lineNo}: ${why}\n  offending asm line: ${line.trim()}`);
}

/** Index of `ch` outside double-quoted strings, or -1. */
function indexOutside(s: string, ch: string): number {
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === ch) return i;
  }
  return -1;
}

function splitOutside(s: string, ch: string): string[] {
  const parts: string[] = [];
  let rest = s;
  for (;;) {
    const i = indexOutside(rest, ch);
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  return parts;
}

function stripComment(s: string, ch: string): string {
  const i = indexOutside(s, ch);
  return i < 0 ? s : s.slice(0, i);
}

interface TokenRules {
  start: RegExp;
  part: RegExp;
}
const COFF_TOKENS: TokenRules = { start: /[A-Za-z_.@?]/, part: /[\w.$@?]/ };
const MACHO_TOKENS: TokenRules = { start: /[A-Za-z_.$]/, part: /[\w.$]/ };

/**
 * Rewrites the symbol tokens of one statement. `map(name, quoted, rest)` returns the
 * replacement and how many characters of `rest` (the text after the token) it consumed, or
 * undefined to keep the token (quoted strings that are not symbols stay strings).
 */
function mapTokens(s: string, rules: TokenRules, map: (name: string, quoted: boolean, rest: string) => [string, number] | undefined): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      const whole = s.slice(i, j + 1);
      const r = map(s.slice(i + 1, j), true, s.slice(j + 1));
      out += r ? r[0] : whole;
      i = j + 1 + (r ? r[1] : 0);
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < s.length && /[\w.]/.test(s[j] as string)) j++;
      out += s.slice(i, j);
      i = j;
    } else if (rules.start.test(c)) {
      let j = i + 1;
      while (j < s.length && rules.part.test(s[j] as string)) j++;
      const id = s.slice(i, j);
      const r = map(id, false, s.slice(j));
      out += r ? r[0] : id;
      i = j + (r ? r[1] : 0);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** `name:` at the start of a statement (name possibly quoted); [name, quoted, rest] or null. */
function splitLabel(stmt: string, rules: TokenRules): [string, boolean, string] | null {
  const q = /^"((?:[^"\\]|\\.)*)"\s*:(.*)$/.exec(stmt);
  if (q) return [q[1] as string, true, q[2] as string];
  const src = `^(${rules.start.source}${rules.part.source}*)\\s*:(?!:)(.*)$`;
  const m = new RegExp(src).exec(stmt);
  return m ? [m[1] as string, false, m[2] as string] : null;
}

function firstWord(stmt: string): string {
  return /^(\S+)/.exec(stmt)?.[1] ?? '';
}

function log2Align(file: string, lineNo: number, line: string, a: string | undefined): number | undefined {
  if (a === undefined) return undefined;
  const n = Number(a.trim());
  if (!Number.isInteger(n) || n < 0 || n > 30) fail(file, lineNo, line, `bad alignment "${a}"`);
  return 2 ** n;
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, (c) => (c === '.' ? '.' : `_${c.charCodeAt(0).toString(16)}_`));
}

// ------------------------------------------------------------------ COFF (Win64) → ELF x86-64

type SecKind = 'text' | 'rodata' | 'relro' | 'data' | 'bss' | 'drop';
interface CoffSection {
  kind: SecKind;
  comdat: boolean;
  elf: string;
}

const COFF_DROPPED = ['.drectve', '.debug', '.xdata', '.pdata', '.llvm_addrsig', '.llvm.call-graph-profile', '.gfids', '.giats', '.gljmp', '.gehcont', '.sxdata', '.voltbl'];

function coffSection(file: string, lineNo: number, line: string, args: string): CoffSection {
  const parts = splitOutside(args, ',').map((p) => p.trim());
  const name = (parts[0] ?? '').replace(/^"(.*)"$/, '$1');
  const flags = parts[1] ? parts[1].replace(/^"(.*)"$/, '$1') : undefined;
  const base = name.split('$')[0] as string;
  const comdat = parts.length >= 3;
  if (COFF_DROPPED.some((d) => base === d || base.startsWith(`${d}$`) || (d === '.debug' && base.startsWith('.debug'))) || (flags !== undefined && /[ni]/.test(flags))) {
    return { kind: 'drop', comdat, elf: '' };
  }
  let kind: SecKind;
  if (flags !== undefined) kind = flags.includes('x') ? 'text' : flags.includes('b') ? 'bss' : flags.includes('w') ? 'data' : 'rodata';
  else if (base === '.text') kind = 'text';
  else if (base === '.rdata') kind = 'rodata';
  else if (base === '.bss') kind = 'bss';
  else if (base === '.data') kind = 'data';
  else fail(file, lineNo, line, `COFF section "${name}" without flags`);
  // mingw's .refptr.X cells hold absolute addresses: keep them out of .rodata (PIE harness).
  if (kind === 'rodata' && name.includes('refptr')) kind = 'relro';
  const suffix = name.includes('$') ? `.${sanitize(name.slice(name.indexOf('$') + 1))}` : comdat && parts[3] ? `.${sanitize(parts[3].replace(/^"(.*)"$/, '$1'))}` : '';
  const elf = {
    text: `.section .text${suffix},"ax",@progbits`,
    rodata: `.section .rodata${suffix},"a",@progbits`,
    relro: `.section .data.rel.ro${suffix},"aw",@progbits`,
    data: `.section .data${suffix},"aw",@progbits`,
    bss: `.section .bss${suffix},"aw",@nobits`,
    drop: '',
  }[kind];
  return { kind, comdat, elf };
}

const COFF_KEEP = new Set([
  '.p2align', '.align', '.balign', '.byte', '.short', '.word', '.value', '.2byte', '.long', '.int', '.4byte', '.quad', '.8byte', '.octa',
  '.ascii', '.asciz', '.string', '.zero', '.space', '.skip', '.fill', '.file', '.ident', '.single', '.float', '.double', '.set', '.equ',
  '.intel_syntax', '.att_syntax', '.weak', '.loc', '.globl', '.global',
]);

function translateCoff(asm: string, file: string): Translation {
  const lines = asm.split('\n');
  const stmtsOf = (line: string) => splitOutside(stripComment(line, '#'), ';').map((s) => s.trim());

  // Pass 1: where each label is defined, which names are global.
  const defined = new Map<string, { sec: CoffSection; quoted: boolean }>();
  const globals = new Set<string>();
  {
    let sec: CoffSection = { kind: 'text', comdat: false, elf: '.text' };
    lines.forEach((line, idx) => {
      for (let st of stmtsOf(line)) {
        let lab: ReturnType<typeof splitLabel>;
        while (st && (lab = splitLabel(st, COFF_TOKENS))) {
          defined.set(lab[0], { sec, quoted: lab[1] });
          st = lab[2].trim();
        }
        const w = firstWord(st);
        const rest = st.slice(w.length).trim();
        if (w === '.section') sec = coffSection(file, idx + 1, line, rest);
        else if (w === '.text') sec = { kind: 'text', comdat: false, elf: '.text' };
        else if (w === '.data') sec = { kind: 'data', comdat: false, elf: '.data' };
        else if (w === '.bss') sec = { kind: 'bss', comdat: false, elf: '.bss' };
        else if (w === '.linkonce') sec = { ...sec, comdat: true };
        else if (w === '.globl' || w === '.global') globals.add(rest.replace(/^"(.*)"$/, '$1'));
      }
    });
  }

  // Symbol spelling: COMDAT constants (__real@…, __xmm@…, ??_C@… strings, .refptr.…) become
  // file-local; names ELF assemblers cannot spell are sanitized; MSVC-ABI libc calls go to shims.
  const symbols = new Map<string, string | null>();
  let localN = 0;
  for (const [name, d] of defined) {
    const odd = d.quoted || /[@?$]/.test(name);
    if (d.sec.comdat && d.sec.kind !== 'text') symbols.set(name, `.Lpgf${localN++}_${sanitize(name).slice(0, 60)}`);
    else if (odd) symbols.set(name, globals.has(name) ? `pgf_${sanitize(name)}` : `.Lpgf${localN++}_${sanitize(name).slice(0, 60)}`);
  }
  for (const s of WIN64_SHIMS) if (!defined.has(s)) symbols.set(s, WIN64_SHIM_PREFIX + s);
  symbols.set('@feat.00', null);
  symbols.set('_fltused', null);
  const isLocalized = (n: string) => (symbols.get(n) ?? '').startsWith('.L');

  const mapSym = (n: string, quoted: boolean): [string, number] | undefined => {
    const m = symbols.get(n);
    if (m) return [m, 0];
    if (quoted && defined.has(n)) return [n, 0];
    return undefined;
  };

  // Pass 2: emit.
  const out: string[] = [];
  let sec: CoffSection = { kind: 'text', comdat: false, elf: '.text' };
  let def: { name: string; type?: string } | null = null;
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    const emitted: string[] = [];
    for (let st of stmtsOf(line)) {
      if (!st) continue;
      if (def) {
        const w = firstWord(st);
        if (w === '.type') def.type = st.slice(5).trim();
        else if (w === '.endef') {
          // A function definition gets an ELF function type (nicer disassembly and backtraces).
          const d = defined.get(def.name);
          if (def.type === '32' && d && d.sec.kind === 'text') emitted.push(`.type ${mapSym(def.name, false)?.[0] ?? def.name},@function`);
          def = null;
        } else if (w !== '.scl') fail(file, lineNo, line, `unexpected "${w}" inside .def`);
        continue;
      }
      let lab: ReturnType<typeof splitLabel>;
      while ((lab = splitLabel(st, COFF_TOKENS))) {
        if (sec.kind !== 'drop') emitted.push(`${mapSym(lab[0], lab[1])?.[0] ?? lab[0]}:`);
        st = lab[2].trim();
      }
      if (!st) continue;
      const w = firstWord(st);
      const rest = st.slice(w.length).trim();
      if (w.startsWith('.seh_') || w === '.addrsig' || w === '.addrsig_sym' || w === '.linkonce' || w === '.scl' || w === '.endef') continue;
      if (w === '.def') {
        def = { name: rest.replace(/^"(.*)"$/, '$1') };
        continue;
      }
      if (/@feat\.00/.test(st)) continue;
      if (w === '.section' || w === '.text' || w === '.data' || w === '.bss') {
        sec = w === '.section' ? coffSection(file, lineNo, line, rest) : { kind: w.slice(1) as SecKind, comdat: false, elf: w };
        if (sec.kind !== 'drop') emitted.push(sec.elf);
        continue;
      }
      if (sec.kind === 'drop') continue;
      if (w === '.globl' || w === '.global') {
        const n = rest.replace(/^"(.*)"$/, '$1');
        if (symbols.get(n) === null || isLocalized(n)) continue;
        emitted.push(`.globl ${mapSym(n, true)?.[0] ?? n}`);
        continue;
      }
      if (w === '.comm' || w === '.lcomm') {
        // COFF .comm takes log2 alignment; .lcomm (gcc, clang) a byte alignment; ELF bytes.
        const [n, size, al] = splitOutside(rest, ',').map((p) => p.trim());
        if (!n || !size) fail(file, lineNo, line, `malformed ${w}`);
        const name = mapSym(n, false)?.[0] ?? n;
        const bytes = w === '.comm' ? log2Align(file, lineNo, line, al) : al;
        emitted.push(`${w === '.lcomm' ? `.local ${name}; ` : ''}.comm ${name},${size}${bytes !== undefined ? `,${bytes}` : ''}`);
        continue;
      }
      if (w.startsWith('.') && !COFF_KEEP.has(w)) fail(file, lineNo, line, `unsupported COFF assembler directive "${w}"`);
      const mapped = mapTokens(st, COFF_TOKENS, mapSym);
      if (indexOutside(mapped, '@') >= 0) fail(file, lineNo, line, 'unsupported COFF relocation operator (@…)');
      emitted.push(mapped);
    }
    out.push(emitted.join('; '));
  });
  return { text: `${out.join('\n')}\n`, symbols };
}

// ------------------------------------------------------------- Mach-O (Apple arm64) → ELF AArch64

function machoSection(file: string, lineNo: number, line: string, seg: string, sect: string): string | null {
  const key = `${seg},${sect}`;
  switch (key) {
    case '__TEXT,__text':
    case '__TEXT,__StaticInit':
      return '.text';
    case '__TEXT,__const':
    case '__TEXT,__cstring':
    case '__TEXT,__literal4':
    case '__TEXT,__literal8':
    case '__TEXT,__literal16':
    case '__TEXT,__ustring':
      return '.section .rodata';
    case '__DATA,__data':
      return '.data';
    case '__DATA,__const':
    case '__DATA_CONST,__const':
      return '.section .data.rel.ro,"aw",@progbits';
    case '__DATA,__bss':
    case '__DATA,__common':
      return '.bss';
    case '__DATA,__mod_init_func':
      return '.section .init_array,"aw",@init_array';
    case '__DATA,__mod_term_func':
      return '.section .fini_array,"aw",@fini_array';
  }
  if (seg === '__DWARF' || key === '__LD,__compact_unwind' || key === '__TEXT,__eh_frame' || key === '__LLVM,__cg_profile' || key === '__DATA,__llvm_addrsig') return null;
  return fail(file, lineNo, line, `unsupported Mach-O section ${key}`);
}

const MACHO_SHORT_SECTIONS: Record<string, string> = {
  '.text': '.text',
  '.data': '.data',
  '.const': '.section .rodata',
  '.cstring': '.section .rodata',
  '.literal4': '.section .rodata',
  '.literal8': '.section .rodata',
  '.literal16': '.section .rodata',
  '.const_data': '.section .data.rel.ro,"aw",@progbits',
};
const MACHO_DROP = new Set(['.build_version', '.macosx_version_min', '.ios_version_min', '.subsections_via_symbols', '.loh', '.data_region', '.end_data_region', '.alt_entry', '.no_dead_strip', '.addrsig', '.addrsig_sym', '.linker_option']);
const MACHO_KEEP = new Set(['.p2align', '.align', '.balign', '.byte', '.short', '.hword', '.word', '.long', '.int', '.quad', '.xword', '.octa', '.ascii', '.asciz', '.string', '.zero', '.space', '.skip', '.fill', '.file', '.ident', '.set', '.equ', '.loc', '.globl', '.global', '.single', '.float', '.double']);

function translateMachO(asm: string, file: string): Translation {
  const lines = asm.split('\n');
  const stmtOf = (line: string) => stripComment(line, ';').trim();

  const defined = new Set<string>();
  const inText = new Set<string>(); // labels defined in __TEXT,__text (functions, if global)
  {
    let text = true;
    for (const line of lines) {
      let st = stmtOf(line);
      let lab: ReturnType<typeof splitLabel>;
      while (st && (lab = splitLabel(st, MACHO_TOKENS))) {
        defined.add(lab[0]);
        if (text) inText.add(lab[0]);
        st = lab[2].trim();
      }
      const w = firstWord(st);
      if (w === '.section') text = /^__TEXT\s*,\s*__text\b/.test(st.slice(w.length).trim());
      else if (w in MACHO_SHORT_SECTIONS) text = w === '.text';
    }
  }

  // Darwin spells C symbols with a leading underscore (asm labels such as "probe_stub" without);
  // L/l-prefixed names are assembler-local and become ELF .L locals.
  const symbols = new Map<string, string | null>();
  const nameOf = (n: string): string => {
    const known = symbols.get(n);
    if (known) return known;
    const e = defined.has(n) && /^[Ll]/.test(n) ? `.L${n}` : n.startsWith('_') ? n.slice(1) : n;
    symbols.set(n, e);
    return e;
  };

  const out: string[] = [];
  let dropping = false;
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    let st = stmtOf(line);
    const emitted: string[] = [];
    const mapSym = (n: string, quoted: boolean, rest: string): [string, number] | undefined => {
      if (quoted && !defined.has(n)) return undefined;
      const e = nameOf(n);
      const spec = /^@([A-Za-z]+)((?:\s*[+-]\s*(?:0x[0-9a-fA-F]+|\d+))?)/.exec(rest);
      if (!spec) return [e, 0];
      const addend = (spec[2] ?? '').replace(/\s+/g, '');
      const used = spec[0].length;
      switch (spec[1]) {
        case 'PAGE':
          return [`${e}${addend}`, used];
        case 'PAGEOFF':
          return [`:lo12:${e}${addend}`, used];
        case 'GOTPAGE':
          if (addend) fail(file, lineNo, line, 'GOT reference with an addend');
          return [`:got:${e}`, used];
        case 'GOTPAGEOFF':
          if (addend) fail(file, lineNo, line, 'GOT reference with an addend');
          return [`:got_lo12:${e}`, used];
        default:
          return fail(file, lineNo, line, `unsupported Mach-O relocation operator @${spec[1]}`);
      }
    };
    let lab: ReturnType<typeof splitLabel>;
    while (st && (lab = splitLabel(st, MACHO_TOKENS))) {
      if (!dropping) emitted.push(`${nameOf(lab[0])}:`);
      st = lab[2].trim();
    }
    if (st) {
      const w = firstWord(st);
      const rest = st.slice(w.length).trim();
      const args = splitOutside(rest, ',').map((p) => p.trim());
      const sym = (n: string | undefined) => (n ? nameOf(n.replace(/^"(.*)"$/, '$1')) : fail(file, lineNo, line, `${w} without a symbol`));
      if (w === '.section') {
        const s = machoSection(file, lineNo, line, args[0] ?? '', args[1] ?? '');
        dropping = s === null;
        if (s) emitted.push(s);
      } else if (w in MACHO_SHORT_SECTIONS) {
        dropping = false;
        emitted.push(MACHO_SHORT_SECTIONS[w] as string);
      } else if (dropping || MACHO_DROP.has(w)) {
        // metadata without machine code
      } else if (w === '.private_extern') emitted.push(`.hidden ${sym(args[0])}`);
      else if (w === '.weak_definition' || w === '.weak_reference' || w === '.weak_def_can_be_hidden') emitted.push(`.weak ${sym(args[0])}`);
      else if (w === '.comm' || w === '.lcomm') {
        const bytes = log2Align(file, lineNo, line, args[2]);
        const n = sym(args[0]);
        emitted.push(`${w === '.lcomm' ? `.local ${n}; ` : ''}.comm ${n},${args[1]}${bytes !== undefined ? `,${bytes}` : ''}`);
      } else if (w === '.zerofill') {
        // .zerofill seg,sect[,sym,size[,log2align]] defines sym without switching sections.
        if (args.length >= 4) {
          const bytes = log2Align(file, lineNo, line, args[4]) ?? 1;
          const n = sym(args[2]);
          emitted.push(`.pushsection .bss,"aw",@nobits; .p2align ${Math.log2(bytes)}; ${n}: .zero ${args[3]}; .popsection`);
        }
      } else if (w.startsWith('.cfi_')) emitted.push(st);
      else if (w.startsWith('.') && !MACHO_KEEP.has(w)) fail(file, lineNo, line, `unsupported Mach-O assembler directive "${w}"`);
      else {
        const mapped = mapTokens(st, MACHO_TOKENS, mapSym);
        if (indexOutside(mapped, '@') >= 0) fail(file, lineNo, line, 'unsupported Mach-O relocation operator (@…)');
        emitted.push(mapped);
      }
    }
    out.push(emitted.join('; '));
  });

  // ELF function types for the global text labels (disassembly, backtraces).
  const text = out.join('\n');
  const funcs: string[] = [];
  for (const line of lines) {
    const m = /^\s*\.globl\s+(\S+)/.exec(stmtOf(line));
    if (m && inText.has(m[1] as string)) funcs.push(nameOf(m[1] as string));
  }
  const typed = funcs.length ? `${text}\n${funcs.map((f) => `.type ${f},%function`).join('\n')}\n` : `${text}\n`;
  return { text: typed, symbols };
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** For each `file:line:` in assembler stderr: the foreign compiler's line and its translation. */
function offendingLines(stderr: string, elfAsm: string, original: string, translated: string): string {
  const orig = original.split('\n');
  const tr = translated.split('\n');
  const seen = new Set<number>();
  const notes: string[] = [];
  const base = elfAsm.split('/').pop() ?? elfAsm;
  for (const m of stderr.matchAll(/([^\s:]+):(\d+):/g)) {
    if (!(m[1] as string).endsWith(base)) continue;
    const n = Number(m[2]);
    if (seen.has(n)) continue;
    seen.add(n);
    notes.push(`  line ${n}: foreign asm: ${(orig[n - 1] ?? '').trim()}\n  line ${n}: converted:   ${(tr[n - 1] ?? '').trim()}`);
  }
  return notes.length ? `\noffending asm line(s):\n${notes.join('\n')}` : '';
}

// ---------------------------------------------------------------------------------------------
// Verification: same code bytes (outside relocated fields) and the same symbols.

interface ObjInfo {
  sections: Map<string, Buffer>;
  relocs: Map<string, { offset: number; type: string; target: string }[]>;
  definedGlobals: Set<string>;
  undefined: Set<string>;
}

async function objInfo(path: string, textSection: string): Promise<ObjInfo> {
  const [dump, rel, defs, undefs] = await Promise.all([
    mustExec(['llvm-objdump', '-s', `--section=${textSection}`, path]),
    mustExec(['llvm-objdump', '-r', path]),
    mustExec(['llvm-nm', '--extern-only', '--defined-only', '--format=just-symbols', path]),
    mustExec(['llvm-nm', '--undefined-only', '--format=just-symbols', path]),
  ]);
  const sections = new Map<string, Buffer>();
  const bytesOf = new Map<string, number[]>();
  let cur: number[] | null = null;
  for (const l of dump.split('\n')) {
    const h = /^Contents of section (?:[^,\s]+,)?(\S+):/.exec(l);
    if (h) {
      cur = [];
      bytesOf.set(h[1] as string, cur);
      continue;
    }
    const d = /^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?){1,4})/.exec(l);
    if (d && cur) for (const word of (d[1] as string).trim().split(/\s+/)) for (let i = 0; i < word.length; i += 2) cur.push(parseInt(word.slice(i, i + 2), 16));
  }
  for (const [name, bytes] of bytesOf) sections.set(name, Buffer.from(bytes));
  const relocs = new Map<string, { offset: number; type: string; target: string }[]>();
  let rs: { offset: number; type: string; target: string }[] | null = null;
  for (const l of rel.split('\n')) {
    const h = /^RELOCATION RECORDS FOR \[(?:[^,\]]+,)?([^\]]+)\]:/.exec(l);
    if (h) {
      rs = [];
      relocs.set(h[1] as string, rs);
      continue;
    }
    const r = /^([0-9a-f]+) (\S+)\s*(.*)$/.exec(l);
    if (r && rs) rs.push({ offset: parseInt(r[1] as string, 16), type: r[2] as string, target: (r[3] as string).trim() });
  }
  const set = (s: string) => new Set(s.split('\n').map((x) => x.trim()).filter(Boolean));
  return { sections, relocs, definedGlobals: set(defs), undefined: set(undefs) };
}

/** Throws unless the ELF object has the reference (COFF / Mach-O) object's code bytes, outside relocated fields, and its symbols. */
export async function verifyForeignObject(flavor: ForeignFlavor, refObj: string, elfObj: string, symbols: Map<string, string | null>): Promise<void> {
  const apple = flavor === 'apple-arm64-clang';
  const refText = apple ? '__text' : '.text';
  const [ref, elf] = await Promise.all([objInfo(refObj, refText), objInfo(elfObj, '.text')]);
  const problems: string[] = [];
  const a = ref.sections.get(refText) ?? Buffer.alloc(0);
  const b = elf.sections.get('.text') ?? Buffer.alloc(0);
  // GNU as for PE pads .text to 16 bytes with nops; that tail is not code.
  const padded = a.length > b.length && a.length - b.length < 16 && a.subarray(b.length).every((x) => x === 0x90 || x === 0);
  if (a.length !== b.length && !padded) problems.push(`code size differs: ${refText} ${a.length} bytes, ELF .text ${b.length} bytes`);
  else {
    const relocated = [...(ref.relocs.get(refText) ?? []), ...(elf.relocs.get('.text') ?? [])];
    const ma = Buffer.from(a.subarray(0, b.length)), mb = Buffer.from(b);
    for (const r of relocated) {
      if (apple) {
        for (const buf of [ma, mb]) {
          if (r.offset + 4 > buf.length) continue;
          const w = buf.readUInt32LE(r.offset);
          const mask = (w & 0x7c000000) === 0x14000000 ? 0xfc000000 : (w & 0x1f000000) === 0x10000000 ? 0x9f00001f : 0xffc003ff;
          buf.writeUInt32LE((w & mask) >>> 0, r.offset);
        }
      } else {
        const size = /(?:_|ADDR)64$/.test(r.type) ? 8 : 4;
        ma.fill(0, r.offset, r.offset + size);
        mb.fill(0, r.offset, r.offset + size);
      }
    }
    const diff = ma.findIndex((x, i) => x !== mb[i]);
    if (diff >= 0) problems.push(`code bytes differ at .text+0x${diff.toString(16)}`);
  }
  const mapName = (n: string) => (symbols.has(n) ? symbols.get(n) : apple && n.startsWith('_') ? n.slice(1) : n);
  const expectDefs = new Set([...ref.definedGlobals].map(mapName).filter((n): n is string => !!n && !n.startsWith('.L')));
  const expectUndefs = new Set([...ref.undefined].map(mapName).filter((n): n is string => !!n && !n.startsWith('.L')));
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  if (!same(expectDefs, elf.definedGlobals)) problems.push(`defined globals differ: foreign ${[...expectDefs].sort().join(' ')} / ELF ${[...elf.definedGlobals].sort().join(' ')}`);
  if (!same(expectUndefs, elf.undefined)) problems.push(`undefined symbols differ: foreign ${[...expectUndefs].sort().join(' ')} / ELF ${[...elf.undefined].sort().join(' ')}`);
  if (problems.length) throw new Error(`${flavor}: the ELF object is not a faithful translation of ${refObj}:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(argv: string[]): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd as string, args, { maxBuffer: 256 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      const code = e ? (typeof e.code === 'number' ? e.code : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (e ? e.message : '') });
    });
  });
}

async function mustExec(argv: string[]): Promise<string> {
  const r = await exec(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
