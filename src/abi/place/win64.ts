// x86-64 Windows: every argument takes one 8-byte slot; the first four slots are registers
// (rcx/rdx/r8/r9, or xmm0–3 for float and double), the caller always reserves 32 bytes of
// shadow space for them, and anything not 1, 2, 4 or 8 bytes travels by hidden reference.

import type { CType, CompilerId } from '../model';
import type { ArgPlacement, CallPlacement, Piece } from './placement';
import { alignUp, callArguments, type CallSite } from './common';
import { isMemberlessRecord } from './leaves';

const GPRS = ['rcx', 'rdx', 'r8', 'r9'] as const;
const XMMS = ['xmm0', 'xmm1', 'xmm2', 'xmm3'] as const;
const SHADOW_BYTES = 32;

function isFloatScalar(type: CType): boolean {
  return type.kind === 'float' && (type.format === 'f32' || type.format === 'f64');
}

/** Values of exactly 1, 2, 4 or 8 bytes are passed (and returned) by value. */
function fitsInRegister(type: CType): boolean {
  return type.size === 1 || type.size === 2 || type.size === 4 || type.size === 8;
}

function classificationOf(type: CType): string {
  if (isFloatScalar(type)) return 'floating point (xmm)';
  if (fitsInRegister(type)) return type.kind === 'record' || type.kind === 'complex' ? 'aggregate of 1/2/4/8 bytes, by value' : 'integer';
  return 'by reference (size is not 1, 2, 4 or 8)';
}

function slotLocation(slot: number, type: CType, variadic: boolean): Pick<Piece, 'loc' | 'also'> {
  if (slot >= GPRS.length) return { loc: `stack+${slot * 8}` };
  if (!isFloatScalar(type)) return { loc: GPRS[slot]! };
  // The callee of a variadic function may read a floating-point value from either file.
  return variadic ? { loc: GPRS[slot]!, also: [XMMS[slot]!] } : { loc: XMMS[slot]! };
}

function placeArgument(type: CType, slot: number, variadic: boolean): Piece[] {
  const where = slotLocation(slot, type, variadic);
  if (!fitsInRegister(type)) return [{ offset: 0, size: type.size, ...where, indirect: true }];
  return [{ offset: 0, size: type.size, ...where }];
}

/** `__int128` comes back in xmm0 (clang for the MSVC ABI and mingw gcc agree), not through memory. */
function isInt128(type: CType): boolean {
  return type.kind === 'int' && type.size === 16;
}

function returnsInMemory(type: CType): boolean {
  // A GNU empty struct (mingw gcc; MSVC-ABI clang gives it 4 bytes) returns nothing at all.
  if (type.kind === 'void' || type.size === 0) return false;
  return !isFloatScalar(type) && !fitsInRegister(type) && !isInt128(type);
}

function placeReturn(type: CType): Piece[] {
  if (type.size === 0) return [];
  if (returnsInMemory(type)) return [{ offset: 0, size: type.size, loc: 'rcx', indirect: true }];
  return [{ offset: 0, size: type.size, loc: isFloatScalar(type) || isInt128(type) ? 'xmm0' : 'rax' }];
}

/**
 * mingw gcc passes a record without data members (only unnamed bit-fields) by value in a
 * register slot if one is left, else not at all. One passed by reference (an empty struct `{}`,
 * or any size but 1, 2, 4 or 8) still takes its slot for the pointer.
 */
function takesNoSlot(type: CType, slot: number, compiler: CompilerId): boolean {
  return compiler === 'gcc' && slot >= GPRS.length && fitsInRegister(type) && isMemberlessRecord(type);
}

function returnClassification(type: CType, memoryReturn: boolean): string {
  if (memoryReturn) return 'returned through memory';
  return isInt128(type) ? '128-bit integer, in xmm0' : classificationOf(type);
}

export function placeWin64(call: CallSite, compiler: CompilerId): CallPlacement {
  const retType = call.decl.type.ret;
  const memoryReturn = returnsInMemory(retType);
  let slot = memoryReturn ? 1 : 0;
  const params: ArgPlacement[] = callArguments(call).map((arg) => ({
    ...arg,
    pieces: takesNoSlot(arg.type, slot, compiler) ? [] : placeArgument(arg.type, slot++, arg.variadic),
    classification: classificationOf(arg.type),
  }));
  return {
    target: 'x86_64-win64',
    compiler,
    functionName: call.decl.name,
    params,
    ret: { type: retType, pieces: placeReturn(retType), classification: returnClassification(retType, memoryReturn) },
    sret: memoryReturn ? { loc: 'rcx', returnedIn: 'rax' } : null,
    al: null,
    stackBytes: alignUp(Math.max(SHADOW_BYTES, slot * 8), 16),
    disagreements: [],
  };
}
