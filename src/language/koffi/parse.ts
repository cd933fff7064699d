// The koffi parser: finds koffi declarations (`lib.func(…)`, `koffi.struct(…)`…) and calls
// of the bound functions in a TS/JS file, as C prototypes and declarations the ABI engine
// places. Pure: no vscode. Half-typed code yields what could be understood, plus problems.

import type { CallingConvention, FfiCall, FfiFile, FfiFunction } from '../ffi/model';
import { argumentsOf, JsScope, pathText, unwrap, type WalkLimits } from './js-scope';
import { cIdentifier, KoffiTypes, signatureProblems, signatureText, type Signature } from './registry';
import { LineMap, staticString } from './text';
import { declare, promoted, typeDeps, typeProblem } from './types';
import { BudgetExceeded, inputProblem, isStackOverflow, withinBudget, type Bounded, type Budget, type Deadline } from '../budget';
import { grammarForFile, lineStartOffsets, loadGrammars, parseLeavingOut, parseText, parseTextNow, type SyntaxNode, type SyntaxTree } from '../syntax';
import { koffiLinesLeftOut } from './skim';
import { packageOnly, workspaceResolver, type KoffiExports, type KoffiModuleResolver } from './modules';

export type KoffiGrammar = 'typescript' | 'tsx' | 'javascript';

export interface KoffiOptions extends Bounded {
  /** The file's path: local modules it imports are read (from disk) to see whether they re-export koffi. */
  readonly fileName?: string;
  /** Only the declarations and calls on these lines (and what they name): see `FocusLines`. */
  readonly focus?: FocusLines;
}

