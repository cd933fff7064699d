// Seeded generator of random valid C signatures for one target × compiler, as contract
// requests plus the C needed to give every argument a value. Tags are prefixed per case
// (`c12_s0`) so that many cases can share one C file.

import { type Aggregate, type CType, type Field, aggregateDecl, assignValue } from './ctypes';
import { Rng } from './rng';

export type TargetId = 'x86_64-sysv' | 'x86_64-win64' | 'aarch64-aapcs64' | 'arm64-apple';
export type CompilerId = 'gcc' | 'clang';

/** What the compiler of a run can express with the same meaning as on the real target. */
export interface Profile {
  target: TargetId;
  compiler: CompilerId;
  long: boolean; // `long` (LLP64 on real Win64; LP64 under Linux ms_abi, so off there)
  longDouble: boolean;
  bitfields: boolean;
  float128: boolean;
  int128: boolean;
  emptyStruct: boolean;
  /** `__attribute__((packed))` records: Itanium and Microsoft layouts differ once alignment attributes meet packing. */
  packed: boolean;
}

export interface PlaceRequest {
  id: string;
  target: TargetId;
  compiler: CompilerId;
  decls: string;
  proto: string;
  variadic_args?: string[];
}

export interface ProbeCase {
  request: PlaceRequest;
  /** Fixed parameters then the variadic arguments, as fields `p0…`/`va0…` of the args struct. */
  args: { name: string; type: CType }[];
  ret: CType | null; // null: void
  nfixed: number;
  variadic: boolean;
  /** Statements giving `a->…` its values (`a` points to the case's args struct). */
  setup: string[];
}

const INTS: [string, number, boolean][] = [
  ['char', 8, true], ['signed char', 8, true], ['unsigned char', 8, false],
  ['short', 16, true], ['unsigned short', 16, false], ['int', 32, true], ['unsigned int', 32, false],
  ['long long', 64, true], ['unsigned long long', 64, false],
];
const POINTERS = ['void *', 'int *', 'const char *', 'double *'];

/** Builds the types of one case; everything it declares goes into `decls` in order. */
class CaseBuilder {
  readonly decls: string[] = [];
  private count = 0;
  constructor(readonly rng: Rng, readonly p: Profile, readonly prefix: string) {}

  private tag(kind: string): string {
    return `${this.prefix}${kind}${this.count++}`;
  }

  int(): CType {
    const r = this.rng;
    if (this.p.long && r.bool(0.12)) return r.bool() ? { kind: 'int', c: 'long', bits: 64, signed: true } : { kind: 'int', c: 'unsigned long', bits: 64, signed: false };
    if (this.p.int128 && r.bool(0.06)) return r.bool() ? { kind: 'int', c: '__int128', bits: 128, signed: true } : { kind: 'int', c: 'unsigned __int128', bits: 128, signed: false };
    if (r.bool(0.06)) return { kind: 'bool', c: '_Bool' };
    const [c, bits, signed] = r.pick(INTS);
    return { kind: 'int', c, bits, signed };
  }

  enumType(): CType {
    const tag = this.tag('e');
    const n = this.rng.int(1, 4);
    const names = Array.from({ length: n }, (_, i) => `${tag}_${i}`);
    const values = names.map((nm) => `${nm} = ${this.rng.int(-3, 1000)}`);
    this.decls.push(`enum ${tag} { ${values.join(', ')} };`);
    return { kind: 'enum', c: `enum ${tag}`, names };
  }

  floatType(): CType {
    const r = this.rng;
    const options: [number, CType][] = [[5, { kind: 'float', c: 'float' }], [5, { kind: 'float', c: 'double' }]];
    if (this.p.longDouble) options.push([2, { kind: 'float', c: 'long double' }]);
    if (this.p.float128) options.push([1, { kind: 'float', c: '__float128' }]);
    options.push([1, { kind: 'complex', c: '_Complex float', base: 'float' }], [1, { kind: 'complex', c: '_Complex double', base: 'double' }]);
    if (this.p.longDouble) options.push([0.5, { kind: 'complex', c: '_Complex long double', base: 'long double' }]);
    return r.weighted(options);
  }

  scalar(): CType {
    return this.rng.weighted<() => CType>([
      [6, () => this.int()],
      [5, () => this.floatType()],
      [1, () => this.enumType()],
      [1, () => ({ kind: 'ptr', c: this.rng.pick(POINTERS) })],
    ])();
  }

  private declare(kind: 'struct' | 'union', fields: Field[], attrs = ''): Aggregate {
    const a: Aggregate = { kind, c: `${kind} ${this.tag(kind === 'struct' ? 's' : 'u')}`, fields, attrs };
    this.decls.push(aggregateDecl(a));
    return a;
  }

