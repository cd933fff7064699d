// Words and tables for people: the CLI table, and the short location strings that hovers
// and inlay hints reuse (`rdi`, `&rdx`, `xmm0+rsi`, `stack+8`).

import type { CType, RecordType } from './model';
import type { CallPlacement, Piece, ValuePlacement } from './place/placement';
import { TARGETS } from './targets';

function byteRange(piece: Piece): string {
  return piece.size === 1 ? `byte ${piece.offset}` : `bytes ${piece.offset}–${piece.offset + piece.size - 1}`;
}

/** One piece: `rdi`, `&rcx` (pointer to a copy), `rcx (also xmm0)`. */
export function formatPiece(piece: Piece): string {
  const base = piece.indirect ? `&${piece.loc}` : piece.loc;
  return piece.also && piece.also.length > 0 ? `${base} (also ${piece.also.join(', ')})` : base;
}

/** Short form for inlay hints: the locations joined by `+`; `∅` for an empty value. */
export function shortLocation(value: ValuePlacement): string {
  if (value.pieces.length === 0) return '∅';
  return value.pieces.map(formatPiece).join('+');
}

/** Long form for tables and hovers: which bytes go where when the value is split. */
export function longLocation(value: ValuePlacement): string {
  if (value.pieces.length === 0) return value.type.kind === 'void' ? '—' : 'nothing (empty type)';
  const [only] = value.pieces;
  if (value.pieces.length === 1 && only) {
    return only.indirect ? `${formatPiece(only)} (pointer to a copy)` : formatPiece(only);
  }
  return value.pieces.map((p) => `${formatPiece(p)} ← ${byteRange(p)}`).join(', ');
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd());
}

/** One row per argument and one for the return value: arg, type, size, class, location. */
export function placementRows(p: CallPlacement): string[][] {
  const rows = p.params.map((arg) => [arg.variadic ? `${arg.name} (…)` : arg.name, arg.type.spelling, String(arg.type.size), arg.classification, longLocation(arg)]);
  rows.push(['return', p.ret.type.spelling, String(p.ret.type.size), p.ret.type.kind === 'void' ? '—' : p.ret.classification, longLocation(p.ret)]);
  return rows;
}

export function formatPlacementTable(p: CallPlacement): string {
  const rows: string[][] = [['arg', 'type', 'size', 'class', 'location'], ...placementRows(p)];
  const lines = [`${p.functionName} — ${TARGETS[p.target].title}, as ${p.compiler} compiles it`, '', ...pad(rows).map((l) => `  ${l}`), ''];
  if (p.sret) {
    lines.push(`  hidden return pointer in ${p.sret.loc}` + (p.sret.returnedIn ? `, handed back in ${p.sret.returnedIn}` : ''));
  }
  if (p.al !== null) lines.push(`  al = ${p.al} (vector registers used, set by the caller of a variadic function)`);
  lines.push(`  outgoing argument area: ${p.stackBytes} bytes` + (p.target === 'x86_64-win64' ? ' (includes the 32-byte shadow space)' : ''));
  for (const d of p.disagreements) lines.push(`  note: ${d.description} (this table follows ${d.chosen})`);
  return lines.join('\n');
}

/** clangd-style layout of a struct or union: offsets, sizes, bit-fields and padding holes. */
export function formatRecordLayout(record: RecordType): string {
  const rows: string[][] = [['offset', 'size', 'member']];
  const entries: { at: number; row: string[] }[] = [];
  for (const f of record.fields) {
    const where = f.bitWidth !== undefined ? `${f.offset}:${f.bitOffset ?? 0}` : String(f.offset);
    const size = f.bitWidth !== undefined ? `${f.bitWidth} bit${f.bitWidth === 1 ? '' : 's'}` : String(f.type.size);
    entries.push({ at: f.offset, row: [where, size, `${f.type.spelling} ${f.name ?? '(anonymous)'}`] });
  }
  for (const h of record.holes) entries.push({ at: h.offset, row: [String(h.offset), String(h.size), '(padding)'] });
  entries.sort((a, b) => a.at - b.at);
  rows.push(...entries.map((e) => e.row));
  const title = `${record.spelling}: size ${record.size}, align ${record.align}${record.packed ? ', packed' : ''}`;
  return [title, ...pad(rows).map((l) => `  ${l}`)].join('\n');
}

/** Records reachable from the given types (through fields, arrays and by-value nesting). */
export function recordsIn(types: readonly CType[]): RecordType[] {
  const seen = new Set<RecordType>();
  const visit = (t: CType): void => {
    if (t.kind === 'array') visit(t.elem);
    if (t.kind !== 'record' || seen.has(t)) return;
    seen.add(t);
    for (const f of t.fields) visit(f.type);
  };
  types.forEach(visit);
  return [...seen];
}
