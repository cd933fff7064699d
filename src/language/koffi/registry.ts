// Koffi type expressions (`koffi.struct(…)`, `koffi.pointer(T)`, `'Point *'`, an identifier
// bound to a type…) evaluated to C. Named koffi types become C declarations kept in a
// registry, so each function gets exactly the declarations it needs, in dependency order.

import type { FfiRecord } from '../ffi/model';
import { argumentsOf, pathText, unwrap, type JsScope } from './js-scope';
import { conventionOf, parsePrototypeString } from './prototype';
import { LineMap, staticString } from './text';
import { declare, named, parseTypeString, pointerTo, primitiveType, typeDeps, typeProblem, unknown, type KType } from './types';
import type { SyntaxNode } from '../syntax';

/** One C declaration a koffi call produced. */
interface NamedDecl {
  /** `typedef struct P P;` for records, so pointers to them work before (and inside) their body. */
  forward: string | null;
  /** The definition; null for opaque types. */
  definition: string | null;
  deps: readonly string[];
  /** The record was declared opaque and may be completed by `koffi.struct(Opaque, {…})`. */
  opaque: boolean;
  /** Why a record is unusable (a member could not be read). */
  broken?: string | undefined;
}

interface PendingRecord {
  readonly name: string;
  readonly cName: string;
  readonly call: SyntaxNode;
  readonly nameRanges: FfiRecord['nameRanges'];
  readonly problems: string[];
}

export interface Signature {
  readonly ret: KType;
  readonly params: readonly { readonly type: KType; readonly name: string | null }[];
  readonly variadic: boolean;
}

const C_KEYWORDS = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for', 'goto',
  'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch',
  'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'alignas', 'alignof', 'asm', 'typeof',
  'constexpr', 'nullptr', 'static_assert', 'thread_local', '_Bool', '_Complex', '_Alignas', '_Alignof', '_Atomic', '_Noreturn',
  '_Static_assert', '_Thread_local', '_Generic', '_Imaginary',
]);

/** A C identifier for any JS or symbol name (`my-field` → `my_field`, `int` → `int_`). */
export function cIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
  if (C_KEYWORDS.has(id) || id.startsWith('__')) id = `${id}_`;
  return id;
}

/** The C text of a function (or function type) named `name`. */
export function signatureText(sig: Signature, name: string): string {
  // Array parameters are pointers in C; say so rather than leave it to the reader.
  const decayed = (t: KType): KType => (t.kind === 'array' ? pointerTo(t.of) : t);
  const params = sig.params.map((p) => declare(decayed(p.type), p.name === null ? '' : cIdentifier(p.name)));
  if (sig.variadic) params.push('...');
  return declare(sig.ret, `${name}(${params.length ? params.join(', ') : 'void'})`);
}

export function signatureProblems(sig: Signature): string[] {
  return [sig.ret, ...sig.params.map((p) => p.type)].map(typeProblem).filter((p): p is string => p !== null);
}

export class KoffiTypes {
  private readonly decls = new Map<string, NamedDecl>();
  private readonly memo = new Map<number, KType>();
  /** Koffi type names given as string literals → the call declaring them, for use before declaration. */
  private readonly nameIndex = new Map<string, SyntaxNode>();
  private readonly pending: PendingRecord[] = [];
  private anonymous = 0;

  constructor(private readonly js: JsScope, private readonly lines: LineMap) {
    for (const call of js.calls) {
      const member = js.koffiCall(call);
      const name = member ? declaredName(member, argumentsOf(call) ?? []) : null;
      if (name && !this.nameIndex.has(name)) this.nameIndex.set(name, call);
    }
  }

  /** Evaluates every koffi type constructor in the file, so unused records are listed too. */
  evaluateAll(): void {
    for (const call of this.js.calls) if (this.js.koffiCall(call) !== null && TYPE_MEMBERS.has(this.js.koffiCall(call) as string)) this.typeOf(call);
  }

  /** A name in a type string: a primitive, a C keyword type, or a type koffi declared in this file. */
  lookup = (name: string): KType | null => {
    if (!this.decls.has(name)) {
      const call = this.nameIndex.get(name);
      if (!call) return this.imported(name);
      this.typeOf(call);
    }
    const decl = this.decls.get(name);
    if (!decl) return null;
    return decl.broken ? unknown(decl.broken) : named(name, [name]);
  };


  /** A type a local module this file imports declared (`Point` from './types'), as its C declarations. */
  private imported(name: string): KType | null {
    const decl = this.js.importedTypes.get(name);
    if (decl === undefined || cIdentifier(name) !== name) return null;
    this.decls.set(name, { forward: null, definition: decl, deps: [], opaque: false });
    return named(name, [name]);
  }