  /** A homogeneous floating-point aggregate of 1–5 members, possibly nested or in arrays. */
  hfa(): Aggregate {
    const r = this.rng;
    const base: CType = { kind: 'float', c: r.pick(this.p.longDouble && r.bool(0.2) ? ['long double'] : ['float', 'double']) as 'float' };
    let left = r.weighted([[2, 1], [3, 2], [4, 3], [4, 4], [2, 5]] as const);
    const fields: Field[] = [];
    while (left > 0) {
      const n = r.int(1, left);
      const name = `m${fields.length}`;
      if (n === 1 || r.bool(0.3)) {
        fields.push({ name, type: base, dims: [] });
        left -= 1;
      } else if (r.bool()) {
        fields.push({ name, type: base, dims: [n] });
        left -= n;
      } else {
        const inner = this.declare('struct', Array.from({ length: n }, (_, i) => ({ name: `m${i}`, type: base, dims: [] })));
        fields.push({ name, type: inner, dims: [] });
        left -= n;
      }
    }
    return this.declare('struct', fields);
  }

  bitfield(name: string | null): Field {
    const r = this.rng;
    if (r.bool(0.15)) return { name: null, type: { kind: 'int', c: 'int', bits: 32, signed: true }, dims: [], bits: 0 };
    const choices: CType[] = [
      { kind: 'int', c: 'int', bits: 32, signed: true }, { kind: 'int', c: 'unsigned int', bits: 32, signed: false },
      { kind: 'int', c: 'unsigned char', bits: 8, signed: false }, { kind: 'int', c: 'short', bits: 16, signed: true },
      { kind: 'int', c: 'long long', bits: 64, signed: true }, { kind: 'bool', c: '_Bool' },
    ];
    const type = r.pick(choices);
    const max = type.kind === 'bool' ? 1 : (type as { bits: number }).bits;
    return { name, type, dims: [], bits: r.int(1, max) };
  }

  /** A general struct or union; `budget` bounds its rough size in bytes. */
  aggregate(depth: number, budget: number): Aggregate {
    const r = this.rng;
    if (depth === 0) {
      const special = r.weighted<string>([[6, 'mixed'], [3, 'hfa'], [1, 'empty'], [1, 'big'], [1, 'fchars']]);
      if (special === 'hfa') return this.hfa();
      if (special === 'empty' && this.p.emptyStruct) return this.declare('struct', []);
      if (special === 'big') {
        const t = this.int();
        return this.declare('struct', [{ name: 'm0', type: t, dims: [r.int(3, 6)] }, { name: 'm1', type: this.scalar(), dims: [] }]);
      }
      if (special === 'fchars') return this.declare('struct', [{ name: 'm0', type: { kind: 'int', c: 'char', bits: 8, signed: true }, dims: [r.int(1, 7)] }]);
    }
    const kind = r.bool(0.2) ? 'union' : 'struct';
    const n = r.int(1, 5);
    const fields: Field[] = [];
    let used = 0;
    for (let i = 0; i < n && used < budget; i++) {
      const name = `m${i}`;
      const pick = r.weighted<string>([[7, 'scalar'], [2, 'array'], [depth < 2 ? 2 : 0, 'nested'], [this.p.bitfields ? 2 : 0, 'bits']]);
      let f: Field;
      if (pick === 'bits') f = this.bitfield(r.bool(0.8) ? name : null);
      else if (pick === 'nested') f = { name, type: this.aggregate(depth + 1, budget / 2), dims: r.bool(0.2) ? [2] : [] };
      else f = { name, type: this.scalar(), dims: pick === 'array' ? [r.int(1, 4)] : [] };
      // _Alignas may not lower a member's alignment: only 16 on scalars (nothing we generate needs more).
      if (f.bits === undefined && f.type.kind !== 'struct' && f.type.kind !== 'union' && r.bool(0.05)) f.pre = '_Alignas(16) ';
      else if (f.bits === undefined && r.bool(0.04)) f.post = ` __attribute__((aligned(${r.pick([4, 8, 16])})))`;
      used += 16 * (f.dims[0] ?? 1);
      fields.push(f);
    }
    const attrs = r.weighted([[10, ''], [this.p.packed ? 1.5 : 0, ' __attribute__((packed))'], [1, ` __attribute__((aligned(${r.pick([8, 16, 32])})))`]]);
    return this.declare(kind, fields, attrs);
  }

  argType(): CType {
    return this.rng.bool(0.45) ? this.aggregate(0, 48) : this.scalar();
  }

