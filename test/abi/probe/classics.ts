// Hand-picked classic signatures, built for every target with the same types as the random
// cases (so the same harness runs them). Cases a profile cannot express are left out.

import type { Aggregate, CType, Field } from './ctypes';
import { type ProbeCase, type Profile, assemble } from './generate';
import { Rng } from './rng';

const F: CType = { kind: 'float', c: 'float' };
const D: CType = { kind: 'float', c: 'double' };
const LD: CType = { kind: 'float', c: 'long double' };
const Q: CType = { kind: 'float', c: '__float128' };
const I: CType = { kind: 'int', c: 'int', bits: 32, signed: true };
const LL: CType = { kind: 'int', c: 'long long', bits: 64, signed: true };
const CH: CType = { kind: 'int', c: 'char', bits: 8, signed: true };
const I128: CType = { kind: 'int', c: '__int128', bits: 128, signed: true };
const CD: CType = { kind: 'complex', c: '_Complex double', base: 'double' };
const PTR: CType = { kind: 'ptr', c: 'const char *' };

interface Classic {
  name: string;
  needs?: (p: Profile) => boolean;
  build: (s: (kind: 'struct' | 'union', fields: [string, CType, number?][]) => CType) => { fixed: CType[]; va?: CType[]; ret: CType | null };
}

const CLASSICS: Classic[] = [
  { name: 'struct {float,float,float}', build: (s) => { const t = s('struct', [['a', F], ['b', F], ['c', F]]); return { fixed: [t, t], ret: t }; } },
  { name: 'struct {double; int}', build: (s) => { const t = s('struct', [['d', D], ['i', I]]); return { fixed: [I, t], ret: t }; } },
  { name: 'struct {long double}', needs: (p) => p.longDouble, build: (s) => { const t = s('struct', [['x', LD]]); return { fixed: [t, D], ret: t }; } },
  { name: 'long double arg and return', needs: (p) => p.longDouble, build: () => ({ fixed: [LD, I, LD], ret: LD }) },
  { name: 'union {float; int}', build: (s) => { const t = s('union', [['f', F], ['i', I]]); return { fixed: [t, F], ret: t }; } },
  { name: 'struct {char c[3]}', build: (s) => { const t = s('struct', [['c', CH, 3]]); return { fixed: [t, t], ret: t }; } },
  { name: '__int128', needs: (p) => p.int128, build: () => ({ fixed: [I, I128, I128], ret: I128 }) },
  { name: '__int128 with one gpr left', needs: (p) => p.int128, build: () => ({ fixed: [I, I, I, I, I, I128, I], ret: I }) },
  { name: '__int128 with only r9 left (6th/7th)', needs: (p) => p.int128, build: () => ({ fixed: [LL, LL, LL, LL, LL, I128, LL, I128], ret: LL }) },
  { name: 'variadic double', build: () => ({ fixed: [PTR], va: [D, I, D], ret: I }) },
  { name: '10 float args', build: () => ({ fixed: [F, D, F, D, F, D, F, D, F, D], ret: F }) },
  { name: '9 ints 9 doubles mixed', build: () => ({ fixed: [I, D, LL, D, I, D, LL, D, I, D, LL, D, I, D, LL, D, I, D], ret: D }) },
  { name: 'HFA of 3 doubles', build: (s) => { const t = s('struct', [['a', D], ['b', D], ['c', D]]); return { fixed: [t, D], ret: t }; } },
  { name: 'HFA of 5 doubles', build: (s) => { const t = s('struct', [['a', D, 5]]); return { fixed: [t, D], ret: t }; } },
  { name: 'HFA of 4 floats nested', build: (s) => { const inner = s('struct', [['x', F], ['y', F]]); const t = s('struct', [['a', inner], ['b', F, 2]]); return { fixed: [t, t, t], ret: t }; } },
  { name: 'empty struct arg and return', needs: (p) => p.emptyStruct, build: (s) => { const t = s('struct', []); return { fixed: [t, I, t, D], ret: t }; } },
  { name: 'big struct return (sret)', build: (s) => { const t = s('struct', [['a', LL, 5]]); return { fixed: [I, t, D], ret: t }; } },
  { name: '_Complex double', build: () => ({ fixed: [CD, D, CD], ret: CD }) },
  { name: '__float128', needs: (p) => p.float128, build: () => ({ fixed: [Q, D, Q], ret: Q }) },
  { name: 'variadic struct and pointer', build: (s) => { const t = s('struct', [['a', LL], ['b', D]]); return { fixed: [I], va: [t, PTR, t, D], ret: LL }; } },
];

export function classicCases(p: Profile, first = 0): ProbeCase[] {
  const out: ProbeCase[] = [];
  let n = first;
  for (const c of CLASSICS) {
    if (c.needs && !c.needs(p)) continue;
    const prefix = `k${n}_`;
    const decls: string[] = [];
    let count = 0;
    const s = (kind: 'struct' | 'union', fields: [string, CType, number?][]): CType => {
      const a: Aggregate = {
        kind,
        c: `${kind} ${prefix}${kind[0]}${count++}`,
        fields: fields.map(([name, type, dim]): Field => ({ name, type, dims: dim ? [dim] : [] })),
        attrs: '',
      };
      decls.push(`${a.c} { ${a.fields.map((f) => `${f.type.c} ${f.name}${f.dims.map((d) => `[${d}]`).join('')};`).join(' ')} };`);
      return a;
    };
    const { fixed, va, ret } = c.build(s);
    const id = `${p.target}/${p.compiler}/classic/${c.name}`;
    out.push(assemble(decls, fixed, va ?? [], va !== undefined, ret, p, id, new Rng(n + 1)));
    n++;
  }
  return out;
}
