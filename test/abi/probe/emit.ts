// Writes the two generated C files of a batch:
//  - callers.c: self-contained (no #include), compiled by the compiler under test for the target.
//    Per case: the declarations, `struct args_N`, `probe_setup_N` (fills the struct: padding
//    0x00 or 0xff, then the values; reports sizeof/offsetof) and `probe_caller_N` (calls the
//    stub through a prototype bound to it with an asm label, stores the result).
//  - cases.c: the engine's predicted pieces as tables for runtime/probe-main.c (host compiler).

import type { PlaceAnswer, PieceJson } from './engine';
import type { ProbeCase } from './generate';

export type Arch = 'x86_64' | 'aarch64';

export interface BatchCase {
  probe: ProbeCase;
  answer: PlaceAnswer;
}

export const LOC = { GPR: 1, VEC: 2, STACK: 3, X87: 4 } as const;

const X86_ARG_GPR = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9', 'rax'];
const X86_RET_GPR = ['rax', 'rdx'];

/** Register names of the dump (arguments) and of the return block, by index. */
export function dumpGprNames(arch: Arch): string[] {
  return arch === 'x86_64' ? X86_ARG_GPR : Array.from({ length: 9 }, (_, i) => `x${i}`);
}
export function vecName(arch: Arch, i: number): string {
  return arch === 'x86_64' ? `xmm${i}` : `v${i}`;
}

/** [kind, index] of a contract location, or an error text. */
export function encodeLoc(arch: Arch, loc: string, isReturn: boolean): [number, number] | string {
  const stack = /^stack\+(\d+)$/.exec(loc);
  if (stack) return [LOC.STACK, Number(stack[1])];
  if (arch === 'x86_64') {
    const gprs = isReturn ? X86_RET_GPR : X86_ARG_GPR;
    if (gprs.includes(loc)) return [LOC.GPR, gprs.indexOf(loc)];
    const xmm = /^xmm([0-7])$/.exec(loc);
    if (xmm && (!isReturn || Number(xmm[1]) < 2)) return [LOC.VEC, Number(xmm[1])];
    if (isReturn && (loc === 'st0' || loc === 'st1')) return [LOC.X87, Number(loc[2])];
  } else {
    const x = /^x([0-8])$/.exec(loc);
    if (x && (!isReturn || Number(x[1]) < 8)) return [LOC.GPR, Number(x[1])];
    const v = /^v([0-7])$/.exec(loc);
    if (v) return [LOC.VEC, Number(v[1])];
  }
  return `location "${loc}" is not one the probe can observe on ${arch}`;
}

/** The case's part of callers.c. `stubAttr` is e.g. `__attribute__((ms_abi))` for native Win64. */
export function callerSource(n: number, pc: ProbeCase, stubAttr: string): string {
  const fields = pc.args.map((a) => `  ${a.type.c} ${a.name};`);
  if (pc.ret) fields.push(`  ${pc.ret.c} ret;`);
  fields.push('  char probe_end;');
  const fixedTypes = pc.args.slice(0, pc.nfixed).map((a) => a.type.c);
  if (pc.variadic) fixedTypes.push('...');
  const retC = pc.ret ? pc.ret.c : 'void';
  const info = ['  info[0] = sizeof *a;'];
  const member = (name: string | null, i: number) =>
    name
      ? `  info[${1 + 2 * i}] = __builtin_offsetof(struct args_${n}, ${name}); info[${2 + 2 * i}] = sizeof a->${name};`
      : `  info[${1 + 2 * i}] = 0; info[${2 + 2 * i}] = 0;`;
  pc.args.forEach((a, i) => info.push(member(a.name, i)));
  info.push(member(pc.ret ? 'ret' : null, pc.args.length));
  const call = `fp(${pc.args.map((a) => `a->${a.name}`).join(', ')})`;
  return [
    `/* ${pc.request.id}: ${pc.request.proto} */`,
    pc.request.decls,
    `struct args_${n} {`,
    ...fields,
    '};',
    // Every case calls the same stub with its own prototype. Declaring the stub once per case
    // (an asm label per prototype) lets clang fold them into one function and rewrite calls to
    // the first prototype, so each case calls it through an opaque pointer of its own type.
    `typedef ${retC} (${stubAttr} *f_${n}_t)(${fixedTypes.length ? fixedTypes.join(', ') : 'void'});`,
    `extern char probe_stub_${n}[] __asm__("probe_stub");`,
    `void probe_setup_${n}(void *args, unsigned long long *info, int fill) {`,
    `  struct args_${n} *a = args;`,
    '  volatile unsigned char *b = args; /* volatile: no memset call in self-contained code */',
    '  for (unsigned long long i = 0; i < sizeof *a; i++) b[i] = (unsigned char)fill;',
    ...pc.setup.map((s) => `  ${s}`),
    ...info,
    '}',
    `void probe_caller_${n}(void *args) {`,
    `  struct args_${n} *a = args;`,
    `  f_${n}_t volatile fp = (f_${n}_t)(void *)probe_stub_${n};`,
    `  ${pc.ret ? 'a->ret = ' : ''}${call};`,
    '}',
    '',
  ].join('\n');
}

