// The picture of a call's frame, as rows to draw: argument registers, then the stack from high
// addresses to low — stack arguments with their offsets and the padding between them, Win64's
// shadow space, the return address, and the SysV red zone below the stack pointer. Pure.

import type { FrameAbi } from '../core/frame-abi';

export interface RegisterRow {
  register: string;
  argument: string;
  part: string;
  bytes?: string;
  value?: string;
}

export interface StackRow {
  /** Offset from the canonical frame address (the stack pointer before the call). */
  from: number;
  size: number;
  kind: 'argument' | 'padding' | 'shadow' | 'return-address' | 'red-zone';
  label: string;
  bytes?: string;
  value?: string;
  /** The absolute address, when the frame is live. */
  address?: string;
}

export interface FramePicture {
  registers: RegisterRow[];
  stack: StackRow[];
  notes: string[];
}

const RED_ZONE: Partial<Record<string, number>> = { 'x86_64-sysv': 128, 'arm64-apple': 128 };

export function framePicture(abi: FrameAbi): FramePicture {
  const registers: RegisterRow[] = [];
  const onStack: StackRow[] = [];
  for (const param of abi.params) {
    for (const [index, piece] of param.pieces.entries()) {
      const part = param.pieces.length > 1 ? `bytes ${piece.offset}–${piece.offset + piece.size - 1}` : param.type;
      // A value split over several locations is shown once, beside its first piece.
      const value = index === 0 ? param.value : undefined;
      const stack = /^stack\+(\d+)$/.exec(piece.loc);
      if (stack) {
        onStack.push({ from: Number(stack[1]), size: piece.indirect ? 8 : piece.size, kind: 'argument', label: `${piece.indirect ? 'pointer to ' : ''}${param.name}: ${part}`, bytes: piece.bytes, value });
      } else {
        registers.push({ register: piece.loc, argument: `${piece.indirect ? '&' : ''}${param.name}`, part: piece.indirect ? `pointer to ${param.type}${piece.pointer ? ` at ${piece.pointer}` : ''}` : part, bytes: piece.bytes, value });
      }
    }
  }
  if (abi.sret) registers.unshift({ register: abi.sret.loc, argument: '(sret)', part: `where the ${abi.ret.type} result goes`, bytes: undefined, value: abi.sret.pointer });

  const stack: StackRow[] = [];
  onStack.sort((a, b) => a.from - b.from);
  let end = 0;
  if (abi.target === 'x86_64-win64') {
    stack.push({ from: 0, size: 32, kind: 'shadow', label: 'shadow space: home of rcx, rdx, r8, r9 (owned by the callee)' });
    end = 32;
  }
  for (const row of onStack) {
    if (row.from > end) stack.push({ from: end, size: row.from - end, kind: 'padding', label: 'padding (alignment)' });
    stack.push(row);
    end = Math.max(end, row.from + row.size);
  }
  if (abi.stackBytes > end) stack.push({ from: end, size: abi.stackBytes - end, kind: 'padding', label: 'padding (the area is a multiple of 8/16 bytes)' });
  const x86 = abi.target.startsWith('x86_64');
  if (x86) stack.push({ from: -8, size: 8, kind: 'return-address', label: 'return address (pushed by call)', value: abi.returnAddress });
  const redZone = RED_ZONE[abi.target];
  if (redZone) stack.push({ from: (x86 ? -8 : 0) - redZone, size: redZone, kind: 'red-zone', label: `red zone: ${redZone} bytes below the stack pointer a leaf function may use` });
  const cfa = abi.cfa ? BigInt(abi.cfa) : undefined;
  for (const row of stack) if (cfa !== undefined) row.address = `0x${(cfa + BigInt(row.from)).toString(16)}`;

  const notes = [abi.note];
  if (!x86) notes.push(`The return address is in x30 (lr)${abi.returnAddress ? `: ${abi.returnAddress}` : ''}, not on the stack.`);
  if (abi.stackBytes === 0) notes.push('No argument is passed on the stack.');
  // Highest addresses first, as stacks are drawn.
  return { registers, stack: stack.sort((a, b) => b.from - a.from), notes };
}
