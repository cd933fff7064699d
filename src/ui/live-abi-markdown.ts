// The live part of the ABI hover, as markdown: what each argument location held at the call
// (from the stopped frame's ABI picture), or the values of a call's argument expressions in the
// current frame. Pure, so tests read the same text the hover shows.

import type { FrameAbi } from '../core/frame-abi';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per argument: where it went, the bytes found there, the value they decode to. */
export function liveFrameMarkdown(abi: FrameAbi): string {
  const lines = [`**Live: this call of \`${abi.function}\`** — ${abi.note}`, ''];
  if (abi.source === 'none') return lines.join('\n');
  lines.push('| arg | location | bytes | value |', '|---|---|---|---|');
  for (const param of abi.params) {
    const locations = param.pieces.map((p) => `${p.indirect ? '&' : ''}${p.loc}${p.pointer ? ` → ${p.pointer}` : ''}`).join(' + ');
    const bytes = param.pieces.map((p) => p.bytes ?? '?').join(' · ');
    lines.push(`| ${cell(param.name)} | ${cell(locations)} | \`${cell(bytes)}\` | \`${cell(param.value ?? 'unknown')}\` |`);
  }
  const extra: string[] = [];
  if (abi.sret?.pointer) extra.push(`hidden return pointer \`${abi.sret.loc}\` = \`${abi.sret.pointer}\``);
  if (abi.returnAddress) extra.push(`returns to \`${abi.returnAddress}\``);
  if (abi.cfa) extra.push(`stack arguments from \`${abi.cfa}\``);
  if (extra.length > 0) lines.push('', extra.join(' · '));
  return lines.join('\n');
}

export interface EvaluatedArgument {
  name: string;
  location: string;
  expression: string;
  /** The value in the current frame, or why there is none. */
  value: string;
}

/** The arguments of the call on the stopped line, as the current frame evaluates them. */
export function evaluatedCallMarkdown(functionName: string, args: readonly EvaluatedArgument[]): string {
  const lines = [`**Live: the arguments of this call of \`${functionName}\`, evaluated in the current frame**`, '', '| arg | location | expression | value |', '|---|---|---|---|'];
  for (const arg of args) lines.push(`| ${cell(arg.name)} | ${cell(arg.location)} | \`${cell(arg.expression)}\` | \`${cell(arg.value)}\` |`);
  return lines.join('\n');
}
