// The JS side of the koffi parser: which local names stand for the koffi module, which
// names are bound to which expressions (`const lib = koffi.load(…)`, `api.add = …`), and
// small tree helpers. Scopes are ignored: a file binds each name the first way we see.

import type { Budget, Deadline } from '../budget';
import type { SyntaxNode } from '../syntax';
import { packageOnly, type KoffiExports, type KoffiModuleResolver } from './modules';
import { staticString } from './text';

/** Wrappers that do not change a value: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
const TRANSPARENT = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'await_expression']);

export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let depth = 0; depth < 64 && TRANSPARENT.has(current.type); depth++) {
    const inner = current.type === 'type_assertion' ? current.namedChildren[current.namedChildren.length - 1] : current.namedChildren[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** `lib`, `api.add`, `this.add`: a dotted path (up to 64 parts), or null for anything else. */
export function pathText(node: SyntaxNode): string | null {
  // Iterative: `a.b.c…` may be thousands of members long.
  const parts: string[] = [];
  let n = unwrap(node);
  while (n.type === 'member_expression') {
    const object = n.childForFieldName('object');
    const property = n.childForFieldName('property');
    if (!object || !property || property.type === 'private_property_identifier' || parts.length >= 64) return null;
    parts.push(property.text);
    n = unwrap(object);
  }
  if (n.type !== 'identifier' && n.type !== 'this' && n.type !== 'shorthand_property_identifier') return null;
  parts.push(n.text);
  return parts.reverse().join('.');
}

/** The budget of one walk of a file's tree. */
export interface WalkLimits {
  readonly budget?: Budget;
  readonly deadline?: Deadline;
}

/** The node types `JsScope.visit` reads; the TS and JS grammars name class fields differently. */
const INTERESTING = ['import_statement', 'export_statement', 'variable_declarator', 'assignment_expression', 'call_expression', 'public_field_definition', 'field_definition'];

/**
 * The nodes `JsScope.visit` reads, in source order (outer before inner), found by a walk inside
 * the wasm module (`descendantsOfType`: no query to compile, which costs about as much as the
 * walk on the TS grammar). Syntax errors, which that walk does not name, come after them, found
 * by following only the subtrees that hold one.
 */
function interestingNodes(root: SyntaxNode): SyntaxNode[] {
  const nodes = root.descendantsOfType(INTERESTING);
  if (root.hasError) nodes.push(...errorNodes(root));
  return nodes;
}

function errorNodes(root: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode;
    if (node.type === 'ERROR') found.push(node);
    // Children last to first, so they come off the stack in source order.
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) if ((children[i] as SyntaxNode).hasError) stack.push(children[i] as SyntaxNode);
  }
  return found;
}

/** The argument expressions of a call (comments dropped); null for tagged templates and broken calls. */
export function argumentsOf(call: SyntaxNode): SyntaxNode[] | null {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'arguments') return null;
  return args.namedChildren.filter((n) => n.type !== 'comment');
}

export interface Binding {
  readonly path: string;
  readonly value: SyntaxNode;
  /** The identifier or property that names the binding, for hover ranges. */
  readonly nameNode: SyntaxNode;
}

/** What the file binds, and how it reaches koffi. */
export class JsScope {
  /** Local names of the koffi module object (`koffi`, `k`…). */
  readonly modules = new Set<string>();
  /** Local names of koffi members imported one by one (`load`, `struct`…) → member. */
  readonly members = new Map<string, string>();
  readonly bindings = new Map<string, Binding>();
  /** Binding by the id of its (unwrapped) value node. */
  readonly byValue = new Map<number, Binding>();
  readonly calls: SyntaxNode[] = [];
  /** Syntax errors, where half-typed declarations hide. */
  readonly errors: SyntaxNode[] = [];
  /** Imports a local module that uses koffi: its libraries and functions may be used here. */
  private indirect = false;
  /** Koffi types declared by the local modules this file imports: name → C declarations. */
  readonly importedTypes = new Map<string, string>();
  /** `require`, and the functions `createRequire(…)` made. */
  private readonly requires = new Set(['require']);
  /** Export statements and `module.exports`/`exports.x` assignments, read once the walk is done. */
  private readonly exportNodes: SyntaxNode[] = [];

  private readonly resolver: KoffiModuleResolver;
  /** The file's text, for cheap looks at a node's first characters; null when the tree does not start at 0. */
  private readonly source: string | null;

