// The Registers scope of a C frame: general-purpose registers in hex, then the vector registers
// that carry floating-point arguments, in gdb's natural format.

import type { MiConnection } from './mi-connection';
import { list, num, str, tuple } from './mi-output';
import type { GdbVariable } from './var-objects';

const GENERAL = /^(r[a-z0-9]+|e?flags|[re]?ip|x\d+|sp|pc|fp|lr|cpsr)$/;
const VECTOR = /^(xmm\d+|v\d+)$/;

export class Registers {
  private names: string[] | null = null;

  constructor(private readonly mi: MiConnection) {}

  async read(threadId: number, level: number): Promise<GdbVariable[]> {
    this.names ??= list((await this.mi.command('-data-list-register-names'))['register-names']).map((n) => str(n) ?? '');
    const numbered = this.names.map((name, number) => ({ name, number })).filter((r) => GENERAL.test(r.name) || VECTOR.test(r.name));
    const frame = ['--thread', String(threadId), '--frame', String(level)];
    const general = numbered.filter((r) => GENERAL.test(r.name));
    const vector = numbered.filter((r) => VECTOR.test(r.name)).slice(0, 8);
    const hex = await this.values(frame, 'x', general.map((r) => r.number));
    const natural = await this.values(frame, 'N', vector.map((r) => r.number));
    return [...general, ...vector].map((r) => ({ name: r.name, value: hex.get(r.number) ?? natural.get(r.number) ?? '<unavailable>' }));
  }

  private async values(frame: string[], format: string, numbers: number[]): Promise<Map<number, string>> {
    if (numbers.length === 0) return new Map();
    const result = await this.mi.command('-data-list-register-values', ...frame, '--skip-unavailable', format, ...numbers.map(String));
    const out = new Map<number, string>();
    for (const item of list(result['register-values'])) {
      const t = tuple(item);
      const number = num(t?.number);
      if (number !== undefined) out.set(number, str(t?.value) ?? '');
    }
    return out;
  }
}
