// From all declaration items of a translation unit to the few a prototype or record needs,
// in source order, with `#pragma pack` restated around them; then checked by the engine
// itself, so every prototype we hand out is one it accepts.

import { parseC, type CProgram } from '../../abi/c';
import { builtinTypedef, SPECIFIER_KEYWORDS } from '../../abi/c/scalars';
import { AbiInputError } from '../../abi/model';
import { dataModel, type DataModel } from '../../abi/targets';
import type { DeclItem } from './unit';

/** Validation runs on x86-64 System V: the types a declaration needs are the same on every target. */
const CHECK_MODEL: DataModel = dataModel('x86_64-sysv');

export interface Needed {
  readonly decls: string;
  readonly problems: readonly string[];
  /** Types declared nowhere we can see (system headers); declared opaque in `decls`. */
  readonly unknownTypes: readonly string[];
}

export class DeclIndex {
  private readonly definers = new Map<string, number[]>();
  private readonly programs = new Map<string, CProgram | string>();

  constructor(private readonly items: readonly DeclItem[]) {
    items.forEach((item, index) => {
      for (const key of item.defines) this.definers.set(key, [...(this.definers.get(key) ?? []), index]);
    });
  }

  /** The declarations `uses` reach (and `seed` items), transitively, as engine input. */
  needed(uses: Iterable<string>, typeNames: readonly string[], seed: readonly number[] = []): Needed {
    const selected = new Set<number>();
    const pending = [...seed];
    const want = (keys: Iterable<string>): void => {
      for (const key of keys) for (const index of this.definers.get(key) ?? []) pending.push(index);
    };
    want(uses);
    while (pending.length > 0) {
      const index = pending.pop() as number;
      if (selected.has(index)) continue;
      selected.add(index);
      want((this.items[index] as DeclItem).uses);
    }
    const order = [...selected].sort((a, b) => a - b);
    const chosen = order.map((i) => this.items[i] as DeclItem);
    const unknownTypes = [...new Set([...typeNames, ...chosen.flatMap((item) => item.typeNames)])].filter((name) => this.isUnknownType(name));
    const lines = unknownTypes.map((name) => `typedef struct ${name} ${name};`);
    let pack: number | undefined;
    for (const item of chosen) {
      if (item.pack !== pack) lines.push(item.pack === undefined ? '#pragma pack()' : `#pragma pack(${item.pack})`);
      pack = item.pack;
      lines.push(item.text);
    }
    if (pack !== undefined) lines.push('#pragma pack()');
    return { decls: lines.join('\n'), problems: [...new Set(chosen.flatMap((item) => item.problems))], unknownTypes };
  }

  private isUnknownType(name: string): boolean {
    return !this.definers.has(name) && !SPECIFIER_KEYWORDS.has(name) && builtinTypedef(name, CHECK_MODEL) === null;
  }

  /** The engine's objection to `decls` (+ `prototype`), or null when it accepts them. */
  check(decls: string, prototype?: string): string | null {
    let program = this.programs.get(decls);
    if (program === undefined) {
      try {
        program = parseC(decls, CHECK_MODEL);
      } catch (err) {
        program = describe(err);
      }
      this.programs.set(decls, program);
    }
    if (typeof program === 'string') return `the declarations it needs are not accepted: ${program}`;
    if (prototype === undefined) return null;
    try {
      program.prototype(prototype);
      return null;
    } catch (err) {
      return describe(err);
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof AbiInputError) return err.message;
  return `internal error of the ABI engine: ${err instanceof Error ? err.message : String(err)}`;
}