  /** The type a JS expression denotes. */
  typeOf(node: SyntaxNode, depth = 0): KType {
    const n = unwrap(node);
    const cached = this.memo.get(n.id);
    if (cached) return cached;
    if (depth > 32) {
      // Kept, so that thousands of nested constructors cost each one look, not 32 apiece.
      const tooDeep = unknown(`type '${clip(n.text)}' is nested too deeply`);
      this.memo.set(n.id, tooDeep);
      return tooDeep;
    }
    // Placeholder: a cycle through identifiers reads as unknown rather than recursing forever.
    this.memo.set(n.id, unknown(`type '${clip(n.text)}' refers to itself`));
    const type = this.evaluate(n, depth);
    this.memo.set(n.id, type);
    return type;
  }

  private evaluate(n: SyntaxNode, depth: number): KType {
    const text = staticString(n);
    if (text) return parseTypeString(text.value, this.lookup);
    if (n.type === 'template_string') return unknown('the type is a template string computed at run time');
    const member = this.js.koffiCall(n);
    if (member !== null) return this.koffiCallType(n, member, depth);
    const primitive = this.koffiTypesMember(n);
    if (primitive) return primitive;
    const path = pathText(n);
    if (path !== null) {
      const bound = this.js.bindings.get(path);
      if (bound && bound.value.id !== n.id) return this.typeOf(bound.value, depth + 1);
      return this.imported(path) ?? unknown(`'${path}' is not a koffi type declared in this file`);
    }
    return unknown(`cannot tell which type '${clip(n.text)}' is`);
  }

  /** `koffi.types.int`, `koffi.types['unsigned int']`. */
  private koffiTypesMember(n: SyntaxNode): KType | null {
    const object = n.childForFieldName('object');
    if (!object || this.js.koffiMember(object) !== 'types') return null;
    const key = n.type === 'member_expression' ? n.childForFieldName('property')?.text : n.type === 'subscript_expression' ? staticString(n.childForFieldName('index') ?? n)?.value : undefined;
    if (key === undefined) return unknown('a computed koffi.types member');
    return primitiveType(key) ?? unknown(`koffi.types has no '${key}'`);
  }

  private koffiCallType(call: SyntaxNode, member: string, depth: number): KType {
    const args = argumentsOf(call) ?? [];
    if (args.some((a) => a.type === 'spread_element')) return unknown(`koffi.${member}(...) is called with spread arguments`);
    const arg = (i: number): KType => {
      const a = args[i];
      return a ? this.typeOf(a, depth + 1) : unknown(`koffi.${member}() is missing an argument`);
    };
    const isString = (i: number) => args[i] !== undefined && staticString(args[i] as SyntaxNode) !== null;
    switch (member) {
      case 'struct':
      case 'union':
      case 'pack':
        return this.record(call, member, args, depth);
      case 'opaque':
        return this.opaque(call, args);
      case 'pointer': {
        // (ref), (ref, count), (name, ref), (name, ref, countedBy | count)
        const namedForm = args.length >= 2 && isString(0) && !isNumber(args[1] as SyntaxNode);
        const ref = arg(namedForm ? 1 : 0);
        const countNode = args[namedForm ? 2 : 1];
        const count = countNode && isNumber(countNode) ? Number(countNode.text) : 1;
        const type = pointerTo(ref, Math.max(1, Math.min(count, 8)));
        return namedForm ? this.typedef(call, args[0] as SyntaxNode, type) : type;
      }
      case 'out':
      case 'inout':
      case 'type':
      case 'resolve':
      case 'introspect':
        return arg(0);
      case 'disposable': {
        const namedForm = args.length >= 2 && isString(0) && !isFunction(args[1] as SyntaxNode);
        const type = arg(namedForm ? 1 : 0);
        return namedForm ? this.typedef(call, args[0] as SyntaxNode, type) : type;
      }
      case 'alias':
        return args.length >= 2 ? this.typedef(call, args[0] as SyntaxNode, arg(1)) : unknown('koffi.alias() needs a name and a type');
      case 'array': {
        const elem = arg(0);
        const size = args[1];
        if (size && isNumber(size)) return { kind: 'array', of: elem, length: Number(size.text) };
        if (size && isString(1)) return { kind: 'array', of: elem, length: null }; // counted by a member: flexible
        return unknown('koffi.array() needs a length');
      }
      case 'proto':
      case 'callback':
        return this.proto(call, args, depth);
      case 'enumeration': {
        // (name, values, storage?) or (values, storage?); without storage koffi picks an int.
        const values = args.findIndex((a) => unwrap(a).type === 'object');
        const storageNode = values >= 0 ? args[values + 1] : undefined;
        const storage = storageNode && storageNode.type !== 'null' && storageNode.type !== 'undefined' ? this.typeOf(storageNode, depth + 1) : named('int');
        return values === 1 ? this.typedef(call, args[0] as SyntaxNode, storage) : storage;
      }
      default:
        return unknown(`koffi.${member}() does not make a type`);
    }
  }