  constructor(root: SyntaxNode, resolver: KoffiModuleResolver = packageOnly, limits: WalkLimits = {}) {
    this.source = root.startIndex === 0 ? root.text : null;
    // Every module this file loads lends its koffi types, whatever names it binds.
    this.resolver = (specifier) => {
      const loaded = resolver(specifier);
      for (const [name, decl] of loaded?.types ?? []) if (!this.importedTypes.has(name)) this.importedTypes.set(name, decl);
      return loaded;
    };
    // Only the nodes that bind names, import or call, in source order, found by a tree-sitter
    // query inside the wasm module: marshalling every node of a 5,000-line file into JS costs
    // ten times the parse. No walk recurses along the tree here; what reads the nodes later
    // has its own small depth limits.
    for (const node of interestingNodes(root)) {
      limits.deadline?.check();
      this.visit(node);
    }
  }

  /** The file reaches koffi: imports it (however named) or a local module that uses it. */
  get importsKoffi(): boolean {
    return this.modules.size > 0 || this.members.size > 0 || this.indirect;
  }

  /** What this file, as a module, gives its importers. */
  exports(): KoffiExports {
    let whole = false;
    const names = new Set<string>();
    const isModule = (node: SyntaxNode | null): boolean => {
      if (!node) return false;
      const n = unwrap(node);
      return (n.type === 'identifier' && this.modules.has(n.text)) || this.moduleOf(n)?.whole === true;
    };
    for (const node of this.exportNodes) {
      if (node.type === 'assignment_expression') {
        const target = pathText(node.childForFieldName('left') as SyntaxNode);
        const right = node.childForFieldName('right') as SyntaxNode;
        if (target === 'module.exports' && isModule(right)) whole = true;
        else if (target === 'module.exports' && unwrap(right).type === 'object') {
          for (const prop of unwrap(right).namedChildren) {
            if (prop.type === 'shorthand_property_identifier' && this.modules.has(prop.text)) names.add(prop.text);
            const key = prop.type === 'pair' ? prop.childForFieldName('key') : null;
            if (key && isModule(prop.childForFieldName('value'))) names.add(key.text);
          }
        } else if (target && /^(?:module\.)?exports\.[\w$]+$/.test(target) && isModule(right)) names.add(target.slice(target.lastIndexOf('.') + 1));
        continue;
      }
      // export_statement
      const source = node.childForFieldName('source');
      const from = source ? staticString(source)?.value : undefined;
      const reexported = from === undefined ? null : this.resolver(from);
      const value = node.childForFieldName('value');
      const declaration = node.childForFieldName('declaration');
      if (value && isModule(value)) whole = true;
      for (const child of node.namedChildren) {
        if (child.type === 'namespace_export' && reexported?.whole) {
          const name = child.namedChildren.find((c) => c.type === 'identifier' || c.type === 'string');
          if (name) names.add(staticString(name)?.value ?? name.text);
        }
        if (child.type !== 'export_clause') continue;
        for (const spec of child.namedChildren) {
          const name = spec.childForFieldName('name')?.text;
          const alias = spec.childForFieldName('alias')?.text ?? name;
          if (!name || !alias) continue;
          const isKoffi = reexported ? (name === 'default' && reexported.whole) || reexported.names.has(name) : this.modules.has(name);
          if (!isKoffi) continue;
          if (alias === 'default') whole = true;
          else names.add(alias);
        }
      }
      if (source && reexported?.whole && !node.namedChildren.some((c) => c.type === 'export_clause' || c.type === 'namespace_export')) whole = true; // export * from 'koffi'
      for (const d of declaration?.namedChildren ?? []) {
        const name = d.type === 'variable_declarator' ? d.childForFieldName('name') : null;
        if (name?.type === 'identifier' && this.modules.has(name.text)) names.add(name.text);
      }
    }
    return { whole, names, usesKoffi: this.importsKoffi };
  }

  /**
   * The module an expression loads, as koffi sees it: `require(S)`, `await import(S)`,
   * `createRequire(…)(S)`, a function made by createRequire, and `.default` of any of them.
   */
  moduleOf(node: SyntaxNode, depth = 0): KoffiExports | null {
    const n = unwrap(node);
    if (depth > 8) return null;
    if (n.type === 'member_expression' && n.childForFieldName('property')?.text === 'default') {
      const inner = this.moduleOf(n.childForFieldName('object') as SyntaxNode, depth + 1);
      return inner?.whole ? inner : null;
    }
    if (n.type !== 'call_expression') return null;
    const fn = n.childForFieldName('function');
    // What bundlers and compilers wrap a require in: `__toESM(require('koffi'))`,
    // `_interopRequireDefault(…)`, or a minified `z(require("koffi"))`: one argument that loads koffi.
    const wrapped = fn?.type === 'identifier' ? argumentsOf(n) : null;
    if (wrapped?.length === 1 && unwrap(wrapped[0] as SyntaxNode).type === 'call_expression' && !this.requires.has(fn!.text) && !isCreateRequire(fn!)) {
      const inner = this.moduleOf(wrapped[0] as SyntaxNode, depth + 1);
      if (inner?.whole || (inner && INTEROP_HELPERS.test(fn!.text))) return inner;
    }
    const loads = fn !== null && (fn.type === 'import' || (fn.type === 'identifier' && this.requires.has(fn.text)) || isCreateRequire(fn));
    if (!loads) return null;
    const first = argumentsOf(n)?.[0];
    const specifier = first ? staticString(first)?.value : undefined;
    return specifier === undefined ? null : this.resolver(specifier);
  }

