// Seeded random struct/union declarations for the compiler-differential layout test. Every
// declaration is valid C for the target it is generated for, so one compile checks hundreds.

import type { DataModel } from '../../../src/abi/targets';

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, and good enough to pick shapes. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** A named record of a case and the members whose positions the compilers are asked for. */
export interface ProbedRecord {
  readonly spelling: string;
  /** Named non-bit-field members, reachable through anonymous members. */
  readonly members: readonly string[];
  /** Named bit-fields, reachable through anonymous members. */
  readonly bitFields: readonly string[];
}

export interface GeneratedCase {
  readonly decls: string;
  readonly records: readonly ProbedRecord[];
}

interface Scalar {
  readonly spelling: string;
  readonly size: number;
  readonly align: number;
  /** Usable as a bit-field type. */
  readonly integer: boolean;
  /** A typedef declared by the case with an `aligned` attribute: arrays only when align <= size. */
  readonly arrayable: boolean;
  /** `_Bool` (or a typedef of it): bit-fields of it are at most one bit wide. */
  readonly bool?: boolean;
}

interface RecordShape {
  readonly spelling: string;
  readonly align: number;
  /** Size is zero or it ends in a flexible array: keep it out of arrays and other records' middles. */
  readonly special: boolean;
}

/** The typedef names the engine knows as builtins; the compiled file defines them from compiler macros. */
export const COMPILER_PRELUDE = [
  'typedef __SIZE_TYPE__ size_t;', 'typedef __PTRDIFF_TYPE__ ptrdiff_t;', 'typedef __WCHAR_TYPE__ wchar_t;',
  'typedef __INT8_TYPE__ int8_t;', 'typedef __UINT16_TYPE__ uint16_t;', 'typedef __INT32_TYPE__ int32_t;',
  'typedef __UINT64_TYPE__ uint64_t;', 'typedef __INTPTR_TYPE__ intptr_t;', 'typedef __UINTPTR_TYPE__ uintptr_t;',
].join('\n');

function scalarsOf(model: DataModel): Scalar[] {
  const s = (spelling: string, size: number, align: number, integer: boolean): Scalar => ({ spelling, size, align, integer, arrayable: true });
  const long = model.long.size;
  const list = [
    s('char', 1, 1, true), s('signed char', 1, 1, true), s('unsigned char', 1, 1, true), { ...s('_Bool', 1, 1, true), bool: true },
    s('short', 2, 2, true), s('unsigned short', 2, 2, true), s('int', 4, 4, true), s('unsigned int', 4, 4, true),
    s('long', long, long, true), s('unsigned long', long, long, true), s('long long', 8, 8, true),
    s('unsigned long long', 8, 8, true), s('__int128', 16, 16, true), s('unsigned __int128', 16, 16, true),
    s('float', 4, 4, false), s('double', 8, 8, false), s('long double', model.longDouble.size, model.longDouble.align, false),
    s('_Complex float', 8, 4, false), s('_Complex double', 16, 8, false),
    s('_Complex long double', model.longDouble.size * 2, model.longDouble.align, false),
    s('void *', 8, 8, false), s('size_t', 8, 8, true), s('wchar_t', model.wchar.size, model.wchar.align, true),
    s('int8_t', 1, 1, true), s('uint16_t', 2, 2, true), s('int32_t', 4, 4, true), s('uint64_t', 8, 8, true),
    s('intptr_t', 8, 8, false), s('ptrdiff_t', 8, 8, false),
  ];
  if (model.float128) list.push(s('__float128', model.float128.size, model.float128.align, false));
  return list;
}

const ALIGNMENTS = [1, 2, 4, 8, 16, 32];

/** Builds one case: a few helper records, then a main one, sometimes under `#pragma pack`. */
export function generateCase(rng: Rng, index: number, model: DataModel): GeneratedCase {
  const gen = new CaseGenerator(rng, `c${index}_`, scalarsOf(model));
  const lines: string[] = [];
  const pack = rng.chance(0.2) ? rng.pick([1, 2, 4, 8, 16]) : null;
  const packStyle = rng.int(0, 2);
  if (pack !== null) lines.push(packStyle === 0 ? `#pragma pack(push, ${pack})` : packStyle === 1 ? `#pragma pack(${pack})` : `#pragma pack(push)\n#pragma pack(${pack})`);
  const typedefs = rng.int(0, 2);
  for (let i = 0; i < typedefs; i++) lines.push(gen.alignedTypedef());
  if (rng.chance(0.3)) lines.push(gen.enumeration(model));
  const helpers = rng.int(0, 2);
  for (let i = 0; i <= helpers; i++) lines.push(gen.record(i === helpers ? 3 : 2));
  if (pack !== null) lines.push(packStyle === 1 ? '#pragma pack()' : '#pragma pack(pop)');
  return { decls: lines.join('\n'), records: gen.probed };
}

class CaseGenerator {
  readonly probed: ProbedRecord[] = [];
  private readonly records: RecordShape[] = [];
  private counter = 0;

  constructor(private readonly rng: Rng, private readonly prefix: string, private readonly scalars: Scalar[]) {}

  private fresh(kind: string): string {
    return `${this.prefix}${kind}${this.counter++}`;
  }

  /** `typedef T name __attribute__((aligned(N)))`, which may lower T's alignment. */
  alignedTypedef(): string {
    const base = this.rng.pick(this.scalars.filter((s) => !s.spelling.includes('*')));
    const align = this.rng.pick([1, 2, 4, 8, 16]);
    const name = this.fresh('t');
    this.scalars.push({ ...base, spelling: name, align, arrayable: align <= base.size });
    return `typedef ${base.spelling} ${name} __attribute__((aligned(${align})));`;
  }

