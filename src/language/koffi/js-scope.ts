// The JS side of the koffi parser: which local names stand for the koffi module, which
// names are bound to which expressions (`const lib = koffi.load(…)`, `api.add = …`), and
// small tree helpers. Scopes are ignored: a file binds each name the first way we see.

import { staticString } from './text';
import type { SyntaxNode } from '../syntax';

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

/** `lib`, `api.add`, `this.add`: a dotted path, or null for anything else. */
export function pathText(node: SyntaxNode): string | null {
  const n = unwrap(node);
  if (n.type === 'identifier' || n.type === 'this' || n.type === 'shorthand_property_identifier') return n.text;
  if (n.type === 'member_expression') {
    const object = n.childForFieldName('object');
    const property = n.childForFieldName('property');
    if (!object || !property || property.type === 'private_property_identifier') return null;
    const base = pathText(object);
    return base === null ? null : `${base}.${property.text}`;
  }
  return null;
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

  constructor(root: SyntaxNode) {
    const stack: SyntaxNode[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as SyntaxNode;
      this.visit(node);
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as SyntaxNode);
    }
  }

  get importsKoffi(): boolean {
    return this.modules.size > 0 || this.members.size > 0;
  }

  /** The koffi member an expression denotes: `koffi.struct` → 'struct', an imported `load` → 'load'. */
  koffiMember(node: SyntaxNode): string | null {
    const n = unwrap(node);
    if (n.type === 'identifier') return this.members.get(n.text) ?? null;
    if (n.type !== 'member_expression') return null;
    const object = n.childForFieldName('object');
    const property = n.childForFieldName('property');
    if (!object || !property) return null;
    const base = unwrap(object);
    if (base.type === 'identifier' && this.modules.has(base.text)) return property.text;
    // `koffi.default.struct` after some CommonJS interop.
    if (base.type === 'member_expression' && base.childForFieldName('property')?.text === 'default' && this.koffiMember(base) === 'default') return property.text;
    return null;
  }

  /** The koffi member a call calls (`koffi.struct(…)` → 'struct'). */
  koffiCall(node: SyntaxNode): string | null {
    const n = unwrap(node);
    if (n.type !== 'call_expression') return null;
    const fn = n.childForFieldName('function');
    return fn ? this.koffiMember(fn) : null;
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
        if (isRequireKoffi(value)) this.requireKoffi(name);
        else if (name.type === 'identifier') this.bind(name.text, value, name);
        break;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const path = left ? pathText(left) : null;
        if (!left || !right || path === null) break;
        if (isRequireKoffi(right) && left.type === 'identifier') this.modules.add(left.text);
        else this.bind(path, right, left.childForFieldName('property') ?? left);
        break;
      }
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
      if (name && from && staticString(from)?.value === 'koffi') this.modules.add(name.text);
      return;
    }
    if (!source || staticString(source)?.value !== 'koffi' || !clause) return;
    for (const part of clause.namedChildren) {
      if (part.type === 'identifier') this.modules.add(part.text);
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c.type === 'identifier');
        if (name) this.modules.add(name.text);
      } else if (part.type === 'named_imports') {
        for (const spec of part.namedChildren) {
          if (spec.type !== 'import_specifier') continue;
          const imported = spec.childForFieldName('name');
          const local = spec.childForFieldName('alias') ?? imported;
          if (!imported || !local) continue;
          if (imported.text === 'default') this.modules.add(local.text);
          else this.members.set(local.text, imported.text);
        }
      }
    }
  }

  /** `const koffi = require('koffi')` or `const { load, struct: S } = require('koffi')`. */
  private requireKoffi(name: SyntaxNode): void {
    if (name.type === 'identifier') {
      this.modules.add(name.text);
      return;
    }
    if (name.type !== 'object_pattern') return;
    for (const prop of name.namedChildren) {
      if (prop.type === 'shorthand_property_identifier_pattern') this.members.set(prop.text, prop.text);
      else if (prop.type === 'pair_pattern') {
        const key = prop.childForFieldName('key');
        const value = prop.childForFieldName('value');
        if (key && value?.type === 'identifier') this.members.set(value.text, key.text);
      }
    }
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

function isRequireKoffi(node: SyntaxNode): boolean {
  const n = unwrap(node);
  if (n.type !== 'call_expression') return false;
  const fn = n.childForFieldName('function');
  const args = argumentsOf(n);
  const first = args?.[0];
  return fn?.type === 'identifier' && fn.text === 'require' && first !== undefined && staticString(first)?.value === 'koffi';
}