/** A relative or absolute module specifier: a local module that may lend koffi, its libraries or its types. */
const LOCAL_IMPORT = /(?:from|require|import)\s*\(?\s*['"`](?:\.{1,2}(?:\/|['"`])|\/)/;

/**
 * Whether the text can declare anything for koffi: it names koffi, calls a declaring method, or
 * imports a local module. Most files of a workspace do none of these and are not parsed at all.
 */
export function mayUseKoffi(text: string): boolean {
  return /koffi/.test(text) || /\.(?:func|cdecl|stdcall|fastcall|thiscall)\s*\(/.test(text) || LOCAL_IMPORT.test(text);
}

export async function parseKoffi(text: string, grammar: KoffiGrammar, options: KoffiOptions = {}): Promise<FfiFile> {
  if (!mayUseKoffi(text)) return { functions: [], calls: [], records: [] };
  return withinBudget(text, options, async (deadline, budget) => {
    let resolver: KoffiModuleResolver = packageOnly;
    // Local modules are read only when the file imports one (a relative or absolute specifier).
    if (options.fileName !== undefined && LOCAL_IMPORT.test(text)) {
      await loadGrammars(['typescript', 'javascript', 'tsx']);
      resolver = workspaceResolver(options.fileName, (path, moduleText, inner) => moduleExports(path, moduleText, inner, budget, deadline));
    }
    const tree = await parseFocused(grammar, text, deadline, options.focus);
    try {
      return parseKoffiTree(tree.rootNode, text, resolver, { budget, deadline }, options.focus);
    } finally {
      tree.delete();
    }
  });
}

/**
 * The tree a read needs: with a focus, only the lines that can matter to it when they are
 * told apart safely (`koffiLinesLeftOut`), else the whole text.
 */
async function parseFocused(grammar: KoffiGrammar, text: string, deadline: Deadline, focus: FocusLines | undefined): Promise<SyntaxTree> {
  const lines = focus ? lineStartOffsets(text) : [];
  const leftOut = focus ? koffiLinesLeftOut(text, lines, focus) : null;
  return leftOut ? parseLeavingOut(grammar, text, lines, leftOut, deadline) : parseText(grammar, text, deadline);
}

const NO_EXPORTS: KoffiExports = { whole: false, names: new Set(), usesKoffi: false };

/** What a local module gives its importers (its grammar must be loaded already); nothing when it is too large or deep to read. */
function moduleExports(path: string, text: string, resolver: KoffiModuleResolver, budget: Budget, deadline: Deadline): KoffiExports {
  const grammar = grammarForFile(path);
  if (inputProblem(text, budget) !== null) return NO_EXPORTS;
  const tree = grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript' ? parseTextNow(grammar, text) : null;
  if (!tree) return NO_EXPORTS;
  try {
    const js = new JsScope(tree.rootNode, resolver, { budget, deadline });
    const exports = js.exports();
    if (!js.importsKoffi) return exports;
    const types = new KoffiTypes(js, new LineMap(text));
    types.evaluateAll();
    const declared = new Map<string, string>();
    for (const record of types.records()) if (record.decl !== null) declared.set(record.name, record.decl);
    return { ...exports, types: declared };
  } catch (err) {
    if (err instanceof BudgetExceeded || isStackOverflow(err)) return NO_EXPORTS;
    throw err;
  } finally {
    tree.delete();
  }
}

/**
 * The same over a tree parsed already (`text` must be the text it was parsed from). A file that
 * does not import koffi still declares what only koffi declares: `x.func('int f(int a)')` with a
 * prototype string, as a module that receives its library from another one writes it.
 */
export function parseKoffiTree(root: SyntaxNode, text: string, resolver: KoffiModuleResolver = packageOnly, limits: WalkLimits = {}, focus?: FocusLines): FfiFile {
  const js = new JsScope(root, resolver, limits);
  const lines = new LineMap(text);
  const types = new KoffiTypes(js, lines);
  types.evaluateAll();
  const near = focus ? (node: SyntaxNode) => touches(focus, node, lines) : () => true;
  // Reading a declaration is most of the cost: with a focus, only those on its lines and those
  // the calls on its lines name (found through the bindings), in source order as without one.
  const focusCalls = js.calls.filter(near);
  const candidates = focus ? declarationCandidates(js, focus, focusCalls, lines) : js.calls;
  const declared: Declared[] = [];
  for (const call of candidates) {
    const found = declaration(js, types, lines, call);
    if (found) declared.push(found);
  }
  if (!js.importsKoffi && declared.length === 0) return { functions: [], calls: [], records: [] };
  for (const error of js.errors) if (near(error)) declared.push(...unfinished(js, lines, error));
  const byBinding = new Map<string, Declared>();
  for (const d of declared) if (d.fn.binding !== null && !byBinding.has(d.fn.binding)) byBinding.set(d.fn.binding, d);
  const calls = focusCalls.map((c) => callOf(types, lines, byBinding, c)).filter((c): c is FfiCall => c !== null);
  return { functions: declared.map((d) => d.fn), calls, records: types.records() };
}

/**
 * Lines a request is about (zero-based, inclusive): a hover's line, an editor's visible range.
 * A focused read gives the same answers there as a read of the whole file — a hover on those
 * lines, hints for those calls — and leaves out declarations and calls elsewhere.
 */
export interface FocusLines {
  readonly first: number;
  readonly last: number;
}

/** Whether a node has a line in `focus`. */
function touches(focus: FocusLines, node: SyntaxNode, lines: LineMap): boolean {
  if (node.startPosition.row > focus.last) return false;
  return lines.position(node.endIndex).line >= focus.first;
}

/**
 * The calls a focused read must try as declarations, in source order: those on the lines, those
 * whose binding is named on the lines (`const add = lib.func(…)` split over lines), and what each
 * call on the lines calls (`add(…)`, `add.async(…)`) when that name is bound to a call.
 */
function declarationCandidates(js: JsScope, focus: FocusLines, focusCalls: readonly SyntaxNode[], lines: LineMap): SyntaxNode[] {
  const wanted = new Set<number>(focusCalls.map((c) => c.id));
  const bound = (path: string | null): void => {
    const value = path === null ? undefined : js.bindings.get(path)?.value;
    if (value?.type === 'call_expression') wanted.add(value.id);
  };
  for (const call of focusCalls) {
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    bound(pathText(fn));
    const callee = unwrap(fn);
    const object = callee.type === 'member_expression' ? callee.childForFieldName('object') : null;
    if (object) bound(pathText(object));
  }
  for (const binding of js.bindings.values()) {
    if (binding.value.type === 'call_expression' && touches(focus, binding.nameNode, lines)) wanted.add(binding.value.id);
  }
  return js.calls.filter((c) => wanted.has(c.id));
}

/** Library methods that declare a function, with the convention they imply. */
const DECLARING_METHODS: Record<string, CallingConvention> = {
  func: 'default',
  cdecl: 'cdecl',
  stdcall: 'stdcall',
  fastcall: 'fastcall',
  thiscall: 'thiscall',
};

interface Declared {
  readonly fn: FfiFunction;
  /** Null when the signature could not be read. */
  readonly signature: Signature | null;
}

function declaration(js: JsScope, types: KoffiTypes, lines: LineMap, call: SyntaxNode): Declared | null {
  const callee = call.childForFieldName('function');
  if (!callee || callee.type !== 'member_expression') return null;
  const method = callee.childForFieldName('property')?.text ?? '';
  const object = callee.childForFieldName('object');
  const methodConvention = Object.hasOwn(DECLARING_METHODS, method) ? DECLARING_METHODS[method] : undefined;
  if (!object || methodConvention === undefined) return null;
  // A library from elsewhere (a parameter, an import) still counts when the file uses koffi.
  const args = argumentsOf(call);
  if (!args) return null;
  const first = args[0];
  const looksLikeKoffi = pathText(object) !== null && js.koffiMember(object) === null && first !== undefined && staticString(first) !== null;
  if (!js.isLibrary(object) && !(looksLikeKoffi && (js.importsKoffi || unmistakable(args)))) return null;
  const binding = js.byValue.get(unwrap(call).id) ?? null;
  const nameRanges = [];
  const base = { source: 'koffi' as const, binding: binding?.path ?? null, range: lines.nodeRange(call), declarationRanges: [lines.nodeRange(call)] };
  const unreadable = call.childForFieldName('arguments')?.hasError ? { problem: 'the declaration is not finished (syntax error)' } : null;
  const sig = unreadable ?? types.signature(args, 0);
  if ('problem' in sig) {
    if (binding) nameRanges.push(lines.nodeRange(binding.nameNode));
    const fn: FfiFunction = { ...base, name: binding?.path ?? method, prototype: null, decls: '', convention: methodConvention, nameRanges, problems: [sig.problem] };
    return { fn, signature: null };
  }
  if (sig.name !== null && sig.nameEnd > sig.nameStart) nameRanges.push(lines.range(sig.nameStart, sig.nameEnd));
  if (binding) nameRanges.push(lines.nodeRange(binding.nameNode));
  const problems = [...sig.problems, ...signatureProblems(sig)];
  const name = sig.name ?? binding?.path ?? 'anonymous';
  const convention = sig.convention === 'default' ? methodConvention : sig.convention ?? methodConvention;
  const complete = problems.length === 0;
  const deps = [sig.ret, ...sig.params.map((p) => p.type)].flatMap(typeDeps);
  const fn: FfiFunction = {
    ...base,
    name,
    prototype: complete ? signatureText(sig, cIdentifier(name)) : null,
    decls: complete ? types.declsFor(deps) : '',
    convention,
    nameRanges,
    problems,
  };
  return { fn, signature: sig };
}

/**
 * Arguments only a koffi declaration has: one prototype string with a return type, a name and a
 * parameter list (`'int add(int a, int b)'`), or (name, result type string, [parameter types]).
 */
function unmistakable(args: readonly SyntaxNode[]): boolean {
  const strings = args.map((a) => staticString(a)?.value);
  if (args.length === 1) return (strings[0]?.length ?? 0) < 4096 && /^\s*[A-Za-z_][\w\s*]*?[\s*]\s*[A-Za-z_]\w*\s*\([^()]*\)\s*;?\s*$/.test(strings[0] ?? '');
  const list = args.length >= 3 ? unwrap(args[args.length - 1] as SyntaxNode) : null;
  return list?.type === 'array' && strings[args.length - 2] !== undefined && list.namedChildren.every((e) => e.type === 'comment' || staticString(e) !== null);
}

/** `lib.func(` cut off so badly that the parser saw no call: report it, at least. */
function unfinished(js: JsScope, lines: LineMap, error: SyntaxNode): Declared[] {
  const found: Declared[] = [];
  for (const child of error.namedChildren) {
    if (child.type !== 'member_expression') continue;
    const method = child.childForFieldName('property')?.text ?? '';
    const object = child.childForFieldName('object');
    if (!Object.hasOwn(DECLARING_METHODS, method) || !object || !js.isLibrary(object)) continue;
    const next = child.nextSibling;
    if (next?.type !== '(') continue;
    found.push({
      signature: null,
      fn: {
        source: 'koffi', name: method, binding: null, prototype: null, decls: '', convention: DECLARING_METHODS[method] as CallingConvention,
        range: lines.range(child.startIndex, error.endIndex), nameRanges: [], problems: ['the declaration is not finished (syntax error)'],
      },
    });
  }
  return found;
}

/** A call of a bound function: `add(1, 2)`, `api.add(…)`, `add.async(1, 2, cb)`. */
function callOf(types: KoffiTypes, lines: LineMap, byBinding: ReadonlyMap<string, Declared>, call: SyntaxNode): FfiCall | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  let path = pathText(fn);
  let isAsync = false;
  if (path === null || !byBinding.has(path)) {
    const object = unwrap(fn).type === 'member_expression' ? unwrap(fn).childForFieldName('object') : null;
    if (!object || unwrap(fn).childForFieldName('property')?.text !== 'async') return null;
    path = pathText(object);
    isAsync = true;
  }
  const declared = path === null ? undefined : byBinding.get(path);
  const args = argumentsOf(call);
  if (!declared || !args || path === null) return null;
  const sig = declared.signature;
  // Hints stop at a spread: what follows cannot be matched to parameters.
  const spread = args.findIndex((a) => a.type === 'spread_element');
  let values = spread < 0 ? args : args.slice(0, spread);
  const result: { -readonly [K in keyof FfiCall]: FfiCall[K] } = {
    callee: path,
    range: lines.nodeRange(call),
    calleeRange: lines.nodeRange(fn),
    argumentRanges: [],
  };
  if (sig && isAsync) values = values.slice(0, sig.params.length); // the last one is the completion callback
  if (sig?.variadic && !isAsync) {
    // Koffi takes each extra argument as a (type, value) pair.
    const fixed = values.slice(0, sig.params.length);
    const pairs = values.slice(sig.params.length);
    const variadicTypes: (string | null)[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      fixed.push(pairs[i + 1] as SyntaxNode);
      const type = promoted(types.typeOf(pairs[i] as SyntaxNode));
      variadicTypes.push(typeProblem(type) === null ? declare(type) : null);
    }
    values = fixed;
    result.variadicTypes = variadicTypes;
  }
  result.argumentRanges = values.map((a) => lines.nodeRange(a));
  return result;
}
