// Python ctypes bindings as C: which foreign functions a file declares (argtypes/restype,
// prototypes bound with PROTO(('name', lib))), their calls, and Structure/Union classes,
// each turned into C text the ABI engine parses. Pure: no vscode.

import type { FfiCall, FfiFile, FfiFunction, FfiRecord, Range } from '../ffi/model';
import { DEFAULT_BUDGET, withinBudget, type Bounded, type Budget, type Deadline } from '../budget';
import { lineStartOffsets, parseLeavingOut, parseText, type SyntaxNode, type SyntaxTree } from '../syntax';
import { ctypesLinesLeftOut } from './skim';
import { CtypesAnalyzer, functionKey, type SoleFunction } from './analyzer';
import { legacyBitfieldMismatch } from './bitfields';
import { cIdentifier, declsFor, recordSpelling, type CtypesRecord } from './records';
import { declareC, type CtypeNode } from './types';
import type { CtypesFunction } from './values';

/** ctypes' documented default when `restype` is never assigned. */
const DEFAULT_RESTYPE: CtypeNode = { kind: 'scalar', c: 'int' };

const NO_ARGTYPES =
  'argtypes is not set, so ctypes converts each argument by its Python type (int → int, bytes → char *, str → wchar_t *, None → NULL); set argtypes to see where arguments go';

export interface CtypesOptions extends Bounded {
  /** Only the functions and calls with a line here are written out (the whole module is still read). */
  readonly focus?: { readonly first: number; readonly last: number };
}

/** Parses `text` as Python and finds its ctypes declarations, calls and records, within the budget. */
export async function parseCtypes(text: string, options: CtypesOptions = {}): Promise<FfiFile> {
  // Without one of these names nothing in the file can mean ctypes: most Python files are not read.
  if (!/ctypes|CDLL|PyDLL|WinDLL|OleDLL|cdll|pydll|windll|oledll|pythonapi|CFUNCTYPE|WINFUNCTYPE|Structure|Union/.test(text)) return { functions: [], calls: [], records: [] };
  return withinBudget(text, options, async (deadline, budget) => {
    // With a focus, the lines no answer there depends on are not even parsed (`ctypesLinesLeftOut`).
    const lines = options.focus ? lineStartOffsets(text) : [];
    const leftOut = options.focus ? ctypesLinesLeftOut(text, lines, options.focus) : null;
    const tree = leftOut ? await parseLeavingOut('python', text, lines, leftOut, deadline) : await parseText('python', text, deadline);
    try {
      return ctypesFromNode(tree.rootNode, deadline, budget, options.focus);
    } finally {
      tree.delete();
    }
  });
}

/** The same, over a tree the caller parsed (and still owns). */
export function ctypesFromTree(tree: SyntaxTree): FfiFile {
  return ctypesFromNode(tree.rootNode);
}

export function ctypesFromNode(root: SyntaxNode, deadline?: Deadline, budget: Budget = DEFAULT_BUDGET, focus?: CtypesOptions['focus']): FfiFile {
  const near = (r: Range) => !focus || (r.start.line <= focus.last && r.end.line >= focus.first);
  let analyzer = new CtypesAnalyzer(budget, deadline);
  if (focus) {
    // Two reads that skip what cannot matter: the first leaves out every statement that only
    // declares or calls functions (most of a binding module) away from the focus, and finds
    // which functions the focus lines can name; the second reads those functions' statements too.
    // Skipped statements bind no names, so both reads see every name as the whole module does.
    const nearRows = (statement: SyntaxNode) => statement.startPosition.row <= focus.last && statement.endPosition.row >= focus.first;
    analyzer.run(root, (statement) => !nearRows(statement));
    const { bindings, callees, wanted } = wantedBy(analyzer, near);
    const keys = new Set([...analyzer.functions.values()].filter(wanted).map((fn) => functionKey(fn.library, fn.symbol)));
    // A function the first read never met has no alias: it is wanted by its plain binding or its name.
    const read = (fn: SoleFunction) => keys.has(functionKey(fn.library, fn.symbol)) || callees.has(fn.symbol) || bindings.has(`${fn.library.id}.${fn.symbol}`);
    analyzer = new CtypesAnalyzer(budget, deadline);
    analyzer.run(root, (_, fns) => !fns.some(read));
  } else {
    analyzer.run(root);
  }
  const pending = analyzer.calls.filter((c) => near(c.range));
  const firstCall = new Map<CtypesFunction, Range>();
  for (const c of analyzer.calls) if (!firstCall.has(c.fn)) firstCall.set(c.fn, c.range);
  const wanted = focus ? wantedBy(analyzer, near).wanted : () => true;
  const functions = [...analyzer.functions.values()].filter((fn) => fn.touched && wanted(fn));
  const calls: FfiCall[] = pending.map((c) => ({
    callee: c.callee, binding: bindingOf(c.fn), range: c.range, calleeRange: c.calleeRange, argumentRanges: c.argumentRanges,
  }));
  return {
    functions: functions.map((fn) => ffiFunction(fn, analyzer.records, firstCall.get(fn))),
    calls,
    records: [...analyzer.records.values()].map((r) => ffiRecord(r, analyzer.records)),
  };
}

