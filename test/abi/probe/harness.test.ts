// The harness itself, independent of the engine: hand-written placements of a few classics
// must pass, and a deliberately wrong one must fail and say where the bytes really were.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { classicCases } from './classics';
import type { PieceJson, PlaceAnswer, PlaceResponse } from './engine';
import type { ProbeCase } from './generate';
import { probeRun } from './probe';
import { cleanup, unavailable } from './runner';
import { runConfig } from './toolchain';

after(cleanup);

type Spec = [name: string, params: [size: number, pieces: PieceJson[]][], ret: [size: number, pieces: PieceJson[]], extra?: Partial<PlaceAnswer>];
const pc = (loc: string, offset: number, size: number, indirect = false): PieceJson => (indirect ? { offset, size, loc, indirect: true } : { offset, size, loc });

/** Hand answers keyed by classic name; `type` strings are not checked by the harness. */
function answers(cases: ProbeCase[], specs: Spec[]): { cases: ProbeCase[]; engine: (r: unknown) => PlaceResponse } {
  const picked = specs.map(([name]) => {
    const c = cases.find((k) => k.request.id.endsWith(`/${name}`));
    assert.ok(c, `no classic named ${name}`);
    return c;
  });
  const engine = (r: unknown): PlaceResponse => {
    const id = (r as { id: string }).id;
    const i = picked.findIndex((c) => c.request.id === id);
    const [, params, [rsize, rpieces], extra] = specs[i] as Spec;
    const c = picked[i] as ProbeCase;
    return {
      id,
      params: params.map(([size, pieces], j) => ({ name: c.args[j]?.name ?? '?', type: '', size, pieces })),
      ret: { type: '', size: rsize, pieces: rpieces },
      sret: null,
      ...extra,
    };
  };
  return { cases: picked, engine };
}

const SYSV: Spec[] = [
  ['struct {float,float,float}', [[12, [pc('xmm0', 0, 8), pc('xmm1', 8, 4)]], [12, [pc('xmm2', 0, 8), pc('xmm3', 8, 4)]]], [12, [pc('xmm0', 0, 8), pc('xmm1', 8, 4)]]],
  ['variadic double', [[8, [pc('rdi', 0, 8)]], [8, [pc('xmm0', 0, 8)]], [4, [pc('rsi', 0, 4)]], [8, [pc('xmm1', 0, 8)]]], [4, [pc('rax', 0, 4)]], { al: 2 }],
  ['big struct return (sret)', [[4, [pc('rsi', 0, 4)]], [40, [pc('stack+0', 0, 40)]], [8, [pc('xmm0', 0, 8)]]], [40, [pc('rdi', 0, 40, true)]], { sret: { loc: 'rdi', returned_in: 'rax' } }],
  ['long double arg and return', [[16, [pc('stack+0', 0, 16)]], [4, [pc('rdi', 0, 4)]], [16, [pc('stack+16', 0, 16)]]], [16, [pc('st0', 0, 16)]]],
  ['_Complex double', [[16, [pc('xmm0', 0, 8), pc('xmm1', 8, 8)]], [8, [pc('xmm2', 0, 8)]], [16, [pc('xmm3', 0, 8), pc('xmm4', 8, 8)]]], [16, [pc('xmm0', 0, 8), pc('xmm1', 8, 8)]]],
];

test('x86_64-sysv: hand-written placements pass, a wrong one fails with a useful report', async () => {
  const config = runConfig('x86_64-sysv/gcc');
  const why = await unavailable(config);
  if (why) assert.fail(why);
  const right = answers(classicCases(config.profile), SYSV);
  const ok = await probeRun(config, right.cases, right.engine);
  assert.equal(ok.agree, ok.total, ok.failures.join('\n'));

  // Swap the two halves of the first argument: both pieces must be reported, with the truth.
  const wrongSpecs: Spec[] = [['struct {float,float,float}', [[12, [pc('xmm1', 0, 8), pc('xmm0', 8, 4)]], [12, [pc('xmm2', 0, 8), pc('xmm3', 8, 4)]]], [12, [pc('xmm0', 0, 8), pc('xmm1', 8, 4)]]]];
  const wrong = answers(classicCases(config.profile, 100), wrongSpecs);
  const bad = await probeRun(config, wrong.cases, wrong.engine);
  assert.equal(bad.agree, 0);
  assert.match(bad.failures[0] ?? '', /@xmm1: expected .*found at: xmm0/);
});

test('x86_64-sysv: a wrong sret prediction fails cleanly instead of crashing', async () => {
  const config = runConfig('x86_64-sysv/gcc');
  const specs: Spec[] = [['struct {double; int}', [[4, [pc('rsi', 0, 4)]], [16, [pc('xmm0', 0, 8), pc('rdx', 8, 4)]]], [16, [pc('rdi', 0, 16, true)]], { sret: { loc: 'rdi', returned_in: 'rax' } }]];
  const w = answers(classicCases(config.profile, 200), specs);
  const s = await probeRun(config, w.cases, w.engine);
  assert.equal(s.byStatus.fail, 1, s.failures.join('\n'));
  assert.match(s.failures[0] ?? '', /hidden return pointer/);
});

test('aarch64: hand-written HFA placement passes under qemu', async (t) => {
  const config = runConfig('aarch64-aapcs64/gcc');
  const why = await unavailable(config);
  if (why) assert.fail(why);
  const d = (v: string, o: number) => pc(v, o, 8);
  const specs: Spec[] = [
    ['HFA of 3 doubles', [[24, [d('v0', 0), d('v1', 8), d('v2', 16)]], [8, [d('v3', 0)]]], [24, [d('v0', 0), d('v1', 8), d('v2', 16)]]],
    ['HFA of 5 doubles', [[40, [pc('x0', 0, 40, true)]], [8, [d('v0', 0)]]], [40, [pc('x8', 0, 40, true)]], { sret: { loc: 'x8', returned_in: null } }],
  ];
  const a = answers(classicCases(config.profile), specs);
  const s = await probeRun(config, a.cases, a.engine);
  t.diagnostic(`${s.agree}/${s.total}`);
  assert.equal(s.agree, s.total, s.failures.join('\n'));
});