  // ---- named declarations ----------------------------------------------------------------

  /** The koffi name (given, else the binding's) and a C name for it that clashes with nothing. */
  private nameOf(call: SyntaxNode, nameArg: SyntaxNode | string | null | undefined, fallback: string): { name: string; cName: string; problems: string[] } {
    const problems: string[] = [];
    let given: string | undefined;
    if (typeof nameArg === 'string') given = nameArg;
    else if (nameArg) {
      given = staticString(nameArg)?.value;
      if (given === undefined && nameArg.type !== 'null' && nameArg.type !== 'undefined') problems.push('the type name is computed at run time');
    }
    const binding = this.js.byValue.get(call.id);
    const name = given ?? binding?.path ?? `${fallback}${++this.anonymous}`;
    let cName = cIdentifier(name);
    if (given !== undefined && this.decls.has(cName)) problems.push(`koffi type '${given}' is declared twice`);
    if (given === undefined || this.decls.has(cName)) {
      const base = cName;
      while (this.decls.has(cName) || primitiveType(cName) || (given === undefined && this.nameIndex.has(cName))) cName = `${base}_${++this.anonymous}`;
    }
    return { name, cName, problems };
  }

  private typedef(call: SyntaxNode, nameArg: SyntaxNode, type: KType): KType {
    const { cName } = this.nameOf(call, nameArg, 'koffi_type_');
    const problem = typeProblem(type);
    if (problem) return unknown(problem);
    this.decls.set(cName, { forward: null, definition: `typedef ${declare(type, cName)};`, deps: typeDeps(type), opaque: false });
    return named(cName, [cName]);
  }

  private opaque(call: SyntaxNode, args: SyntaxNode[]): KType {
    const { cName } = this.nameOf(call, args[0], 'koffi_opaque_');
    this.decls.set(cName, { forward: `typedef struct ${cName} ${cName};`, definition: null, deps: [], opaque: true });
    return named(cName, [cName]);
  }

  private record(call: SyntaxNode, member: string, args: SyntaxNode[], depth: number): KType {
    const body = args.find((a) => unwrap(a).type === 'object');
    const first = args[0];
    const problems: string[] = [];
    // `koffi.struct(OpaqueType, {…})` completes a type declared opaque earlier.
    let completes: string | null = null;
    if (first && body && first !== body && staticString(first) === null && first.type !== 'null' && first.type !== 'undefined') {
      const ref = this.typeOf(first, depth + 1);
      if (ref.kind === 'name' && this.decls.get(ref.c)?.opaque) completes = ref.c;
      else problems.push(`'${clip(first.text)}' is not an opaque type to define`);
    }
    const naming = completes ? { name: completes, cName: completes, problems: [] } : this.nameOf(call, body === first ? undefined : first, 'koffi_anon_');
    problems.push(...naming.problems);
    const { cName } = naming;
    const tag = member === 'union' ? 'union' : 'struct';
    const forward = `typedef ${tag} ${cName} ${cName};`;
    this.decls.set(cName, { forward, definition: null, deps: [], opaque: false });
    const self = named(cName, [cName]);
    this.memo.set(call.id, self); // fields may point back at this record

    const members: string[] = [];
    const deps: string[] = [];
    if (!body) problems.push(`koffi.${member}() needs an object of members`);
    for (const field of body ? unwrap(body).namedChildren : []) {
      const built = this.member(field, depth);
      if (!built) continue;
      if ('problem' in built) problems.push(built.problem);
      else {
        members.push(built.text);
        deps.push(...built.deps);
      }
    }
    const packed = member === 'pack' ? ' __attribute__((packed))' : '';
    const definition = problems.length === 0 ? `${tag}${packed} ${cName} { ${members.join(' ')} };` : null;
    const broken = problems.length ? `${tag} '${naming.name}' could not be read: ${problems[0] as string}` : undefined;
    this.decls.set(cName, { forward, definition, deps, opaque: false, broken });
    const binding = this.js.byValue.get(call.id);
    const nameRanges = [];
    const nameString = first && first !== body ? staticString(first) : null;
    if (nameString && first) nameRanges.push(this.lines.nodeRange(first));
    if (binding) nameRanges.push(this.lines.nodeRange(binding.nameNode));
    this.pending.push({ name: naming.name, cName, call, nameRanges, problems });
    return broken ? unknown(broken) : self;
  }

