// Human-readable failure reports: the case (target, compiler, decls, proto), the engine's
// pieces, and for each mismatch the expected and observed bytes, plus where the expected
// bytes really were (searched in the register and stack dump).

import { type Arch, LOC, dumpGprNames, vecName } from './emit';
import type { PlaceAnswer, PlaceResponse, PieceJson } from './engine';
import type { ProbeCase } from './generate';
import type { Outcome } from './runner';

function locName(arch: Arch, kind: number, index: number): string {
  if (kind === LOC.GPR) return dumpGprNames(arch)[index] ?? `gpr${index}`;
  if (kind === LOC.VEC) return vecName(arch, index);
  if (kind === LOC.STACK) return `stack+${index}`;
  if (kind === LOC.X87) return `st${index}`;
  return '?';
}

function bytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Expected bytes with padding shown as `..` (partly significant bytes keep their value). */
function masked(exp: number[], mask: number[]): string {
  return exp.map((b, i) => ((mask[i] ?? 0xff) === 0 ? '..' : b.toString(16).padStart(2, '0'))).join('');
}

/** Dump locations holding the expected significant bytes. */
function findBytes(arch: Arch, dump: Map<string, number[]>, exp: number[], mask: number[]): string[] {
  if (mask.every((m) => m === 0)) return [];
  const hits: string[] = [];
  const matchAt = (buf: number[], at: number) => exp.every((b, i) => (((buf[at + i] ?? -1) ^ b) & (mask[i] ?? 0xff)) === 0 && at + i < buf.length);
  for (const [name, buf] of dump) {
    if (name === 'stack') {
      for (let at = 0; at + exp.length <= buf.length; at += 4) if (matchAt(buf, at)) hits.push(`stack+${at}`);
    } else if (matchAt(buf, 0)) {
      const g = /^g(\d+)$/.exec(name), v = /^v(\d+)$/.exec(name);
      hits.push(g ? (dumpGprNames(arch)[Number(g[1])] ?? name) : v ? vecName(arch, Number(v[1])) : name);
    }
  }
  return hits.slice(0, 6);
}

function pieceText(p: PieceJson): string {
  return `${p.offset}+${p.size}@${p.indirect ? '&' : ''}${p.loc}${p.also ? `(+${p.also.join(',')})` : ''}`;
}

export function answerText(a: PlaceResponse): string {
  if ('error' in a) return `error: ${a.error}`;
  const ans = a as PlaceAnswer;
  const params = ans.params.map((p) => `${p.name} ${p.type} (${p.size}): ${p.pieces.map(pieceText).join(', ') || '-'}`);
  const ret = `ret ${ans.ret.type} (${ans.ret.size}): ${ans.ret.pieces.map(pieceText).join(', ') || '-'}`;
  const extra = `${ans.sret ? ` sret=${ans.sret.loc}` : ''}${ans.al !== undefined ? ` al=${ans.al}` : ''}`;
  return [...params, ret + extra].join('\n    ');
}

/** A multi-line report of one case that did not agree. */
export function failureText(arch: Arch, runName: string, pc: ProbeCase, answer: PlaceResponse, o: Outcome): string {
  const r = pc.request;
  const head = [
    `✗ ${r.id}  [${o.status}] run ${runName}`,
    `  target: ${r.target}  compiler: ${r.compiler}`,
    `  decls: ${r.decls || '(none)'}`,
    `  proto: ${r.proto}${r.variadic_args ? `  variadic_args: ${JSON.stringify(r.variadic_args)}` : ''}`,
    `  engine: ${answerText(answer)}`,
  ];
  if (o.message) head.push(`  ${o.message.split('\n').join('\n  ')}`);
  const dump = new Map<string, number[]>();
  for (const l of o.lines) {
    const m = /^G (\S+) ([0-9a-f]+)$/.exec(l);
    if (m) dump.set(m[1] as string, bytes(m[2] as string));
  }
  const ans = 'error' in answer ? null : (answer as PlaceAnswer);
  for (const l of o.lines) {
    if (!l.startsWith('X ')) continue;
    const [, what = '', kind, index, indirect, expHex = '', maskHex = '', obsHex = ''] = l.split(' ');
    const exp = bytes(expHex), mask = bytes(maskHex);
    const where = locName(arch, Number(kind), Number(index));
    const pm = /^p(\d+)\.(\d+)/.exec(what);
    let label = what;
    if (pm && ans) {
      const param = ans.params[Number(pm[1])];
      label = `${param?.name ?? what} (${param?.type}) piece ${what}`;
    }
    if (what.startsWith('size')) {
      head.push(`  sizeof mismatch for ${what.slice(4) === String(ans?.params.length) ? 'ret' : `param ${what.slice(4)}`}: compiler ${parseInt(expHex, 16)}, engine ${parseInt(obsHex, 16)}`);
      continue;
    }
    if (what === 'al') {
      head.push(`  al: engine ${parseInt(expHex, 16)}, caller set ${parseInt(obsHex, 16)}`);
      continue;
    }
    if (what === 'sret') {
      head.push(`  hidden return pointer expected in ${where}, but it does not point into the caller's stack`);
      continue;
    }
    if (what === 'ret') {
      head.push(`  return value: stub placed ${masked(exp, mask)} where the engine said; caller stored ${obsHex}`);
      continue;
    }
    const found = findBytes(arch, dump, exp, mask);
    head.push(
      `  ${label} @${indirect === '1' ? '&' : ''}${where}: expected ${masked(exp, mask)}, observed ${obsHex === '-' ? '(no valid pointer)' : obsHex}` +
        (found.length ? `; expected bytes found at: ${found.join(', ')}` : ''),
    );
  }
  const regs = [...dump].filter(([n]) => n !== 'stack').map(([n, b]) => {
    const g = /^g(\d+)$/.exec(n);
    const name = g ? dumpGprNames(arch)[Number(g[1])] : /^v(\d+)$/.test(n) ? vecName(arch, Number(n.slice(1))) : n;
    return name ? `${name}=${b.map((x) => x.toString(16).padStart(2, '0')).join('')}` : '';
  });
  if (regs.length) head.push(`  registers at entry: ${regs.filter(Boolean).join(' ')}`);
  const stack = dump.get('stack');
  if (stack) head.push(`  stack[0..128]: ${stack.slice(0, 128).map((x) => x.toString(16).padStart(2, '0')).join('')}`);
  return head.join('\n');
}
