// The registers of a frame, general-purpose ones first, then the vector registers that carry
// floating-point arguments; values in gdb's natural format.

import type { MiConnection } from './mi-connection';
import { list, num, str, tuple } from './mi-parser';
import type { GdbVariable } from './var-objects';

const GENERAL = /^(r[a-z0-9]+|e?flags|[re]?ip|x\d+|sp|pc|fp|lr|cpsr)$/;
const SEGMENT = /^([c-gs]s|fs_base|gs_base)$/;
const VECTOR = /^(xmm([0-9]|1[0-5])|v\d+)$/;

export class Registers {
  private names: string[] | null = null;

  constructor(private readonly mi: MiConnection) {}

  async read(threadId: number, level: number): Promise<GdbVariable[]> {
    this.names ??= list((await this.mi.command('-data-list-register-names'))['register-names']).map((n) => str(n) ?? '');
    const numbered = this.names.map((name, number) => ({ name, number }));
    const wanted = [GENERAL, SEGMENT, VECTOR].flatMap((group) => numbered.filter((r) => group.test(r.name)));
    const values = await this.values(threadId, level, wanted.map((r) => r.number));
    return wanted.filter((r) => values.has(r.number)).map((r) => ({ name: r.name, value: values.get(r.number)! }));
  }

  private async values(threadId: number, level: number, numbers: number[]): Promise<Map<number, string>> {
    const result = await this.mi.command(
      '-data-list-register-values',
      '--thread',
      String(threadId),
      '--frame',
      String(level),
      '--skip-unavailable',
      'N',
      ...numbers.map(String),
    );
    const out = new Map<number, string>();
    for (const item of list(result['register-values'])) {
      const entry = tuple(item);
      const number = num(entry?.number);
      if (number !== undefined) out.set(number, str(entry?.value) ?? '');
    }
    return out;
  }
}