  /** One struct member: `x: 'int'`, `y` (shorthand), `b: [8, 'int16_t']` (aligned). */
  private member(field: SyntaxNode, depth: number): { text: string; deps: readonly string[] } | { problem: string } | null {
    if (field.type === 'comment') return null;
    if (field.type === 'shorthand_property_identifier') return this.memberText(field.text, this.typeOf(field, depth + 1), null);
    if (field.type === 'spread_element') return { problem: `members given with spread (${clip(field.text)}) cannot be read` };
    if (field.type !== 'pair') return { problem: `cannot read the member '${clip(field.text)}'` };
    const key = field.childForFieldName('key');
    const value = field.childForFieldName('value');
    if (!key || !value) return { problem: `cannot read the member '${clip(field.text)}'` };
    const name = key.type === 'property_identifier' || key.type === 'number' ? key.text : staticString(key)?.value;
    if (name === undefined) return { problem: `member name '${clip(key.text)}' is computed at run time` };
    const v = unwrap(value);
    if (v.type === 'array') {
      const [align, type] = v.namedChildren;
      if (!align || !type || !isNumber(align)) return { problem: `member '${name}': expected [alignment, type]` };
      return this.memberText(name, this.typeOf(type, depth + 1), Number(align.text));
    }
    return this.memberText(name, this.typeOf(v, depth + 1), null);
  }

  private memberText(name: string, type: KType, align: number | null): { text: string; deps: readonly string[] } | { problem: string } {
    const problem = typeProblem(type);
    if (problem) return { problem: `member '${name}': ${problem}` };
    const attr = align !== null ? ` __attribute__((aligned(${align})))` : '';
    return { text: `${declare(type, cIdentifier(name))}${attr};`, deps: typeDeps(type) };
  }

  private proto(call: SyntaxNode, args: SyntaxNode[], depth: number): KType {
    const sig = this.signature(args, depth);
    if ('problem' in sig) return unknown(sig.problem);
    const { cName } = this.nameOf(call, sig.name, 'koffi_proto_');
    const problems = signatureProblems(sig);
    if (problems.length) return unknown(problems[0] as string);
    const deps = [sig.ret, ...sig.params.map((p) => p.type)].flatMap(typeDeps);
    this.decls.set(cName, { forward: null, definition: `typedef ${signatureText(sig, cName)};`, deps, opaque: false });
    return named(cName, [cName]);
  }

  /**
   * A signature in any of koffi's forms: one prototype string, or
   * ([convention,] [name,] result, [params…]). `nameNode` is the name's string, if any.
   */
  signature(args: SyntaxNode[], depth: number): (Signature & { nameNode: SyntaxNode | null; name: string | null; nameStart: number; nameEnd: number; convention: ReturnType<typeof conventionOf> | 'default'; problems: string[] }) | { problem: string } {
    if (args.some((a) => a.type === 'spread_element')) return { problem: 'the declaration passes its arguments with spread (...)' };
    const first = args[0];
    if (args.length === 1 && first) {
      const text = staticString(first);
      if (!text) return { problem: first.type === 'template_string' ? 'the prototype is a template string computed at run time' : 'the prototype is computed at run time' };
      const parsed = parsePrototypeString(text.value);
      const problems = [...parsed.problems];
      if (text.broken) problems.push('the prototype string is not terminated');
      const ret = parseTypeString(parsed.returnText, this.lookup);
      const params = parsed.params.map((p) => ({ type: parseTypeString(p.typeText, this.lookup), name: p.name }));
      const start = text.offsets[parsed.nameStart] ?? first.startIndex;
      const end = parsed.nameEnd > parsed.nameStart ? (text.offsets[parsed.nameEnd - 1] ?? start) + 1 : start;
      return { ret, params, variadic: parsed.variadic, nameNode: null, name: parsed.name, nameStart: start, nameEnd: end, convention: parsed.convention, problems };
    }
    if (args.length < 2) return { problem: "expected a prototype string or (name, result type, [parameter types])" };
    const list = unwrap(args[args.length - 1] as SyntaxNode);
    if (list.type !== 'array') return { problem: 'the parameter types are not an array literal' };
    let rest = args.slice(0, -1);
    let convention: ReturnType<typeof conventionOf> | 'default' = 'default';
    const conv = rest.length >= 2 ? staticString(rest[0] as SyntaxNode) : null;
    if (conv && conventionOf(conv.value)) {
      convention = conventionOf(conv.value);
      rest = rest.slice(1);
    }
    const nameNode = rest.length >= 2 ? (rest[0] as SyntaxNode) : null;
    const retNode = rest[rest.length - 1] as SyntaxNode;
    const problems: string[] = [];
    let variadic = false;
    const params: { type: KType; name: string | null }[] = [];
    for (const element of list.namedChildren) {
      if (element.type === 'comment') continue;
      if (element.type === 'spread_element') {
        problems.push('the parameter types use spread (...)');
        continue;
      }
      if (staticString(element)?.value.trim() === '...') {
        variadic = true;
        continue;
      }
      params.push({ type: this.typeOf(element, depth + 1), name: null });
    }
    let name: string | null = null;
    if (nameNode) {
      const s = staticString(nameNode);
      if (s) name = s.value;
      else if (isNumber(nameNode)) name = `ordinal_${nameNode.text}`;
      else if (nameNode.type !== 'null' && nameNode.type !== 'undefined') problems.push('the function name is computed at run time');
    }
    const quoted = nameNode && staticString(nameNode) ? nameNode : null;
    return {
      ret: this.typeOf(retNode, depth + 1), params, variadic, nameNode: quoted, name,
      nameStart: quoted ? quoted.startIndex + 1 : 0, nameEnd: quoted ? quoted.endIndex - 1 : 0, convention, problems,
    };
  }

