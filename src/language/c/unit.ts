// Walks one C file and the `#include "…"` files it reaches, in the order a compiler would
// see them, collecting declaration items (with the macros and `#pragma pack` in effect),
// functions, records and calls. Only active `#if` branches count.

import { dirname, isAbsolute, join, normalize } from 'node:path';
import type Parser from 'web-tree-sitter';
import type { CallingConvention, FfiFileProblem, Range } from '../ffi/model';
import { blankCplusplusGuards, blankWords, CONVENTION_KEYWORDS, conventionIn, isDecoration, isTypeWrapper, MacroTable, scanDirectives, unwrapTypeMacros, type ScannedDefine } from './macros';
import { declaratorName, functionDeclaratorOf, isKAndR, rangeBetween, rangeOf, referencesIn, typeNamesIn } from './nodes';
import { activeBranch, render } from './render';
import { DEFAULT_BUDGET, inputProblem, tooDeep, type Budget, type Deadline } from '../budget';
import { parseWithin, type SyntaxNode, type SyntaxTree } from '../syntax';

/** A declaration the engine must see before a prototype that uses what it defines. */
export interface DeclItem {
  readonly text: string;
  /** Typedef names, enumerators and `struct X` / `union X` / `enum X` keys it defines. */
  readonly defines: readonly string[];
  readonly uses: ReadonlySet<string>;
  readonly typeNames: readonly string[];
  /** `#pragma pack` value in effect where it was written. */
  readonly pack: number | undefined;
  readonly problems: readonly string[];
}

export interface FoundFunction {
  readonly name: string;
  readonly prototype: string | null;
  readonly uses: ReadonlySet<string>;
  readonly typeNames: readonly string[];
  readonly convention: CallingConvention;
  readonly range: Range;
  readonly nameRange: Range;
  readonly problems: readonly string[];
}

export interface FoundRecord {
  readonly name: string;
  /** The key its item defines, e.g. `struct Point` or the typedef name. */
  readonly key: string;
  readonly item: number;
  readonly range: Range;
  readonly nameRange: Range;
}

export interface FoundCall {
  readonly callee: string;
  readonly range: Range;
  readonly calleeRange: Range;
  readonly argumentRanges: readonly Range[];
}

export interface UnitOptions {
  readonly fileName: string | undefined;
  readonly readFile: (path: string) => string | null;
  readonly includeDirs: readonly string[];
  /** The ABI target: its predefined macros (`_WIN32`, `__aarch64__`, `__APPLE__`…) decide `#ifdef`s. */
  readonly target?: string;
  readonly budget?: Budget;
  readonly deadline?: Deadline;
}

interface FileContext {
  readonly path: string | null;
  /** The text as written (the parse may have decorations blanked out). */
  readonly original: string;
  readonly source: string;
  readonly own: boolean;
  /** Where, in the user's file, problems of this file are shown: the `#include` that led here. */
  readonly site: Range | null;
}

interface Rendered {
  readonly text: string;
  readonly problems: readonly string[];
}

const MAX_INCLUDE_DEPTH = 64;
const MAX_SYNTAX_PROBLEMS = 10;
const PROTOTYPE_NOISE = new Set(['storage_class_specifier', 'attribute_specifier', 'ms_declspec_modifier', 'attribute_declaration', ';', ',', 'comment']);
const BODIES = new Set(['field_declaration_list', 'enumerator_list']);

export class UnitWalker {
  readonly items: DeclItem[] = [];
  readonly functions: FoundFunction[] = [];
  readonly records: FoundRecord[] = [];
  readonly calls: FoundCall[] = [];
  readonly problems: FfiFileProblem[] = [];
  /** Every function declared or defined in the file or its includes. */
  readonly knownFunctions = new Set<string>();

  private readonly macros: MacroTable;
  private pack: number | undefined;
  private readonly packStack: (number | undefined)[] = [];
  private readonly itemKeys = new Set<string>();
  private readonly stack: string[] = [];
  private readonly once = new Set<string>();
  private readonly texts = new Map<string, string | null>();
  private readonly trees: SyntaxTree[] = [];
  private blanked = new Set<string>();
  /** Function-like macros that wrap a type (`EXPORT(int)`), unwrapped before parsing. */
  private wrappers = new Set<string>();

