// x86-64 System V: classify each eightbyte, then hand out rdi…r9 and xmm0…xmm7, with
// whole arguments falling back to the stack when their registers run out.

import type { CType, CompilerId } from '../model';
import { hasMisalignedMember, leavesOf } from './leaves';
import type { ArgPlacement, CallPlacement, CompilerDisagreement, Piece } from './placement';
import { StackArea, alignUp, callArguments, describeClasses, type CallSite } from './common';

type Class = 'NO_CLASS' | 'INTEGER' | 'SSE' | 'SSEUP' | 'X87' | 'X87UP' | 'COMPLEX_X87' | 'MEMORY';

const GPRS = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'] as const;
const XMMS = ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7'] as const;

function merge(a: Class, b: Class): Class {
  if (a === b) return a;
  if (a === 'NO_CLASS') return b;
  if (b === 'NO_CLASS') return a;
  if (a === 'MEMORY' || b === 'MEMORY') return 'MEMORY';
  if (a === 'INTEGER' || b === 'INTEGER') return 'INTEGER';
  if ([a, b].some((c) => c === 'X87' || c === 'X87UP' || c === 'COMPLEX_X87')) return 'MEMORY';
  return 'SSE';
}

/** The ABI's classification of `type`: one class per eightbyte, or ['MEMORY']. */
export function classify(type: CType, compiler: CompilerId): Class[] {
  if (type.size === 0) return [];
  if (type.kind === 'float' && type.format === 'x87') return ['X87', 'X87UP'];
  if (type.kind === 'float' && type.format === 'f128') return ['SSE', 'SSEUP'];
  if (type.kind === 'complex' && type.elem.kind === 'float' && type.elem.format === 'x87') return ['COMPLEX_X87'];
  if (type.size > 16 || hasMisalignedMember(type)) return ['MEMORY'];
  const classes: Class[] = new Array<Class>(Math.ceil(type.size / 8)).fill('NO_CLASS');
  for (const leaf of leavesOf(type)) {
    // gcc gives unnamed bit-fields no class; clang treats their bytes as integer data.
    if (leaf.kind === 'int' && leaf.unnamedBitField && compiler === 'gcc') continue;
    const leafClasses = leafClass(leaf);
    for (let i = 0; i < leafClasses.length; i++) {
      const index = Math.floor(leaf.offset / 8) + i;
      classes[index] = merge(classes[index] ?? 'NO_CLASS', leafClasses[i] ?? 'NO_CLASS');
    }
  }
  return postMerge(classes);
}

function leafClass(leaf: ReturnType<typeof leavesOf>[number]): Class[] {
  if (leaf.kind === 'int') return leaf.size > 8 ? ['INTEGER', 'INTEGER'] : ['INTEGER'];
  if (leaf.format === 'x87') return ['X87', 'X87UP'];
  if (leaf.format === 'f128') return ['SSE', 'SSEUP'];
  return ['SSE'];
}

function postMerge(classes: Class[]): Class[] {
  if (classes.includes('MEMORY')) return ['MEMORY'];
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === 'X87UP' && classes[i - 1] !== 'X87') return ['MEMORY'];
    if (classes[i] === 'SSEUP' && classes[i - 1] !== 'SSE' && classes[i - 1] !== 'SSEUP') classes[i] = 'SSE';
  }
  // An all-padding eightbyte (e.g. after a zero-width bit-field) still travels in an integer register.
  return classes.map((c) => (c === 'NO_CLASS' ? 'SSE' : c));
}

interface RegisterFile {
  gpr: number;
  sse: number;
}

function piecesFromClasses(type: CType, classes: Class[], regs: RegisterFile): Piece[] | null {
  const needGpr = classes.filter((c) => c === 'INTEGER').length;
  const needSse = classes.filter((c) => c === 'SSE').length;
  if (regs.gpr + needGpr > GPRS.length || regs.sse + needSse > XMMS.length) return null;
  const pieces: Piece[] = [];
  classes.forEach((cls, i) => {
    const offset = i * 8;
    const size = Math.min(8, type.size - offset);
    if (cls === 'INTEGER') pieces.push({ offset, size: scalarSize(type, size), loc: GPRS[regs.gpr++]! });
    else if (cls === 'SSE') {
      const upper = classes[i + 1] === 'SSEUP';
      pieces.push({ offset, size: upper ? 16 : scalarSize(type, size), loc: XMMS[regs.sse++]! });
    }
  });
  return pieces;
}