  /** The koffi member an expression denotes: `koffi.struct` → 'struct', an imported `load` → 'load'. */
  koffiMember(node: SyntaxNode, depth = 0): string | null {
    const n = unwrap(node);
    if (depth > 8) return null;
    if (n.type === 'identifier') return this.members.get(n.text) ?? null;
    if (n.type !== 'member_expression') return null;
    const object = n.childForFieldName('object');
    const property = n.childForFieldName('property');
    if (!object || !property) return null;
    const base = unwrap(object);
    if (base.type === 'identifier' && this.modules.has(base.text)) return property.text;
    // `koffi.default.struct` after some CommonJS interop.
    if (base.type === 'member_expression' && base.childForFieldName('property')?.text === 'default' && this.koffiMember(base, depth + 1) === 'default') return property.text;
    return null;
  }

  private readonly koffiCalls = new Map<number, string | null>();

  /** The koffi member a call calls (`koffi.struct(…)` → 'struct'); asked of every call several times, so kept. */
  koffiCall(node: SyntaxNode): string | null {
    let member = this.koffiCalls.get(node.id);
    if (member !== undefined) return member;
    const n = unwrap(node);
    if (n.type !== 'call_expression') member = null;
    else if (!this.mayNameKoffi(n)) member = null;
    else {
      const fn = n.childForFieldName('function');
      member = fn ? this.koffiMember(fn) : null;
    }
    this.koffiCalls.set(node.id, member);
    return member;
  }

  /**
   * Whether a call's callee may be koffi's: false when its text starts with a plain name that
   * is none of koffi's local names (most calls of a file: `f(…)`, `lib.func(…)`), told from the
   * text alone. Read once the walk is done (the local names are all known then).
   */
  private mayNameKoffi(call: SyntaxNode): boolean {
    if (this.source === null) return true;
    const head = LEADING_NAME.exec(this.source.slice(call.startIndex, call.startIndex + 128));
    if (!head) return true; // `(koffi.struct)(…)`, `<any>k`…: read the tree
    const name = head[1]!;
    return name === 'await' || this.modules.has(name) || this.members.has(name);
  }

  /** Whether an expression may load a module (`require`, `import`, createRequire's functions): false when its text names none. */
  private mayLoad(node: SyntaxNode): boolean {
    // A long expression is read from the tree: scanning each nested one's text would add up.
    if (node.endIndex - node.startIndex > 4096) return true;
    const text = node.text;
    if (/require|import/i.test(text)) return true;
    for (const name of this.requires) if (text.includes(name)) return true;
    return false;
  }

  /** Whether an expression is a loaded library: `koffi.load(…)` or a name bound to one. */
  isLibrary(node: SyntaxNode, depth = 0): boolean {
    const n = unwrap(node);
    if (this.koffiCall(n) === 'load') return true;
    const path = pathText(n);
    const bound = path === null || depth > 16 ? undefined : this.bindings.get(path);
    return bound !== undefined && this.isLibrary(bound.value, depth + 1);
  }