  constructor(private readonly parser: Parser, private readonly options: UnitOptions) {
    this.macros = new MacroTable(options.target);
  }

  /** Frees the wasm trees; call when done. */
  dispose(): void {
    for (const tree of this.trees.splice(0)) tree.delete();
  }

  walk(text: string): void {
    const path = this.options.fileName ? normalize(this.options.fileName) : null;
    if (path) this.texts.set(path, text);
    ({ blanked: this.blanked, wrappers: this.wrappers } = this.decorationMacros(path, text));
    this.walkFile({ path, original: text, source: this.prepared(text), own: true, site: null });
  }

  // ---- files and includes ----------------------------------------------------------------

  /** The text tree-sitter parses: same length and lines, decorations and C++ guards blanked. */
  private prepared(text: string): string {
    return blankCplusplusGuards(unwrapTypeMacros(blankWords(text, this.blanked), this.wrappers));
  }

  private read(path: string): string | null {
    if (!this.texts.has(path)) {
      let text: string | null;
      try {
        text = this.options.readFile(path);
      } catch {
        text = null;
      }
      this.texts.set(path, text);
    }
    return this.texts.get(path) ?? null;
  }

  private resolve(spec: string, from: string | null): string | null {
    if (isAbsolute(spec)) return this.read(normalize(spec)) !== null ? normalize(spec) : null;
    const dirs = [...(from ? [dirname(from)] : []), ...this.options.includeDirs];
    for (const dir of dirs) {
      const candidate = normalize(join(dir, spec));
      if (this.read(candidate) !== null) return candidate;
    }
    return null;
  }

  /**
   * Macros that only decorate declarations (`#define API __declspec(dllexport)`), found by a
   * line scan of every reachable file: tree-sitter must not see them, so they are blanked.
   */
  private decorationMacros(path: string | null, text: string): { blanked: Set<string>; wrappers: Set<string> } {
    const values = new Map<string, (string | null)[]>();
    const functionLike = new Map<string, ScannedDefine[]>();
    const seen = new Set<string>();
    const queue: { path: string | null; text: string }[] = [{ path, text }];
    while (queue.length > 0 && seen.size < 1000) {
      const file = queue.shift() as { path: string | null; text: string };
      const scanned = scanDirectives(file.text);
      for (const d of scanned.defines) values.set(d.name, [...(values.get(d.name) ?? []), d.value]);
      for (const d of scanned.defines) if (d.value === null) functionLike.set(d.name, [...(functionLike.get(d.name) ?? []), d]);
      for (const spec of scanned.includes) {
        const found = this.resolve(spec, file.path);
        if (found && !seen.has(found)) {
          seen.add(found);
          queue.push({ path: found, text: this.read(found) as string });
        }
      }
    }
    const table = new MacroTable(this.options.target);
    for (const [name, list] of values) if (list.length === 1 && list[0] !== null) table.define(name, list[0] as string);
    const blanked = new Set(CONVENTION_KEYWORDS);
    for (const [name, list] of values) {
      if (list.every((v) => v !== null && isDecoration(table.expandText(v)))) blanked.add(name);
    }
    // Every definition (one per #ifdef branch, say) must be a wrapper for uses to be unwrapped.
    const wrappers = new Set<string>();
    for (const [name, list] of functionLike) {
      if (values.get(name)?.every((v) => v === null) && list.every((d) => isTypeWrapper(d, (t) => table.expandText(t)))) wrappers.add(name);
    }
    return { blanked, wrappers };
  }

  private walkFile(file: FileContext): void {
    const tree = parseWithin(this.parser, file.source, this.options.deadline);
    this.trees.push(tree);
    if (file.path) this.stack.push(file.path);
    try {
      for (const child of tree.rootNode.namedChildren) this.topLevel(child, file);
      if (file.own) this.reportSyntaxErrors(tree.rootNode);
    } finally {
      if (file.path) this.stack.pop();
    }
  }

  private problem(file: FileContext, node: SyntaxNode, message: string): void {
    const where = file.path && !file.own ? `${file.path}: ` : '';
    this.problems.push({ range: file.site ?? rangeOf(node), message: where + message });
  }