/** A scalar in a register covers its sizeof; aggregates use min(8, sizeof - offset). */
function scalarSize(type: CType, eightbyteSize: number): number {
  return type.kind === 'int' || type.kind === 'float' || type.kind === 'pointer' ? Math.min(type.size, eightbyteSize) : eightbyteSize;
}

function placeArgument(type: CType, regs: RegisterFile, stack: StackArea, compiler: CompilerId): { pieces: Piece[]; classes: Class[] } {
  const classes = classify(type, compiler);
  if (classes.length === 0) return { pieces: [], classes };
  const inRegs = classes[0] === 'MEMORY' || classes[0] === 'X87' || classes[0] === 'COMPLEX_X87' ? null : piecesFromClasses(type, classes, regs);
  if (inRegs) return { pieces: inRegs, classes };
  const align = Math.min(Math.max(8, type.align), 16);
  return { pieces: [{ offset: 0, size: type.size, loc: stack.take(type.size, align) }], classes };
}

function placeReturn(type: CType, compiler: CompilerId): { pieces: Piece[]; classes: Class[]; memory: boolean } {
  const classes = classify(type, compiler);
  if (classes[0] === 'MEMORY') return { pieces: [{ offset: 0, size: type.size, loc: 'rdi', indirect: true }], classes, memory: true };
  if (classes[0] === 'X87') return { pieces: [{ offset: 0, size: 16, loc: 'st0' }], classes, memory: false };
  if (classes[0] === 'COMPLEX_X87') {
    return { pieces: [{ offset: 0, size: 16, loc: 'st0' }, { offset: 16, size: 16, loc: 'st1' }], classes, memory: false };
  }
  const ints = ['rax', 'rdx'];
  const sses = ['xmm0', 'xmm1'];
  const pieces: Piece[] = [];
  classes.forEach((cls, i) => {
    const offset = i * 8;
    const size = Math.min(8, type.size - offset);
    if (cls === 'INTEGER') pieces.push({ offset, size: scalarSize(type, size), loc: ints.shift()! });
    else if (cls === 'SSE') pieces.push({ offset, size: classes[i + 1] === 'SSEUP' ? 16 : scalarSize(type, size), loc: sses.shift()! });
  });
  return { pieces, classes, memory: false };
}

export function placeSysV(call: CallSite, compiler: CompilerId): CallPlacement {
  const regs: RegisterFile = { gpr: 0, sse: 0 };
  const stack = new StackArea(0);
  const ret = placeReturn(call.decl.type.ret, compiler);
  if (ret.memory) regs.gpr = 1;
  const disagreements: CompilerDisagreement[] = [];
  const params: ArgPlacement[] = callArguments(call).map((arg) => {
    const splitsInt128 = isInt128(arg.type) && regs.gpr === GPRS.length - 1;
    if (splitsInt128) disagreements.push(int128Disagreement(arg.name, compiler));
    const placed =
      splitsInt128 && compiler === 'clang'
        ? { pieces: splitInt128(regs, stack), classes: ['INTEGER', 'INTEGER'] as Class[] }
        : placeArgument(arg.type, regs, stack, compiler);
    return { ...arg, pieces: placed.pieces, classification: describeClasses(placed.classes) };
  });
  return {
    target: 'x86_64-sysv',
    compiler,
    functionName: call.decl.name,
    params,
    ret: { type: call.decl.type.ret, pieces: ret.pieces, classification: describeClasses(ret.classes) },
    sret: ret.memory ? { loc: 'rdi', returnedIn: 'rax' } : null,
    al: call.decl.type.variadic ? regs.sse : null,
    stackBytes: alignUp(stack.used, 16),
    disagreements,
  };
}

function isInt128(type: CType): boolean {
  return type.kind === 'int' && type.size === 16;
}

/** gcc and clang (before 18) part ways on a `__int128` that finds only r9 free. */
function int128Disagreement(name: string, compiler: CompilerId): CompilerDisagreement {
  return compiler === 'gcc'
    ? { chosen: 'gcc', other: 'clang', description: `clang (before 18) splits \`${name}\`: low half in r9, high half on the stack` }
    : { chosen: 'clang', other: 'gcc', description: `gcc passes \`${name}\` wholly on the stack and keeps r9 for later arguments` };
}

function splitInt128(regs: RegisterFile, stack: StackArea): Piece[] {
  const low = GPRS[regs.gpr]!;
  regs.gpr = GPRS.length;
  return [
    { offset: 0, size: 8, loc: low },
    { offset: 8, size: 8, loc: stack.take(8, 8) },
  ];
}