/**
 * With a focus: the functions a hover or hint on those lines can name — declared there, or what
 * a call there finds by binding or by C name (`functionForCall`), so the answer is the same.
 */
function wantedBy(analyzer: CtypesAnalyzer, near: (r: Range) => boolean) {
  const pending = analyzer.calls.filter((c) => near(c.range));
  const bindings = new Set(pending.map((c) => bindingOf(c.fn)));
  const callees = new Set(pending.map((c) => c.callee));
  const wanted = (fn: CtypesFunction) => fn.statements.some(near) || fn.nameRanges.some(near) || bindings.has(bindingOf(fn)) || callees.has(fn.symbol);
  return { bindings, callees, wanted };
}

/** The name a reader knows the function by: its first plain alias, else `lib.name`. */
function bindingOf(fn: CtypesFunction): string {
  const alias = fn.aliases.find((a) => !a.includes('.')) ?? fn.aliases[0];
  return alias ?? (/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn.symbol) ? `${fn.library.id}.${fn.symbol}` : `${fn.library.id}[${JSON.stringify(fn.symbol)}]`);
}

function ffiFunction(fn: CtypesFunction, records: ReadonlyMap<string, CtypesRecord>, firstCall: Range | undefined): FfiFunction {
  const problems = [...fn.problems];
  const ret = fn.restype === undefined ? DEFAULT_RESTYPE : fn.restype;
  let prototype: string | null = null;
  let decls = '';
  if (fn.argtypes === undefined) {
    if (!fn.argtypesUnreadable) problems.push(NO_ARGTYPES);
  } else if (ret !== null && fn.argtypes.every((t) => t !== null)) {
    const params = fn.argtypes as CtypeNode[];
    const result = declsFor([ret, ...params], records);
    problems.push(...result.problems);
    decls = result.text;
    const name = cIdentifier(fn.symbol);
    if (name !== fn.symbol) problems.push(`'${fn.symbol}' is not a C identifier; the prototype calls it '${name}'`);
    if (result.complete) {
      const spell = (key: string) => spellRecord(key, records);
      const list = params.map((p, i) => declareC(p, `p${i}`, spell)).join(', ') || 'void';
      prototype = declareC(ret, `${name}(${list})`, spell);
    }
  }
  return {
    source: 'ctypes',
    name: fn.symbol,
    binding: bindingOf(fn),
    prototype,
    decls,
    convention: fn.convention,
    range: span(fn.statements) ?? firstCall ?? fn.nameRanges[0] ?? ZERO_RANGE,
    nameRanges: dedupe(fn.nameRanges),
    declarationRanges: dedupe(fn.statements),
    problems,
  };
}

function ffiRecord(record: CtypesRecord, records: ReadonlyMap<string, CtypesRecord>): FfiRecord {
  const problems = [...record.problems];
  let decl: string | null = null;
  if (problems.length === 0) {
    const result = declsFor([{ kind: 'record', key: record.key }], records);
    if (result.complete) decl = result.text;
    else problems.push(...result.problems);
  }
  if (decl !== null && record.tag === 'struct' && record.fields?.some((f) => f.bits !== undefined)) {
    const mismatch = legacyBitfieldMismatch(decl, recordSpelling(record), record.pack);
    if (mismatch) problems.push(mismatch);
  }
  return { source: 'ctypes', name: record.pyName, decl, range: record.range, nameRanges: dedupe(record.nameRanges), problems };
}

function spellRecord(key: string, records: ReadonlyMap<string, CtypesRecord>): string {
  const record = records.get(key);
  return record ? recordSpelling(record) : `struct ${cIdentifier(key)}`;
}

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The smallest range covering all of `ranges`. */
function span(ranges: readonly Range[]): Range | null {
  if (ranges.length === 0) return null;
  let { start, end } = ranges[0]!;
  for (const r of ranges) {
    if (before(r.start, start)) start = r.start;
    if (before(end, r.end)) end = r.end;
  }
  return { start, end };
}

function dedupe(ranges: readonly Range[]): Range[] {
  const seen = new Set<string>();
  return ranges.filter((r) => {
    const key = `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