  varargType(): CType {
    const r = this.rng;
    return r.weighted<() => CType>([
      [4, () => ({ kind: 'int', c: 'int', bits: 32, signed: true })],
      [2, () => ({ kind: 'int', c: 'long long', bits: 64, signed: true })],
      [this.p.long ? 1 : 0, () => ({ kind: 'int', c: 'long', bits: 64, signed: true })],
      [4, () => ({ kind: 'float', c: 'double' })],
      [this.p.longDouble ? 1 : 0, () => ({ kind: 'float', c: 'long double' })],
      [2, () => ({ kind: 'ptr', c: 'void *' })],
      [2, () => this.aggregate(0, 32)],
    ])();
  }
}

export interface GenerateOptions {
  seed: number;
  count: number;
  /** First case number, so that the prefix (and so the C names) stay unique in a batch. */
  first?: number;
}

/** Random cases for one profile, reproducible from the seed. */
export function generateCases(profile: Profile, opts: GenerateOptions): ProbeCase[] {
  const out: ProbeCase[] = [];
  for (let i = 0; i < opts.count; i++) {
    const n = (opts.first ?? 0) + i;
    const rng = new Rng((opts.seed * 0x9e3779b1 + n * 0x85ebca6b) >>> 0);
    out.push(randomCase(rng, profile, n, `${profile.target}/${profile.compiler}/seed${opts.seed}/${n}`));
  }
  return out;
}

function randomCase(rng: Rng, p: Profile, n: number, id: string): ProbeCase {
  const b = new CaseBuilder(rng, p, `c${n}_`);
  const shape = rng.weighted<string>([[10, 'normal'], [2, 'manyFloats'], [2, 'manyInts'], [1, 'manyMixed']]);
  const count = shape === 'normal' ? rng.int(0, 6) : rng.int(7, 16);
  const fixed: CType[] = [];
  for (let i = 0; i < count; i++) {
    if (shape === 'manyFloats' && rng.bool(0.8)) fixed.push(rng.bool(0.85) ? { kind: 'float', c: rng.pick(['float', 'double']) as 'float' } : b.hfa());
    else if (shape === 'manyInts' && rng.bool(0.8)) fixed.push(rng.bool(0.85) ? b.int() : b.aggregate(1, 16));
    else fixed.push(b.argType());
  }
  const variadic = rng.bool(0.25);
  if (variadic && fixed.length === 0) fixed.push(b.scalar());
  const va: CType[] = variadic ? Array.from({ length: rng.int(1, 5) }, () => b.varargType()) : [];
  const ret = rng.weighted<() => CType | null>([[2, () => null], [4, () => b.scalar()], [4, () => b.aggregate(0, 64)]])();
  return assemble(b.decls, fixed, va, variadic, ret, p, id, rng);
}

/** Turns chosen types into a case: the prototype, the request and the value statements. */
export function assemble(decls: string[], fixed: CType[], va: CType[], variadic: boolean, ret: CType | null, p: Profile, id: string, rng: Rng): ProbeCase {
  const params = fixed.map((t, i) => `${t.c} p${i}`);
  if (variadic) params.push('...');
  const proto = `${ret ? ret.c : 'void'} f(${params.length ? params.join(', ') : 'void'})`;
  const request: PlaceRequest = { id, target: p.target, compiler: p.compiler, decls: decls.join(' '), proto };
  if (variadic) request.variadic_args = va.map((t) => t.c);
  const args = [...fixed.map((type, i) => ({ name: `p${i}`, type })), ...va.map((type, i) => ({ name: `va${i}`, type }))];
  const setup = args.flatMap((a) => assignValue(rng, `a->${a.name}`, a.type));
  if (ret) setup.push(...assignValue(rng, 'a->ret', ret));
  return { request, args, ret, nfixed: fixed.length, variadic, setup };
}

/** The profiles the probe runs; see targets.ts for how each is compiled and run. */
export function profileFor(target: TargetId, compiler: CompilerId, nativeMsAbi = false): Profile {
  switch (target) {
    case 'x86_64-sysv':
      return { target, compiler, long: true, longDouble: true, bitfields: true, float128: true, int128: true, emptyStruct: true, packed: true };
    case 'x86_64-win64':
      // Linux ms_abi keeps LP64 long, the 80-bit long double and GCC bit-field layout.
      // Empty structs differ too: MSVC-ABI clang gives them a size, and mingw gcc passes them by
      // reference where Linux ms_abi gcc passes nothing, so only the foreign runs cover them;
      // so do packed records, whose Itanium layout differs from Microsoft's.
      if (nativeMsAbi) return { target, compiler, long: false, longDouble: false, bitfields: false, float128: false, int128: true, emptyStruct: false, packed: false };
      return { target, compiler, long: true, longDouble: true, bitfields: true, float128: compiler === 'gcc', int128: true, emptyStruct: true, packed: true };
    case 'aarch64-aapcs64':
    case 'arm64-apple':
      return { target, compiler, long: true, longDouble: true, bitfields: true, float128: false, int128: true, emptyStruct: true, packed: true };
  }
}
