// The ABI hover of an FFI declaration or call, as text: what VS Code shows and what
// `polyglot-abi hover` prints. Pure: FfiFile in, markdown (or the `place` JSON shape) out.

import { placeRequest, placementJson, type PlaceAnswer } from '../../abi/contract';
import { formatRecordLayout, longLocation, placementRows, recordsIn } from '../../abi/format';
import { AbiInputError, TARGET_IDS, type CompilerId, type TargetId } from '../../abi/model';
import type { CallPlacement } from '../../abi/place/placement';
import { isStackOverflow } from '../budget';
import { TARGETS } from '../../abi/targets';
import type { FfiCall, FfiFile, FfiFunction, FfiRecord, Position, Range } from './model';

export type HoverSubject =
  | { readonly kind: 'function'; readonly fn: FfiFunction; readonly call: FfiCall | null }
  | { readonly kind: 'record'; readonly record: FfiRecord };

function contains(range: Range, at: Position): boolean {
  const after = at.line > range.start.line || (at.line === range.start.line && at.character >= range.start.character);
  const before = at.line < range.end.line || (at.line === range.end.line && at.character <= range.end.character);
  return after && before;
}

/** The function a call's callee names: by binding first (`lib.add`, `add`), then by C name. */
export function functionForCall(file: FfiFile, call: FfiCall): FfiFunction | null {
  const binding = call.binding ?? call.callee;
  return file.functions.find((f) => f.binding === binding) ?? file.functions.find((f) => f.name === call.callee) ?? null;
}

/** What a hover at `at` is about: a declared function's name, a call's callee, or a record's name. */
export function subjectAt(file: FfiFile, at: Position): HoverSubject | null {
  const fn = file.functions.find((f) => f.nameRanges.some((r) => contains(r, at)));
  if (fn) return { kind: 'function', fn, call: null };
  const call = file.calls.find((c) => contains(c.calleeRange, at));
  const called = call ? functionForCall(file, call) : null;
  if (call && called) return { kind: 'function', fn: called, call };
  const record = file.records.find((r) => r.nameRanges.some((range) => contains(range, at)));
  if (record) return { kind: 'record', record };
  const declared = file.functions.find((f) => (f.declarationRanges ?? []).some((r) => contains(r, at)));
  return declared ? { kind: 'function', fn: declared, call: null } : null;
}

export interface HoverOptions {
  readonly target: TargetId;
  readonly compiler?: CompilerId;
}

/** The placement of one call (or of the declaration, with `call` null) under `options.target`. */
export function placeFunction(fn: FfiFunction, call: FfiCall | null, options: HoverOptions): CallPlacement {
  if (!fn.prototype) throw new AbiInputError(fn.problems.join('; ') || 'the prototype could not be read');
  const variadic = call?.variadicTypes?.filter((t): t is string => t !== null) ?? [];
  const request = { target: options.target, compiler: options.compiler, decls: fn.decls, proto: fn.prototype, variadic_args: variadic };
  return boundedPlacement(() => placeRequest(request, { compare: true }).placement);
}

