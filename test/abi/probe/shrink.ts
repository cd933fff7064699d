// Shrinks a disagreeing case to a minimal one for the report: greedily drops arguments and the
// return value while the engine still disagrees with the compiler. Each round's candidates run
// in one batch (renamed so their tags do not clash in the shared C file).

import type { Answerer } from './engine';
import type { ProbeCase } from './generate';
import { probeRun } from './probe';
import type { RunConfig } from './toolchain';

/** The case keeping only some arguments (indices into args) and maybe the return value. */
function variant(pc: ProbeCase, keep: number[], keepRet: boolean, tag: string): ProbeCase | null {
  const fixedKept = keep.filter((i) => i < pc.nfixed);
  const vaKept = keep.filter((i) => i >= pc.nfixed);
  if (pc.variadic && fixedKept.length === 0) return null;
  const args = keep.map((i) => pc.args[i] as ProbeCase['args'][number]);
  const ret = keepRet ? pc.ret : null;
  const names = new Set([...args.map((a) => a.name), ...(ret ? ['ret'] : [])]);
  const setup = pc.setup.filter((s) => {
    const m = /a->(\w+)/.exec(s);
    return !m || names.has(m[1] as string);
  });
  const params = fixedKept.map((i) => `${(pc.args[i] as ProbeCase['args'][number]).type.c} ${(pc.args[i] as ProbeCase['args'][number]).name}`);
  if (pc.variadic) params.push('...');
  const proto = `${ret ? ret.c : 'void'} f(${params.length ? params.join(', ') : 'void'})`;
  const va = vaKept.map((i) => (pc.args[i] as ProbeCase['args'][number]).type.c);
  const decls = neededDecls(pc.request.decls, `${proto} ${va.join(' ')}`);
  const out: ProbeCase = {
    request: { ...pc.request, id: `${pc.request.id}~${tag}`, decls, proto, ...(pc.variadic ? { variadic_args: va } : {}) },
    args, ret, nfixed: fixedKept.length, variadic: pc.variadic, setup,
  };
  if (!pc.variadic) delete out.request.variadic_args;
  return renamed(out, tag);
}

/** Declarations reachable from `uses` (each decl is one `struct/union/enum TAG {…};`). */
function neededDecls(decls: string, uses: string): string {
  const parts = decls.match(/(?:struct|union|enum) \w+ \{[^}]*\}[^;]*;/g) ?? [];
  const tagOf = (d: string) => /^(?:struct|union|enum) \w+/.exec(d)?.[0] ?? '';
  const needed = new Set<string>();
  let text = uses;
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of parts) {
      if (!needed.has(d) && new RegExp(`${tagOf(d)}\\b`).test(text)) {
        needed.add(d);
        text += ` ${d.slice(tagOf(d).length)}`;
        changed = true;
      }
    }
  }
  return parts.filter((d) => needed.has(d)).join(' ');
}

/** Gives the case's C names (tags, enumerators: `c12_…`) a fresh prefix. */
function renamed(pc: ProbeCase, tag: string): ProbeCase {
  const prefix = /(?:struct|union|enum) ([a-z0-9]+)_[sue]\d+\b/.exec(JSON.stringify(pc.args) + pc.request.decls)?.[1];
  if (!prefix) return pc;
  const json = JSON.stringify(pc).replace(new RegExp(`\\b${prefix}_`, 'g'), `${tag}_`);
  const out = JSON.parse(json) as ProbeCase;
  out.request.id = pc.request.id; // ids keep their readable form
  return out;
}

/** A smaller case that still disagrees (the case itself if nothing smaller does). */
export async function shrink(config: RunConfig, pc: ProbeCase, engine: Answerer, maxRounds = 12): Promise<ProbeCase> {
  let cur = pc;
  let round = 0;
  for (; round < maxRounds; round++) {
    const all = cur.args.map((_, i) => i);
    const candidates: ProbeCase[] = [];
    const push = (c: ProbeCase | null) => c && candidates.push(c);
    all.forEach((i) => push(variant(cur, all.filter((j) => j !== i), cur.ret !== null, `r${round}a${i}`)));
    if (cur.ret) push(variant(cur, all, false, `r${round}v`));
    if (candidates.length === 0) break;
    const s = await probeRun(config, candidates, engine);
    const still = s.outcomes.findIndex((o) => o.status !== 'ok' && o.status !== 'rejected');
    if (still < 0) break;
    cur = candidates[still] as ProbeCase;
  }
  return cur;
}

/** Shrinks up to `limit` disagreeing cases of a run and reports the distinct minimal ones. */
export async function minimalFailures(config: RunConfig, cases: ProbeCase[], outcomes: { status: string }[], engine: Answerer, limit = 10): Promise<string[]> {
  const failing = cases
    .filter((_, i) => outcomes[i]?.status === 'fail' || outcomes[i]?.status === 'crash')
    .sort((a, b) => a.request.decls.length + a.request.proto.length - (b.request.decls.length + b.request.proto.length))
    .slice(0, limit);
  const seen = new Set<string>();
  const minimal: ProbeCase[] = [];
  for (const [i, pc] of failing.entries()) {
    const m = renamed(await shrink(config, pc, engine), `m${i}`);
    m.request.id = `${pc.request.id} (shrunk)`;
    const key = `${m.request.decls.replace(/\b[a-z0-9]+_([sue]\d+)/g, '$1')}|${m.request.proto.replace(/\b[a-z0-9]+_([sue]\d+)/g, '$1')}|${m.request.variadic_args ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    minimal.push(m);
  }
  if (minimal.length === 0) return [];
  return (await probeRun(config, minimal, engine)).failures;
}
