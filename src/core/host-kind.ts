// Which kind of host a launch configuration's `program` is: a JavaScript/TypeScript file run by
// node, a Python script run by an interpreter, or a native executable (C/C++, ELF) run as it is.
// Only who starts the process differs; the engines are the same. Decided from the file itself
// (extension, `#!` line, ELF header), so a wrong kind is refused before anything starts.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ErrorCode, userError } from '../engines/common/errors';

export type HostKind = 'node' | 'python' | 'native';

const JS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx']);
const PY = new Set(['.py', '.pyw']);
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_INTERP = 3;

export interface NativeProgramFacts {
  /** Has a symbol table (.symtab): functions have names. */
  symbols: boolean;
  /** Has DWARF (.debug_info): C lines and values. */
  debugInfo: boolean;
}

/** The first `length` bytes of a file (fewer when it is shorter). */
function head(path: string, length: number, position = 0): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Names of the sections of a 64-bit little-endian ELF file, or null when it is not one we can read. */
function elfSectionNames(path: string): string[] | null {
  const header = head(path, 64);
  if (header.length < 64 || header[4] !== 2 || header[5] !== 1) return null; // ELFCLASS64, little-endian
  const shoff = Number(header.readBigUInt64LE(0x28));
  const shentsize = header.readUInt16LE(0x3a);
  const shnum = header.readUInt16LE(0x3c);
  const shstrndx = header.readUInt16LE(0x3e);
  if (shoff === 0 || shnum === 0 || shstrndx >= shnum || shentsize < 64) return null;
  const table = head(path, shentsize * shnum, shoff);
  if (table.length < shentsize * shnum) return null;
  const strings = table.subarray(shstrndx * shentsize);
  const namesAt = Number(strings.readBigUInt64LE(0x18));
  const namesSize = Number(strings.readBigUInt64LE(0x20));
  const names = head(path, Math.min(namesSize, 1 << 20), namesAt);
  const result: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const offset = table.readUInt32LE(i * shentsize);
    const end = names.indexOf(0, offset);
    result.push(names.subarray(offset, end < 0 ? names.length : end).toString('latin1'));
  }
  return result;
}

/** Whether an ELF file has a program interpreter (a PIE executable has; a shared library has not). */
function hasInterpreter(path: string): boolean {
  const header = head(path, 64);
  if (header.length < 64 || header[4] !== 2 || header[5] !== 1) return true; // cannot tell: let gdb decide
  const phoff = Number(header.readBigUInt64LE(0x20));
  const phentsize = header.readUInt16LE(0x36);
  const phnum = header.readUInt16LE(0x38);
  const table = head(path, phentsize * phnum, phoff);
  for (let i = 0; i + 4 <= table.length && i < phnum * phentsize; i += phentsize) {
    if (table.readUInt32LE(i) === PT_INTERP) return true;
  }
  return false;
}

/** Symbols and debug information of a native executable (unknown layouts count as present). */
export function nativeProgramFacts(path: string): NativeProgramFacts {
  const sections = elfSectionNames(path);
  if (!sections) return { symbols: true, debugInfo: true };
  return { symbols: sections.includes('.symtab'), debugInfo: sections.includes('.debug_info') };
}

const attribute = (what: string) => `Check "program" in the launch configuration: ${what}`;

/**
 * The kind of `program` (an absolute path). A missing file, a directory, a shared library or a
 * file of no known kind is a user error that says what `program` must be.
 */
export function hostKindOf(program: string): HostKind {
  let stats;
  try {
    stats = statSync(program);
  } catch {
    throw userError(ErrorCode.ProgramNotFound, `The program ${program} does not exist. ${attribute('it must be an existing file.')}`);
  }
  if (stats.isDirectory()) {
    throw userError(
      ErrorCode.InvalidLaunchConfig,
      `"program" is the directory ${program}; it must be a file: a .js/.ts file, a .py script or a native executable. ${attribute('name the file to run (e.g. ${file} or ${workspaceFolder}/build/app).')}`,
    );
  }
  if (!stats.isFile()) throw userError(ErrorCode.InvalidLaunchConfig, `"program" ${program} is not a regular file. ${attribute('name the file to run.')}`);
  const ext = extname(program).toLowerCase();
  if (JS.has(ext)) return 'node';
  if (PY.has(ext)) return 'python';
  const start = head(program, 256);
  if (start.subarray(0, 4).equals(ELF_MAGIC)) {
    const type = start.length >= 18 ? start.readUInt16LE(16) : 0;
    if (type === ET_EXEC || (type === ET_DYN && hasInterpreter(program))) return 'native';
    throw userError(
      ErrorCode.InvalidLaunchConfig,
      `${program} is a shared library or object file, not a program. ${attribute('name the executable (or the .js/.py program) that loads it.')}`,
    );
  }
  const firstLine = start.toString('latin1').split('\n')[0] ?? '';
  if (firstLine.startsWith('#!') && /python[\d.]*\b/.test(firstLine)) return 'python';
  if (firstLine.startsWith('#!') && /\bnode\b/.test(firstLine)) return 'node';
  throw userError(
    ErrorCode.InvalidLaunchConfig,
    `${program} is none of the programs Polyglot Debug runs: a JavaScript/TypeScript file (.js, .ts…), a Python script (.py) or a native executable (ELF). ${attribute('point it at one of those.')}`,
  );
}

/** A native program Polyglot Debug can show as C: refuses one with no symbols at all. */
export function checkNativeProgram(program: string): { warning?: string } {
  const facts = nativeProgramFacts(program);
  if (!facts.symbols && !facts.debugInfo) {
    throw userError(
      ErrorCode.InvalidLaunchConfig,
      `${program} is stripped (it has neither symbols nor debug information), so its C code cannot be debugged. Rebuild it with \`-g\` and without \`-s\` or \`strip\` (and point "program" at that build).`,
    );
  }
  if (!facts.debugInfo) {
    return { warning: `${program} has no debug information: its C functions show by name only, without lines or values. Rebuild it with \`-g\` to debug its C source.\n` };
  }
  return {};
}