/** A placement, with a prototype nested past what the engine's recursion takes reported as bad input. */
export function boundedPlacement<T>(place: () => T): T {
  try {
    return place();
  } catch (err) {
    if (isStackOverflow(err)) throw new AbiInputError('the prototype is too deeply nested to place');
    throw err;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `xmm0 ← bytes 0–7, stack +8` → `` `xmm0` ← bytes 0–7, `stack +8` ``: each place set apart, as code. */
function codeLocations(location: string): string {
  if (location === '—' || location.startsWith('nothing')) return cell(location);
  return location
    .split(', ')
    .map((piece) => piece.replace(/^([^←(]+?)(\s*←.*|\s*\(.*)?$/, (_all, where: string, rest = '') => `\`${cell(where.trim())}\`${cell(rest)}`))
    .join(', ');
}

/**
 * Laid out to read at a glance in the editor's hover, whose tables have little padding: the
 * prototype as highlighted C, then one row per argument with where it goes first — the question a
 * hover answers — as code, so columns stay apart; size and the ABI's class after it.
 */
function functionMarkdown(fn: FfiFunction, call: FfiCall | null, options: HoverOptions): string {
  const lines = ['```c', fn.prototype ?? fn.name, '```'];
  if (fn.convention !== 'default') lines.push(`calling convention: ${fn.convention}`);
  let placement: CallPlacement;
  try {
    placement = placeFunction(fn, call, options);
  } catch (err) {
    if (!(err instanceof AbiInputError)) throw err;
    return [...lines, '', `Cannot place this call: ${err.message}`].join('\n');
  }
  lines.push('', `**${TARGETS[placement.target].title}**, as ${placement.compiler} compiles it`, '');
  lines.push('| arg | where | type | bytes | class |', '|:--|:--|:--|:--|:--|');
  for (const [arg, type, size, cls, location] of placementRows(placement)) {
    const name = arg === 'return' ? '**return**' : `\`${cell(arg!)}\``;
    lines.push(`| ${name} | ${codeLocations(location!)} | \`${cell(type!)}\` | ${size} | ${cell(cls!)} |`);
  }
  lines.push('');
  if (placement.sret) lines.push(`Hidden return pointer in \`${placement.sret.loc}\`${placement.sret.returnedIn ? `, handed back in \`${placement.sret.returnedIn}\`` : ''}.  `);
  if (placement.al !== null) lines.push(`\`al\` = ${placement.al} (vector registers used by this variadic call).  `);
  lines.push(`Outgoing argument area: ${placement.stackBytes} bytes${placement.target === 'x86_64-win64' ? ' (with the 32-byte shadow space)' : ''}.`);
  for (const d of placement.disagreements) lines.push('', `⚠ ${d.description} (shown: ${d.chosen}).`);
  const layouts = recordsIn([...placement.params.map((p) => p.type), placement.ret.type]).map(formatRecordLayout);
  if (layouts.length > 0) lines.push('', '```', ...layouts, '```');
  if (fn.problems.length > 0) lines.push('', `Not understood: ${fn.problems.join('; ')}`);
  lines.push('', `Other targets: ${TARGET_IDS.filter((t) => t !== placement.target).join(' · ')}`);
  return lines.join('\n');
}

function recordMarkdown(record: FfiRecord, options: HoverOptions): string {
  if (!record.decl) return [`**${record.name}**`, '', `Cannot lay out this record: ${record.problems.join('; ') || 'its members could not be read'}`].join('\n');
  const lines: string[] = [];
  const spelling = record.decl.trimStart().startsWith('union') ? `union ${record.name}` : `struct ${record.name}`;
  // The layout on the chosen target, then how each target passes the record by value.
  const targets = [options.target, ...TARGET_IDS.filter((t) => t !== options.target)];
  try {
    for (const target of targets) {
      const placed = placeRequest({ target, compiler: options.compiler, decls: record.decl, proto: `void polyglot_probe(${spelling} value)` }).placement;
      const value = placed.params[0]!;
      if (target === options.target) lines.push('```', ...recordsIn([value.type]).map(formatRecordLayout), '```', '', '| passed by value on | class | location |', '|---|---|---|');
      lines.push(`| ${TARGETS[target].title} | ${cell(value.classification)} | ${cell(longLocation(value))} |`);
    }
  } catch (err) {
    if (!(err instanceof AbiInputError)) throw err;
    lines.push(`Cannot lay out ${record.name}: ${err.message}`);
  }
  if (record.problems.length > 0) lines.push('', `Not understood: ${record.problems.join('; ')}`);
  return lines.join('\n');
}

/** The hover text (markdown) for a subject. Never throws for bad input: it says what failed. */
export function hoverMarkdown(subject: HoverSubject, options: HoverOptions): string {
  return subject.kind === 'function' ? functionMarkdown(subject.fn, subject.call, options) : recordMarkdown(subject.record, options);
}

export type HoverJson = (Omit<PlaceAnswer, 'id'> & { function: string }) | { function: string; error: string };

/** The placement of a hovered function in the `place` answer shape, plus `function`. */
export function hoverJson(subject: HoverSubject, options: HoverOptions): HoverJson {
  if (subject.kind !== 'function') return { function: subject.record.name, error: 'a record, not a function: hover JSON describes calls' };
  try {
    const { id: _id, ...answer } = placementJson(null, placeFunction(subject.fn, subject.call, options));
    return { function: subject.fn.name, ...answer };
  } catch (err) {
    if (!(err instanceof AbiInputError)) throw err;
    return { function: subject.fn.name, error: err.message };
  }
}