  private include(node: SyntaxNode, file: FileContext): void {
    const pathNode = node.childForFieldName('path');
    if (!pathNode || pathNode.type !== 'string_literal') return; // <system> headers: the engine knows their types
    const spec = pathNode.text.slice(1, -1);
    const found = this.resolve(spec, file.path);
    if (!found) return this.problem(file, node, `cannot find include "${spec}"`);
    if (this.once.has(found)) return;
    if (this.stack.includes(found)) {
      return this.problem(file, node, `include cycle: ${[...this.stack.slice(this.stack.indexOf(found)), found].join(' → ')}`);
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) return this.problem(file, node, `includes nest deeper than ${MAX_INCLUDE_DEPTH}`);
    const text = this.read(found) as string;
    const tooLarge = inputProblem(text, this.options.budget);
    if (tooLarge) return this.problem(file, node, `include "${spec}" is ${tooLarge}`);
    this.walkFile({ path: found, original: text, source: this.prepared(text), own: false, site: file.site ?? rangeOf(node) });
  }

  private directive(node: SyntaxNode, file: FileContext): void {
    const name = node.childForFieldName('directive')?.text.replace(/\s+/g, '') ?? '';
    const argument = node.childForFieldName('argument')?.text.trim() ?? '';
    if (name === '#undef') this.macros.undefine(argument);
    if (name !== '#pragma') return;
    if (argument === 'once' && file.path) this.once.add(file.path);
    const pack = /^pack\s*\((.*)\)/.exec(argument);
    if (pack) this.applyPack(pack[1] as string);
  }

  /** The same `#pragma pack` semantics as the engine, to know the value in effect per item. */
  private applyPack(args: string): void {
    const parts = args.split(',').map((a) => a.trim()).filter((a) => a !== '');
    const last = parts[parts.length - 1] ?? '';
    const value = /^\d+$/.test(last) ? Number(last) || undefined : null;
    if (parts[0] === 'push') {
      this.packStack.push(this.pack);
      if (parts.length > 1 && value !== null) this.pack = value;
    } else if (parts[0] === 'pop') {
      if (this.packStack.length > 0) this.pack = this.packStack.pop();
      if (parts.length > 1 && value !== null) this.pack = value;
    } else if (parts.length === 0) this.pack = undefined;
    else if (value !== null && parts.length === 1) this.pack = value;
  }

  // ---- top-level items ---------------------------------------------------------------------