  // ---- output ------------------------------------------------------------------------------

  /** The declarations `roots` need, forward typedefs first, then definitions in dependency order. */
  declsFor(roots: readonly string[]): string {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const decl = this.decls.get(name);
      if (!decl) return;
      for (const dep of decl.deps) visit(dep);
      order.push(name);
    };
    for (const root of roots) visit(root);
    const lines: string[] = [];
    for (const name of order) {
      const forward = this.decls.get(name)?.forward;
      if (forward) lines.push(forward);
    }
    for (const name of order) {
      const definition = this.decls.get(name)?.definition;
      if (definition) lines.push(...definition.split('\n'));
    }
    // Types lent by two imported modules may bring the same record along: declare it once.
    return [...new Set(lines)].join('\n');
  }

  records(): FfiRecord[] {
    return this.pending.map((r) => ({
      source: 'koffi',
      name: r.name,
      decl: r.problems.length === 0 ? this.declsFor([r.cName]) : null,
      range: this.lines.nodeRange(r.call),
      nameRanges: r.nameRanges,
      problems: r.problems,
    }));
  }
}

/** koffi members that make a type. */
const TYPE_MEMBERS = new Set(['struct', 'union', 'pack', 'opaque', 'pointer', 'alias', 'array', 'proto', 'callback', 'disposable', 'enumeration']);

/** The name a koffi type constructor gives its type, if it gives one as a literal. */
function declaredName(member: string, args: SyntaxNode[]): string | null {
  const text = (i: number) => (args[i] ? (staticString(args[i] as SyntaxNode)?.value ?? null) : null);
  let name: string | null = null;
  switch (member) {
    case 'struct': case 'union': case 'pack': case 'alias': case 'enumeration':
      name = args.length >= 2 ? text(0) : null;
      break;
    case 'opaque':
      name = text(0);
      break;
    case 'pointer':
      name = args.length >= 2 && !isNumber(args[1] as SyntaxNode) ? text(0) : null;
      break;
    case 'disposable':
      name = args.length >= 2 && !isFunction(args[1] as SyntaxNode) ? text(0) : null;
      break;
    case 'proto': case 'callback':
      if (args.length === 1) name = /([A-Za-z_]\w*)\s*\(/.exec(text(0) ?? '')?.[1] ?? null;
      else if (args.length >= 3) name = text(args.length - 3);
      break;
  }
  return name !== null && /^[A-Za-z_]\w*$/.test(name) && conventionOf(name) === null ? name : null;
}

function isNumber(node: SyntaxNode): boolean {
  return unwrap(node).type === 'number' && /^\d+$/.test(unwrap(node).text);
}

function isFunction(node: SyntaxNode): boolean {
  const n = unwrap(node);
  return n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'function' || n.type === 'identifier' && !/^[A-Z]/.test(n.text);
}

function clip(text: string): string {
  // Only the start is shown: a nested expression's text may be most of the file.
  const line = text.slice(0, 80).replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}