  /** An enum whose values sometimes need 8 bytes (not on MSVC, where enums are int). */
  enumeration(model: DataModel): string {
    const name = this.fresh('e');
    const msvc = model.recordLayout === 'ms' && model.compiler === 'clang';
    const big = !msvc && this.rng.chance(0.3);
    const negative = this.rng.chance(0.3);
    const values = [`${name}_a = ${negative ? '-3' : '0'}`, `${name}_b = ${big ? '(1ULL << 40)' : `${name}_a + 7`}`, `${name}_c`];
    const size = big ? 8 : 4;
    this.scalars.push({ spelling: `enum ${name}`, size, align: size, integer: true, arrayable: true });
    return `enum ${name} { ${values.join(', ')} };`;
  }

  record(budget: number): string {
    const rng = this.rng;
    const tag = rng.chance(0.22) ? 'union' : 'struct';
    const name = this.fresh('r');
    const spelling = `${tag} ${name}`;
    const probe = { members: [] as string[], bitFields: [] as string[] };
    const count = rng.chance(0.03) ? 0 : rng.int(1, 7);
    const body: string[] = [];
    for (let i = 0; i < count; i++) body.push(this.member(tag, budget, probe));
    let flexible = false;
    if (tag === 'struct' && count > 0 && probe.members.length + probe.bitFields.length > 0 && rng.chance(0.06)) {
      const elem = rng.pick(this.scalars.filter((s) => s.arrayable));
      const m = this.fresh('m');
      body.push(`${elem.spelling} ${m}[];`);
      probe.members.push(m);
      flexible = true;
    }
    const packed = rng.chance(0.15) ? rng.pick(['__attribute__((packed))', '__attribute__((__packed__))']) : '';
    const aligned = rng.chance(0.1) ? `__attribute__((aligned(${rng.pick(ALIGNMENTS)})))` : '';
    const attrs = [packed, aligned].filter(Boolean).join(' ');
    const before = rng.chance(0.5);
    const text = `${tag} ${before ? attrs + ' ' : ''}${name} { ${body.join(' ')} }${before ? '' : ' ' + attrs};`;
    this.probed.push({ spelling, ...probe });
    // Alignment is only used to pick sensible _Alignas values later; a lower bound is enough.
    this.records.push({ spelling, align: 1, special: flexible || count === 0 });
    return text;
  }

  private member(_tag: string, budget: number, probe: { members: string[]; bitFields: string[] }): string {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.25) return this.bitField(probe);
    const usable = this.records.filter((r) => !r.special);
    if (roll < 0.35 && usable.length > 0) {
      const rec = rng.pick(usable);
      const m = this.fresh('m');
      probe.members.push(m);
      return `${rec.spelling} ${m}${this.dims(0.3)}${this.memberAttrs(1)};`;
    }
    if (roll < 0.42 && budget > 0) {
      const inner = rng.chance(0.3) ? 'union' : 'struct';
      const members: string[] = [];
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++) members.push(this.member(inner, budget - 1, probe));
      return `${inner} { ${members.join(' ')} }${this.memberAttrs(1)};`;
    }
    if (roll < 0.45) {
      const m = this.fresh('m');
      probe.members.push(m);
      return rng.chance(0.5) ? `int (*${m}${this.dims(0.2)})(int);` : `struct ${this.prefix}self *${m};`;
    }
    const scalar = rng.pick(this.scalars);
    const m = this.fresh('m');
    probe.members.push(m);
    const dims = scalar.arrayable ? this.dims(0.25) : '';
    if (scalar.arrayable && rng.chance(0.05)) return `${scalar.spelling} ${m}[0];`;
    return `${this.alignas(scalar)}${scalar.spelling} ${m}${dims}${this.memberAttrs(scalar.align)};`;
  }

  private bitField(probe: { bitFields: string[] }): string {
    const rng = this.rng;
    const type = rng.pick(this.scalars.filter((s) => s.integer));
    const max = type.bool ? 1 : type.size * 8;
    if (rng.chance(0.25)) {
      const width = rng.chance(0.4) ? 0 : rng.int(1, max);
      return `${type.spelling} : ${width}${this.memberAttrs(type.align, 0.05)};`;
    }
    const m = this.fresh('m');
    probe.bitFields.push(m);
    return `${type.spelling} ${m} : ${rng.int(1, max)}${this.memberAttrs(type.align, 0.08)};`;
  }

  private dims(p: number): string {
    if (!this.rng.chance(p)) return '';
    const n = this.rng.int(1, 2);
    let out = '';
    for (let i = 0; i < n; i++) out += `[${this.rng.int(1, 3)}]`;
    return out;
  }

  private alignas(scalar: Scalar): string {
    if (!this.rng.chance(0.04)) return '';
    const options = ALIGNMENTS.filter((a) => a >= scalar.align);
    return `_Alignas(${this.rng.pick(options)}) `;
  }

  private memberAttrs(_natural: number, p = 0.12): string {
    const rng = this.rng;
    if (!rng.chance(p)) return '';
    const parts: string[] = [];
    if (rng.chance(0.5)) parts.push('__attribute__((packed))');
    if (parts.length === 0 || rng.chance(0.3)) parts.push(rng.chance(0.1) ? '__attribute__((aligned))' : `__attribute__((aligned(${rng.pick(ALIGNMENTS)})))`);
    return ' ' + parts.join(' ');
  }
}