  private topLevel(node: SyntaxNode, file: FileContext, depth = 0): void {
    const budget = this.options.budget ?? DEFAULT_BUDGET;
    if (depth > budget.maxDepth) throw tooDeep(budget, node.startPosition.row);
    this.options.deadline?.check();
    switch (node.type) {
      case 'preproc_include':
        return this.include(node, file);
      case 'preproc_def': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.macros.define(name, node.childForFieldName('value')?.text ?? '');
        return;
      }
      case 'preproc_function_def': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.macros.defineFunction(name);
        return;
      }
      case 'preproc_call':
        return this.directive(node, file);
      case 'preproc_if':
      case 'preproc_ifdef':
        for (const child of activeBranch(node, this.macros, file.source)) this.topLevel(child, file, depth + 1);
        return;
      case 'linkage_specification': {
        const body = node.childForFieldName('body');
        const children = body?.type === 'declaration_list' ? body.namedChildren : body ? [body] : [];
        for (const child of children) this.topLevel(child, file, depth + 1);
        return;
      }
      case 'type_definition':
        return this.addItem(node, file, this.render(node, file, false));
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        return this.addItem(node, file, this.render(node, file, false, undefined, ';'));
      case 'declaration':
        return this.declaration(node, file);
      case 'function_definition':
        return this.definition(node, file, depth);
      case 'expression_statement':
        return this.strayStatement(node, file);
      case 'ERROR':
        if (file.own) this.collectCalls(node);
        for (const child of node.namedChildren) this.topLevel(child, file, depth + 1);
        return;
      default:
        return;
    }
  }

  private render(node: SyntaxNode, file: FileContext, compact: boolean, omit?: (n: SyntaxNode) => boolean, suffix = ''): Rendered {
    const problems = new Set<string>();
    const text = render(node, { source: file.source, macros: this.macros, compact, problems, omit }) + suffix;
    return { text, problems: [...problems] };
  }

  private addItem(node: SyntaxNode, file: FileContext, { text, problems }: Rendered): void {
    const key = `${file.path ?? '<input>'}:${node.startIndex}`;
    if (this.itemKeys.has(key)) return;
    this.itemKeys.add(key);
    const index = this.items.length;
    const defines: string[] = [];
    const specifiers = new Map<number, SyntaxNode>();
    for (const n of [node, ...node.descendantsOfType(['struct_specifier', 'union_specifier', 'enum_specifier'])]) {
      if (n.type.endsWith('_specifier') && n.type !== 'storage_class_specifier') specifiers.set(n.id, n);
    }
    for (const spec of specifiers.values()) {
      const tag = spec.childForFieldName('name');
      const body = spec.childForFieldName('body');
      const keyword = spec.type.replace('_specifier', '');
      // `struct P *p` merely mentions a tag; a body (or a forward declaration of its own) defines it.
      if (tag && (body || spec.id === node.id)) defines.push(`${keyword} ${tag.text}`);
      if (spec.type === 'enum_specifier') {
        for (const e of body?.namedChildren ?? []) if (e.type === 'enumerator') defines.push(e.childForFieldName('name')?.text ?? '');
      } else if (body && file.own) this.addRecord(node, spec, tag, `${keyword} ${tag?.text ?? ''}`, index);
    }
    if (node.type === 'type_definition') {
      for (const d of node.childrenForFieldName('declarator')) {
        const name = declaratorName(d);
        if (name) defines.push(name.text);
      }
    }
    this.items.push({
      text,
      defines: defines.filter((d) => d !== ''),
      uses: referencesIn(text),
      typeNames: typeNamesIn(node, this.macros),
      pack: this.pack,
      problems: [...problems, ...(node.hasError ? ['syntax error in a declaration this needs'] : [])],
    });
  }

  private addRecord(item: SyntaxNode, spec: SyntaxNode, tag: SyntaxNode | null, key: string, index: number): void {
    // `typedef struct { … } Point;`: the record is known by its typedef name.
    const typedefName = item.type === 'type_definition' && item.childForFieldName('type')?.id === spec.id
      ? declaratorName(item.childrenForFieldName('declarator')[0] ?? spec)
      : null;
    const nameNode = tag ?? typedefName;
    if (!nameNode || nameNode.type !== 'type_identifier') return;
    this.records.push({
      name: nameNode.text,
      key: tag ? key : nameNode.text,
      item: index,
      range: rangeOf(spec),
      nameRange: rangeOf(nameNode),
    });
  }

  private declaration(node: SyntaxNode, file: FileContext): void {
    const type = node.childForFieldName('type');
    this.checkMacroType(type, file);
    const declarators = node.childrenForFieldName('declarator');
    if (type && type.childForFieldName('body')) {
      // `struct S { … } PACKED;`: tree-sitter takes the attribute macro for a variable name.
      const attributes = declarators
        .map((d) => (d.type === 'identifier' ? this.macros.expand(d.text) : null))
        .filter((e): e is string => e !== null && e.includes('__attribute__'));
      this.addItem(type, file, this.render(type, file, false, undefined, `${attributes.map((a) => ` ${a}`).join('')};`));
    }
    for (const declarator of declarators) {
      const fn = functionDeclaratorOf(declarator);
      if (fn) this.addFunction(node, declarator, fn, file);
    }
  }

  private definition(node: SyntaxNode, file: FileContext, depth: number): void {
    const type = node.childForFieldName('type');
    this.checkMacroType(type, file);
    if (type && type.childForFieldName('body')) this.addItem(type, file, this.render(type, file, false, undefined, ';'));
    const declarator = node.childForFieldName('declarator');
    const fn = declarator ? functionDeclaratorOf(declarator) : null;
    if (declarator && fn) this.addFunction(node, declarator, fn, file);
    const body = node.childForFieldName('body');
    if (!fn && body) {
      // Error recovery made a "definition" of half-typed code: its body is really file scope.
      for (const child of body.namedChildren) this.topLevel(child, file, depth + 1);
      return;
    }
    if (file.own && body) this.collectCalls(body);
  }

  private addFunction(node: SyntaxNode, declarator: SyntaxNode, fn: SyntaxNode, file: FileContext): void {
    const nameNode = declaratorName(declarator);
    if (!nameNode) return;
    this.knownFunctions.add(nameNode.text);
    if (!file.own) return;
    const problems: string[] = [];
    const type = node.childForFieldName('type');
    const omit = (n: SyntaxNode): boolean => {
      const parent = n.parent;
      if (!parent) return false;
      if (parent.id === node.id) {
        return PROTOTYPE_NOISE.has(n.type) || n.type === 'declaration' || n.type === 'compound_statement' ||
          (n.id !== declarator.id && n.id !== type?.id && node.childrenForFieldName('declarator').some((d) => d.id === n.id));
      }
      return parent.id === type?.id && BODIES.has(n.type); // `struct S { … } f(void)`: the definition is an item of its own
    };
    let prototype: string | null = null;
    if (isKAndR(fn)) problems.push('old-style (K&R) definition: no prototype to compare against');
    else {
      const rendered = this.render(node, file, true, omit);
      problems.push(...rendered.problems);
      prototype = rendered.text;
      if (type?.type === 'struct_specifier' && !type.childForFieldName('name') && type.childForFieldName('body')) {
        problems.push('returns an anonymous struct defined in place');
        prototype = null;
      }
    }
    if (node.hasError && fn.hasError) problems.push('syntax error in this declaration');
    const head = file.original.slice(node.startIndex, declarator.endIndex);
    this.functions.push({
      name: nameNode.text,
      prototype,
      uses: referencesIn(prototype ?? ''),
      typeNames: [...(type ? typeNamesIn(type, this.macros) : []), ...typeNamesIn(declarator, this.macros)],
      convention: conventionIn(this.macros.expandText(head)) ?? 'default',
      range: rangeBetween(node, declarator),
      nameRange: rangeOf(nameNode),
      problems,
    });
  }

  /** `DECLARE_API(foo)` where a type should be: tree-sitter calls it a macro type. */
  private checkMacroType(type: SyntaxNode | null, file: FileContext): void {
    const name = type?.type === 'macro_type_specifier' ? type.childForFieldName('name')?.text ?? '' : '';
    if (type && file.own && this.macros.isFunctionLike(name)) {
      this.problem(file, type, `function-like macro '${name}' is not expanded; declarations it makes are not seen`);
    }
  }

  /** A top-level `DECLARE_API(foo);` is a function-like macro we do not expand: say so. */
  private strayStatement(node: SyntaxNode, file: FileContext): void {
    const call = node.namedChildren.find((c) => c.type === 'call_expression');
    const callee = call?.childForFieldName('function')?.text ?? '';
    if (file.own && this.macros.isFunctionLike(callee)) {
      this.problem(file, node, `function-like macro '${callee}' is not expanded; declarations it makes are not seen`);
    }
  }

  // ---- calls and errors --------------------------------------------------------------------

  /** Every call by plain name; filtered to known functions once the whole unit is read. */
  private collectCalls(node: SyntaxNode): void {
    for (const call of node.descendantsOfType('call_expression')) {
      const callee = call.childForFieldName('function');
      const args = call.childForFieldName('arguments');
      if (!callee || callee.type !== 'identifier' || !args) continue;
      this.calls.push({
        callee: callee.text,
        range: rangeOf(call),
        calleeRange: rangeOf(callee),
        argumentRanges: args.namedChildren.filter((a) => a.type !== 'comment').map(rangeOf),
      });
    }
  }

  private reportSyntaxErrors(root: SyntaxNode): void {
    if (!root.hasError) return;
    const found: FfiFileProblem[] = [];
    // Iterative: an error may sit at the bottom of a deep nest.
    const stack: SyntaxNode[] = [root];
    while (stack.length > 0 && found.length < MAX_SYNTAX_PROBLEMS) {
      const node = stack.pop() as SyntaxNode;
      if (!node.hasError) continue;
      if (node.type === 'ERROR') found.push({ range: rangeOf(node), message: 'syntax error' });
      else if (node.isMissing) found.push({ range: rangeOf(node), message: `syntax error: missing '${node.type}'` });
      else stack.push(...[...node.children].reverse());
    }
    this.problems.push(...found);
  }
}