  private visit(node: SyntaxNode): void {
    switch (node.type) {
      case 'import_statement':
        this.importStatement(node);
        break;
      case 'variable_declarator': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (!name || !value) break;
        const loads = this.mayLoad(value);
        const loaded = loads ? this.moduleOf(value) : null;
        if (loaded) this.loadedModule(name, loaded);
        else if (loads && name.type === 'identifier' && isCreateRequire(value)) this.requires.add(name.text);
        else if (name.type === 'identifier') this.bind(name.text, value, name);
        break;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const path = left ? pathText(left) : null;
        if (!left || !right || path === null) break;
        if (path === 'module.exports' || path.startsWith('module.exports.') || path.startsWith('exports.')) this.exportNodes.push(node);
        const loaded = this.mayLoad(right) ? this.moduleOf(right) : null;
        if (loaded && left.type === 'identifier') this.loadedModule(left, loaded);
        else this.bind(path, right, left.childForFieldName('property') ?? left);
        break;
      }
      case 'export_statement':
        this.exportNodes.push(node);
        if (node.childForFieldName('source')) this.importStatement(node);
        break;
      case 'ERROR':
        this.errors.push(node);
        break;
      case 'public_field_definition':
      case 'field_definition': {
        const name = node.childForFieldName('name') ?? node.childForFieldName('property');
        const value = node.childForFieldName('value');
        if (name && value && name.type === 'property_identifier') this.bind(`this.${name.text}`, value, name);
        break;
      }
      case 'call_expression':
        this.calls.push(node);
        break;
    }
  }

  private importStatement(node: SyntaxNode): void {
    const source = node.childForFieldName('source');
    const clause = node.namedChildren.find((c) => c.type === 'import_clause');
    const requireClause = node.namedChildren.find((c) => c.type === 'import_require_clause');
    if (requireClause) {
      // TS `import koffi = require('koffi')`
      const name = requireClause.namedChildren.find((c) => c.type === 'identifier');
      const from = requireClause.namedChildren.find((c) => c.type === 'string');
      const loaded = from ? this.resolver(staticString(from)?.value ?? '') : null;
      if (name && loaded) this.loadedModule(name, loaded);
      return;
    }
    const specifier = source ? staticString(source)?.value : undefined;
    const loaded = specifier === undefined ? null : this.resolver(specifier);
    if (!loaded) return;
    if (loaded.usesKoffi && !loaded.whole && loaded.names.size === 0) this.indirect = true;
    for (const part of clause?.namedChildren ?? []) {
      if (part.type === 'identifier') this.loadedModule(part, loaded);
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c.type === 'identifier');
        if (name) this.loadedModule(name, loaded);
      } else if (part.type === 'named_imports') {
        for (const spec of part.namedChildren) {
          if (spec.type !== 'import_specifier') continue;
          const imported = spec.childForFieldName('name');
          const local = spec.childForFieldName('alias') ?? imported;
          if (imported && local) this.importedName(imported.text, local.text, loaded);
        }
      }
    }
  }

  /** A name bound to a whole module (`const k = require(S)`), or a pattern taking names from it. */
  private loadedModule(name: SyntaxNode, loaded: KoffiExports): void {
    if (name.type === 'identifier') {
      if (loaded.whole) this.modules.add(name.text);
      else this.indirect ||= loaded.usesKoffi || loaded.names.size > 0;
      return;
    }
    if (name.type !== 'object_pattern') return;
    for (const prop of name.namedChildren) {
      if (prop.type === 'shorthand_property_identifier_pattern') this.importedName(prop.text, prop.text, loaded);
      else if (prop.type === 'pair_pattern') {
        const key = prop.childForFieldName('key');
        const value = prop.childForFieldName('value');
        if (key && value?.type === 'identifier') this.importedName(key.text, value.text, loaded);
      }
    }
  }

  /** `imported` of a module, bound locally as `local`: the koffi module, one of its members, or a value built with it. */
  private importedName(imported: string, local: string, loaded: KoffiExports): void {
    if ((imported === 'default' && loaded.whole) || loaded.names.has(imported)) this.modules.add(local);
    else if (loaded.whole) this.members.set(local, imported);
    else this.indirect ||= loaded.usesKoffi;
  }

  /** Binds `path`, and `path.key` for each property of an object literal value. */
  private bind(path: string, value: SyntaxNode, nameNode: SyntaxNode, depth = 0): void {
    if (this.bindings.has(path) || depth > 8) return;
    const v = unwrap(value);
    const binding = { path, value: v, nameNode };
    this.bindings.set(path, binding);
    if (!this.byValue.has(v.id)) this.byValue.set(v.id, binding);
    if (v.type !== 'object') return;
    for (const pair of v.namedChildren) {
      if (pair.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const pairValue = pair.childForFieldName('value');
      const keyText = key?.type === 'property_identifier' ? key.text : key ? staticString(key)?.value : undefined;
      if (key && pairValue && keyText !== undefined && /^[A-Za-z_$][\w$]*$/.test(keyText)) this.bind(`${path}.${keyText}`, pairValue, key, depth + 1);
    }
  }
}

/** The name a call's text starts with (its callee's base, unless wrapped). */
const LEADING_NAME = /^([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)(?![\p{ID_Continue}$\u200c\u200d\\])/u;

/** Helpers of esbuild, TypeScript and Babel that hand a CommonJS module to ES-module code. */
const INTEROP_HELPERS = /^_*(?:toESM|toCommonJS|interopRequireDefault|interopRequireWildcard|importDefault|importStar)\d*$/;

/** `createRequire(import.meta.url)` (or `module.createRequire(…)`): a function that loads like `require`. */
function isCreateRequire(node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unwrap(node);
  const fn = n.type === 'call_expression' ? n.childForFieldName('function') : null;
  const path = fn ? pathText(fn) : null;
  return path !== null && (path === 'createRequire' || path.endsWith('.createRequire'));
}
