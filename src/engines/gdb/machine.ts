// The machine under a native frame: memory, disassembly and raw register contents, for the DAP
// requests of a native debugger (readMemory, disassemble, …) and for reading arguments where the
// ABI put them. Addresses are bigint: a 64-bit address does not fit a JS number.

import { MiCommandError, type MiConnection } from './mi-connection';
import { list, str, tuple } from './mi-parser';

export interface Instruction {
  address: bigint;
  /** Hex bytes separated by spaces, e.g. `48 89 e5`. */
  bytes?: string;
  text: string;
  symbol?: string;
  path?: string;
  line?: number;
}

export interface MemoryRead {
  address: bigint;
  /** The bytes read from `address` on; shorter than asked when the rest could not be read. */
  data: Uint8Array;
}

/** The longest x86-64 instruction; a window this wide per instruction always holds enough code. */
const MAX_INSTRUCTION_BYTES = 15;

const hex = (value: bigint): string => `0x${value.toString(16)}`;

export class Machine {
  constructor(private readonly mi: MiConnection) {}

  async readMemory(address: bigint, count: number): Promise<MemoryRead> {
    try {
      const result = await this.mi.command('-data-read-memory-bytes', hex(address), String(count));
      // gdb returns the readable runs; we give the first contiguous run from `address`.
      const runs = list(result.memory).map((item) => tuple(item) ?? {});
      const first = runs.find((run) => BigInt(str(run.begin) ?? '-1') === address);
      if (!first) return { address, data: new Uint8Array() };
      return { address, data: Buffer.from(str(first.contents) ?? '', 'hex') };
    } catch (error) {
      if (error instanceof MiCommandError) return { address, data: new Uint8Array() }; // nothing readable there
      throw error;
    }
  }

  async writeMemory(address: bigint, data: Uint8Array): Promise<void> {
    await this.mi.command('-data-write-memory-bytes', hex(address), Buffer.from(data).toString('hex'));
  }

  /**
   * Instructions from `start` to `end` (exclusive), with the source line of each where known.
   * gdb drops the line information of a whole range that starts in code without any.
   */
  async disassembleRange(start: bigint, end: bigint): Promise<Instruction[]> {
    return this.disassembleWith(['-s', hex(start), '-e', hex(end)]);
  }

  private async disassembleWith(range: string[]): Promise<Instruction[]> {
    let result;
    try {
      result = await this.mi.command('-data-disassemble', ...range, '--', '5');
    } catch (error) {
      if (error instanceof MiCommandError) return []; // unmapped memory
      throw error;
    }
    const out: Instruction[] = [];
    for (const item of list(result.asm_insns)) {
      const entry = tuple(item);
      if (!entry) continue;
      // Mode 5 groups instructions by source line; code without line info comes as bare entries.
      const group = tuple(entry.src_and_asm_line);
      const lines = group ? list(group.line_asm_insn) : [item];
      const path = group ? str(group.fullname) : undefined;
      const line = group ? Number(str(group.line)) || undefined : undefined;
      for (const raw of lines) {
        const insn = tuple(raw);
        const address = str(insn?.address);
        if (!insn || !address) continue;
        const func = str(insn['func-name']);
        const offset = str(insn.offset);
        out.push({
          address: BigInt(address),
          bytes: str(insn.opcodes),
          text: str(insn.inst) ?? '',
          symbol: func ? `${func}+${offset ?? 0}` : undefined,
          path,
          line,
        });
      }
    }
    return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /**
   * `count` instructions starting `offset` instructions away from `address` (negative: before it).
   * Code before an address cannot be decoded backwards on x86, so decoding starts far enough
   * before it and is kept only where it lines up with `address`; slots that cannot be filled are
   * marked unreadable, so the caller always gets `count` entries.
   */
  async disassemble(address: bigint, offset: number, count: number): Promise<(Instruction | { address: bigint; unreadable: true })[]> {
    const before = Math.max(0, -offset) + 8;
    const after = Math.max(0, offset + count) + 1;
    let decoded: Instruction[] = [];
    // Decoding from a guessed start can straddle an instruction; shift the start until it syncs.
    for (let shift = 0; shift < MAX_INSTRUCTION_BYTES; shift++) {
      const start = address - BigInt(before * MAX_INSTRUCTION_BYTES + shift);
      decoded = await this.disassembleRange(start > 0n ? start : 0n, address + BigInt(after * MAX_INSTRUCTION_BYTES));
      if (decoded.some((i) => i.address === address) || decoded.length === 0) break;
    }
    let at = decoded.findIndex((i) => i.address === address);
    if (at < 0) {
      decoded = await this.disassembleRange(address, address + BigInt(after * MAX_INSTRUCTION_BYTES));
      at = decoded.findIndex((i) => i.address === address);
    }
    const out: (Instruction | { address: bigint; unreadable: true })[] = [];
    for (let i = 0; i < count; i++) {
      const index = at < 0 ? -1 : at + offset + i;
      const insn = index >= 0 ? decoded[index] : undefined;
      out.push(insn ?? { address: address + BigInt(offset + i), unreadable: true });
    }
    await this.addSourceLines(out);
    return out;
  }

  /** Source lines for instructions that came without them, one function's listing at a time. */
  private async addSourceLines(instructions: (Instruction | { unreadable: true })[]): Promise<void> {
    const lines = new Map<bigint, Instruction>();
    const askedFunctions = new Set<string>();
    for (const insn of instructions) {
      if ('unreadable' in insn || insn.path || !insn.symbol) continue;
      const func = insn.symbol.replace(/\+\d+$/, '');
      if (!askedFunctions.has(func)) {
        askedFunctions.add(func);
        for (const listed of await this.disassembleWith(['-a', hex(insn.address)])) lines.set(listed.address, listed);
      }
      const listed = lines.get(insn.address);
      if (listed?.path) Object.assign(insn, { path: listed.path, line: listed.line });
    }
  }

  /**
   * Whole register contents as unsigned integers (128 bits for vector registers), in the given
   * frame; registers gdb cannot recover there (clobbered by callees) are left out.
   */
  async registerValues(threadId: number, level: number, names: readonly string[]): Promise<Map<string, bigint>> {
    const values = new Map<string, bigint>();
    // All sent at once (gdb answers in order): one round trip, not one per register, at every
    // entry snapshot a step or a breakpoint passes.
    await Promise.all(
      names.map(async (name) => {
        try {
          const result = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', String(level), registerExpression(name));
          const text = str(result.value);
          if (text && /^-?\d+$/.test(text)) values.set(name, BigInt.asUintN(isVector(name) ? 128 : 64, BigInt(text)));
        } catch (error) {
          if (!(error instanceof MiCommandError)) throw error; // unavailable in this frame
        }
      }),
    );
    return new Map(names.filter((n) => values.has(n)).map((n) => [n, values.get(n)!]));
  }
}

const isVector = (name: string): boolean => /^(xmm|v)\d+$/.test(name);

/** A gdb expression for the whole register as an unsigned integer. */
function registerExpression(name: string): string {
  if (/^xmm\d+$/.test(name)) return `$${name}.uint128`;
  if (/^v\d+$/.test(name)) return `$${name}.q.u[0]`;
  return `(unsigned long)$${name}`;
}