function pieceRow(arch: Arch, param: number, p: PieceJson, isReturn: boolean): string {
  const loc = encodeLoc(arch, p.loc, isReturn && !p.indirect); // a hidden pointer arrives like an argument
  if (typeof loc === 'string') throw new Error(loc);
  let also: [number, number] = [0, 0];
  if (p.also && p.also.length > 0) {
    const a = encodeLoc(arch, p.also[0] as string, false);
    if (typeof a === 'string') throw new Error(a);
    also = a;
  }
  return `{${param}, ${loc[0]}, ${loc[1]}, ${p.offset}, ${p.size}, ${p.indirect ? 1 : 0}, ${also[0]}, ${also[1]}}`;
}

/** The case's part of cases.c, or an error text when the answer uses a location we cannot check. */
export function tableSource(n: number, bc: BatchCase, arch: Arch, callConv: string): { decl: string; row: string } | string {
  const { answer, probe } = bc;
  if (answer.params.length !== probe.args.length) return `engine answered ${answer.params.length} params for ${probe.args.length} arguments`;
  const rows: string[] = [];
  try {
    answer.params.forEach((p, i) => p.pieces.forEach((piece) => rows.push(pieceRow(arch, i, piece, false))));
    answer.ret.pieces.forEach((piece) => rows.push(pieceRow(arch, -1, piece, true)));
  } catch (err) {
    return (err as Error).message;
  }
  let sretReg = -1;
  if (answer.sret) {
    const loc = encodeLoc(arch, answer.sret.loc, false);
    if (typeof loc === 'string' || loc[0] !== LOC.GPR) return `sret location ${answer.sret.loc} is not a register`;
    sretReg = loc[1];
  }
  const sizes = [...answer.params.map((p) => p.size), answer.ret.size];
  const decl = [
    `extern void ${callConv} probe_setup_${n}(void *, unsigned long long *, int);`,
    `extern void ${callConv} probe_caller_${n}(void *);`,
    `static const int sizes_${n}[] = {${sizes.join(', ')}};`,
    `static const struct probe_piece pieces_${n}[] = {${rows.length ? rows.join(', ') : '{0}'}};`,
  ].join('\n');
  const al = answer.al ?? -1;
  const row = `{${JSON.stringify(probe.request.id)}, (void *)probe_setup_${n}, (void *)probe_caller_${n}, ${answer.params.length}, sizes_${n}, pieces_${n}, ${rows.length}, ${sretReg}, ${al}}`;
  return { decl, row };
}

export function casesFile(decls: string[], rows: string[], callConv: string): string {
  return [
    '#include "probe.h"',
    ...decls,
    `const struct probe_case probe_cases[] = {${rows.length ? `\n  ${rows.join(',\n  ')}` : '{0}'}\n};`,
    `const int probe_ncases = ${rows.length};`,
    `typedef void (${callConv} *setup_t)(void *, unsigned long long *, int);`,
    `typedef void (${callConv} *caller_t)(void *);`,
    'void probe_call_setup(const struct probe_case *k, void *args, unsigned long long *info, int fill) { ((setup_t)k->setup)(args, info, fill); }',
    'void probe_call_caller(const struct probe_case *k, void *args) { ((caller_t)k->caller)(args); }',
    '',
  ].join('\n');
}
