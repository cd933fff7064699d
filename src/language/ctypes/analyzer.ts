// One pass over a Python module in source order, tracking what names mean to ctypes (imports,
// libraries, types, records, foreign functions) and recording declarations and calls. Scopes
// are flattened: a name keeps the meaning it was last given anywhere above, which is what a
// reader of a typical ctypes binding module expects.

import type { CallingConvention, Range } from '../ffi/model';
import { DEFAULT_BUDGET, tooDeep, type Budget, type Deadline } from '../budget';
import type { SyntaxNode } from '../syntax';
import { cIdentifier, type CtypesField, type CtypesRecord } from './records';
import { asParameter, VOID, type CtypeNode } from './types';
import {
  ctypesMember, dottedName, integerLiteral, rangeOf, stringLiteral, unwrapParens, wintypesMember,
  type CtypesFunction, type CtypesLibrary, type CtypesValue,
} from './values';

export interface PendingCall {
  readonly fn: CtypesFunction;
  readonly callee: string;
  readonly range: Range;
  readonly calleeRange: Range;
  readonly argumentRanges: Range[];
}

/** Names a library object has that are not foreign functions. */
const LIBRARY_ATTRIBUTES = new Set(['_handle', '_name', '_FuncPtr', 'LoadLibrary']);

/** The foreign function a statement only declares or calls. */
export interface SoleFunction {
  readonly library: CtypesLibrary;
  readonly symbol: string;
}

/** A foreign function's identity: the library it is reached through and its symbol. */
export function functionKey(library: CtypesLibrary, symbol: string): string {
  return `${library.id}\u0000${symbol}`;
}

/** `a.b.argtypes = …`, `a.b.restype = …` (group 2 set) or `a.b(…`: a statement that may only declare or call `a.b`. */
const DECLARATION_OR_CALL = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:\.(argtypes|restype)[ \t]*=(?!=)|[ \t]*\()/;

/** A call of a plain (dotted) name. */
const PLAIN_CALL = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*\(/;

/** What `functionNamed` says of a name that surely is no foreign function. */
const NOT_A_FUNCTION = Symbol('not a function');

/** The index of the first of the sorted `starts` at or after `start`. */
function firstAtOrAfter(starts: Int32Array, start: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class CtypesAnalyzer {
  readonly functions = new Map<string, CtypesFunction>();
  readonly records = new Map<string, CtypesRecord>();
  readonly calls: PendingCall[] = [];
  private readonly env = new Map<string, CtypesValue>();
  private readonly recordNames = new Set<string>();
  /** Functions that set `argtypes`/`restype` on what they are given: `def declare(name, res, args)`. */
  private readonly helpers = new Map<string, Helper>();
  /** Names of the plain classes being read, innermost last: their attributes are also `self.x`, `cls.x`, `Class.x`. */
  private readonly classes: string[] = [];

  /** How deep `visit` and `evaluate` are in the tree now; both stop at the budget's depth. */
  private depth = 0;

  constructor(private readonly budget: Budget = DEFAULT_BUDGET, private readonly deadline?: Deadline) {}

  /** Where the nodes `visitNode` acts on lie (sorted by start): subtrees holding none are not walked. */
  private acting: ActingIndex | null = null;

  /**
   * Reads the module. With `skip`, a top-level statement whose only effects are on foreign
   * functions (`f.argtypes = …`, `f.restype = …`, calls `f(g(…), …)`) is left unread when `skip`
   * says so for those functions: it binds no name and changes no record or other function, so
   * what the rest of the module means is the same without it.
   */
  run(root: SyntaxNode, skip?: (statement: SyntaxNode, functions: readonly SoleFunction[]) => boolean): void {
    this.acting = actingNodes(root);
    if (!skip) {
      this.visit(root);
      return;
    }
    this.nested(root, () => {
      for (const statement of root.namedChildren) {
        const functions = this.functionsOnlyOf(statement);
        if (functions !== null && skip(statement, functions)) continue;
        this.visit(statement);
      }
    });
  }

  /**
   * The foreign functions a top-level statement only declares or calls, read from its text with
   * the names bound so far; null when it may do anything else, or its text is not that plain,
   * so it must be read.
   */
  private functionsOnlyOf(statement: SyntaxNode): SoleFunction[] | null {
    const acting = this.acting;
    if (!acting || statement.type !== 'expression_statement') return null;
    const start = statement.startIndex;
    const end = statement.endIndex;
    let i = firstAtOrAfter(acting.starts, start);
    // The statement itself must be what acts (an assignment or a call at its start)…
    if (i >= acting.starts.length || acting.starts[i] !== start) return null;
    const text = statement.text;
    const head = DECLARATION_OR_CALL.exec(text);
    if (!head) return null;
    const functions: SoleFunction[] = [];
    const first = this.functionNamed(head[1]!, head[2] !== undefined);
    if (first === null) return null;
    if (first !== NOT_A_FUNCTION) functions.push(first);
    // …and everything else in it that acts, calls of plain names (each starting apart: `f(a)(b)` is read).
    for (i++; i < acting.starts.length && (acting.starts[i] as number) < end; i++) {
      const at = acting.starts[i] as number;
      if (at === acting.starts[i - 1]) return null;
      const call = PLAIN_CALL.exec(text.slice(at - start, at - start + 300));
      const callee = call ? this.functionNamed(call[1]!, false) : null;
      if (callee === null) return null;
      if (callee !== NOT_A_FUNCTION) functions.push(callee);
    }
    return functions;
  }

  /**
   * What `dotted` names, as `evaluate` would find it without side effects: a foreign function,
   * NOT_A_FUNCTION when it surely is none (then a call of it, or setting its `argtypes`, only
   * binds as an ordinary attribute: `declared` says which, and then it must be read), or null
   * when only a full read can tell.
   */
  private functionNamed(dotted: string, declared: boolean): SoleFunction | typeof NOT_A_FUNCTION | null {
    const bound = this.env.get(dotted);
    if (bound) return bound.kind === 'function' ? { library: bound.fn.library, symbol: bound.fn.symbol } : declared ? null : NOT_A_FUNCTION;
    const dot = dotted.lastIndexOf('.');
    // A plain name that is not bound is a ctypes name or nothing, never a function.
    if (dot < 0) return declared ? null : NOT_A_FUNCTION;
    // As `attribute` evaluates `object.name` when the whole is unbound: a library's attribute is its function.
    const objectText = dotted.slice(0, dot);
    const name = dotted.slice(dot + 1);
    const object = this.env.get(objectText) ?? (objectText.includes('.') || objectText === 'ctypes' ? null : ctypesMember(objectText));
    if (object?.kind !== 'library' || LIBRARY_ATTRIBUTES.has(name) || (name.startsWith('__') && name.endsWith('__'))) return null;
    return { library: object.library, symbol: name };
  }

  /**
   * Whether `node` is, or holds, a node `visitNode` acts on. Most of a file is expressions with
   * none inside; walking them in JS costs several times tree-sitter's parse.
   */
  private worthVisiting(node: SyntaxNode): boolean {
    const acting = this.acting;
    if (!acting) return true;
    const start = node.startIndex;
    const end = node.endIndex;
    // The acting nodes starting in [start, end) lie inside, unless one is an ancestor starting there too.
    for (let i = firstAtOrAfter(acting.starts, start); i < acting.starts.length && (acting.starts[i] as number) < end; i++) {
      if ((acting.starts[i] as number) > start || acting.endAt(i) <= end) return true;
    }
    return false;
  }

  /** Enters one level of the tree for `work`; past the budget's depth the whole analysis stops. */
  private nested<T>(node: SyntaxNode, work: () => T): T {
    if (this.depth >= this.budget.maxDepth) throw tooDeep(this.budget, node.startPosition.row);
    this.deadline?.check();
    this.depth++;
    try {
      return work();
    } finally {
      this.depth--;
    }
  }

  private visit(node: SyntaxNode): void {
    if (!this.worthVisiting(node)) return;
    this.nested(node, () => this.visitNode(node));
  }

  private visitNode(node: SyntaxNode): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        this.importStatement(node);
        return;
      case 'class_definition':
        if (this.classDefinition(node)) return;
        this.plainClass(node);
        return;
      case 'function_definition': {
        const helper = helperOf(node);
        const name = node.childForFieldName('name')?.text;
        if (helper && name) this.helpers.set(name, helper);
        break;
      }
      case 'assignment':
        this.assignment(node);
        break;
      case 'call':
        this.call(node);
        break;
    }
    for (const child of node.namedChildren) this.visit(child);
  }

  // ---- imports ---------------------------------------------------------------------------

  private importStatement(node: SyntaxNode): void {
    const moduleNode = node.childForFieldName('module_name');
    const from = moduleNode ? moduleNode.text.replace(/\s/g, '') : null;
    for (const child of node.childrenForFieldName('name')) {
      const aliased = child.type === 'aliased_import';
      const nameNode = aliased ? child.childForFieldName('name') : child;
      const aliasNode = aliased ? child.childForFieldName('alias') : null;
      if (!nameNode) continue;
      const name = nameNode.text.replace(/\s/g, '');
      const value = from === null ? this.moduleValue(name) : this.fromModule(from, name);
      // `import ctypes.wintypes` binds `ctypes`; `import ctypes.wintypes as w` binds the submodule.
      const bound = aliasNode ? aliasNode.text : from === null ? name.split('.')[0]! : name;
      const boundValue = aliasNode || from !== null ? value : this.moduleValue(bound);
      if (boundValue) this.env.set(bound, boundValue);
      else this.env.delete(bound);
    }
  }

  private moduleValue(dotted: string): CtypesValue | null {
    if (dotted === 'ctypes') return { kind: 'ctypes-module' };
    if (dotted === 'ctypes.wintypes') return { kind: 'wintypes-module' };
    return null;
  }

  private fromModule(module: string, name: string): CtypesValue | null {
    if (module === 'ctypes') return ctypesMember(name);
    if (module === 'ctypes.wintypes') return wintypesMember(name);
    return null;
  }

  // ---- evaluation ------------------------------------------------------------------------

  /** What `node` means, or null. Type constructors note precise problems in `problems`. */
  evaluate(raw: SyntaxNode, problems: string[]): CtypesValue | null {
    return this.nested(raw, () => this.evaluateNode(raw, problems));
  }

  private evaluateNode(raw: SyntaxNode, problems: string[]): CtypesValue | null {
    const node = unwrapParens(raw);
    switch (node.type) {
      case 'identifier':
        return this.env.get(node.text) ?? (node.text === 'ctypes' ? { kind: 'ctypes-module' } : ctypesMember(node.text));
      case 'none':
        return { kind: 'none' };
      case 'integer': {
        const value = integerLiteral(node);
        return value === null ? null : { kind: 'int', value };
      }
      case 'attribute':
        return this.attribute(node, problems);
      case 'call':
        return this.callValue(node, problems);
      case 'binary_operator':
        return this.arrayType(node, problems);
      case 'subscript':
        return this.subscript(node);
      default:
        return null;
    }
  }

  private attribute(node: SyntaxNode, problems: string[]): CtypesValue | null {
    const dotted = dottedName(node);
    const bound = dotted === null ? undefined : this.env.get(dotted);
    if (bound) return bound;
    const objectNode = node.childForFieldName('object');
    const nameNode = node.childForFieldName('attribute');
    if (!objectNode || !nameNode) return null;
    const object = this.evaluate(objectNode, problems);
    const name = nameNode.text;
    switch (object?.kind) {
      case 'ctypes-module':
        return ctypesMember(name);
      case 'wintypes-module':
        return wintypesMember(name);
      case 'loader':
        if (name === 'LoadLibrary') return { kind: 'load-library', convention: object.convention };
        return name.startsWith('_') ? null : { kind: 'library', library: { id: node.text, convention: object.convention } };
      case 'library':
        if (LIBRARY_ATTRIBUTES.has(name) || (name.startsWith('__') && name.endsWith('__'))) return null;
        return this.functionValue(object.library, name, nameNode);
      default:
        return null;
    }
  }

  private functionValue(library: CtypesLibrary, symbol: string, nameNode: SyntaxNode | null, convention = library.convention): CtypesValue {
    const key = functionKey(library, symbol);
    let fn = this.functions.get(key);
    if (!fn) {
      fn = { symbol, library, convention, aliases: [], statements: [], nameRanges: [], problems: [], touched: false };
      this.functions.set(key, fn);
    }
    return { kind: 'function', fn, nameNode };
  }

  private callValue(node: SyntaxNode, problems: string[]): CtypesValue | null {
    const calleeNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!calleeNode || !argsNode || argsNode.type !== 'argument_list') return null;
    const args = argsNode.namedChildren.filter((a) => a.type !== 'comment');
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    if (calleeNode.type === 'identifier' && calleeNode.text === 'getattr' && !this.env.has('getattr')) return this.getattrValue(positional, problems);
    const helper = calleeNode.type === 'identifier' && !this.env.has(calleeNode.text) ? this.helpers.get(calleeNode.text) : undefined;
    if (helper) return this.helperCall(helper, node, args, problems);
    const callee = this.evaluate(calleeNode, problems);
    switch (callee?.kind) {
      case 'pointer-factory': {
        if (positional.length !== 1) return null;
        const target = this.typeOf(positional[0]!, problems, 'pointee');
        return target ? { kind: 'type', type: { kind: 'pointer', to: target } } : null;
      }
      case 'functype-factory':
        return this.functionType(positional, callee.convention, problems);
      case 'library-class':
      case 'load-library':
        return { kind: 'library', library: { id: node.text, convention: callee.convention } };
      case 'type':
        return this.prototypeBinding(callee, positional, problems);
      default:
        return null;
    }
  }

  /** A call of a helper: the function it declares, with the argtypes and restype passed to it. */
  private helperCall(helper: Helper, call: SyntaxNode, args: SyntaxNode[], problems: string[]): CtypesValue | null {
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const argument = (param: number): SyntaxNode | undefined => {
      const name = helper.params[param];
      const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
      return keyword?.childForFieldName('value') ?? (param < positional.length ? positional[param] : undefined);
    };
    let value: CtypesValue | null = null;
    if (helper.fn.kind === 'param') {
      const given = argument(helper.fn.index);
      value = given ? this.evaluate(given, problems) : null;
    } else {
      const library = this.evaluate(helper.fn.library, problems);
      const symbolNode = argument(helper.fn.nameParam);
      const symbol = symbolNode ? stringLiteral(symbolNode) : null;
      if (library?.kind === 'library' && symbol !== null && symbolNode) value = this.functionValue(library.library, symbol, symbolNode);
    }
    if (value?.kind !== 'function') return null;
    const statement = call.parent?.type === 'expression_statement' ? call.parent : call;
    for (const member of ['restype', 'argtypes'] as const) {
      const source = helper[member];
      if (!source) continue;
      if (source.kind === 'expression') this.declare(value, member, statement, source.node);
      else if (source.star) this.declareArgtypes(value, statement, positional.slice(source.index));
      else {
        const given = argument(source.index);
        if (given) this.declare(value, member, statement, given);
      }
    }
    return value;
  }

  /** A class that is not a record: its body binds names for `Class.x`, `self.x` and `cls.x` too. */
  private plainClass(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    this.classes.push(name);
    try {
      for (const child of node.namedChildren) this.visit(child);
    } finally {
      this.classes.pop();
    }
  }

  /** `getattr(lib, 'name')`: the function, like `lib.name`. */
  private getattrValue(args: SyntaxNode[], problems: string[]): CtypesValue | null {
    if (args.length < 2) return null;
    const library = this.evaluate(args[0]!, problems);
    const symbol = stringLiteral(args[1]!);
    if (library?.kind !== 'library' || symbol === null) return null;
    return this.functionValue(library.library, symbol, args[1]!);
  }

  /** `lib['name']`: ctypes' way to reach symbols that are not Python identifiers. */
  private subscript(node: SyntaxNode): CtypesValue | null {
    const value = node.childForFieldName('value');
    const index = node.childForFieldName('subscript');
    if (!value || !index) return null;
    const library = this.evaluate(value, []);
    const symbol = stringLiteral(index);
    if (library?.kind !== 'library' || symbol === null) return null;
    return this.functionValue(library.library, symbol, index);
  }

  /** `CFUNCTYPE(restype, *argtypes)`: a function pointer type. */
  private functionType(args: SyntaxNode[], convention: CallingConvention, problems: string[]): CtypesValue | null {
    if (args.length === 0 || args.some((a) => a.type === 'list_splat')) return null;
    const ret = this.typeOf(args[0]!, problems, 'return');
    const params = args.slice(1).map((a) => this.typeOf(a, problems, 'parameter'));
    if (!ret || params.some((p) => p === null)) return null;
    const fn: CtypeNode = { kind: 'function', ret, params: params.map((p) => asParameter(p!)) };
    return { kind: 'type', type: { kind: 'pointer', to: fn }, convention };
  }

  /** `PROTO(('name', lib))` or `PROTO(('name', lib), paramflags)`: a foreign function with PROTO's signature. */
  private prototypeBinding(proto: CtypesValue & { kind: 'type' }, args: SyntaxNode[], problems: string[]): CtypesValue | null {
    const fnType = proto.type.kind === 'pointer' ? proto.type.to : null;
    const spec = args[0] ? unwrapParens(args[0]) : null;
    if (fnType?.kind !== 'function' || spec?.type !== 'tuple' || spec.namedChildCount < 2) return null;
    const symbol = stringLiteral(spec.namedChild(0)!);
    const library = this.evaluate(spec.namedChild(1)!, problems);
    if (symbol === null || library?.kind !== 'library') return null;
    const value = this.functionValue(library.library, symbol, spec.namedChild(0)!, proto.convention ?? 'default');
    if (value.kind === 'function') {
      value.fn.argtypes = [...fnType.params];
      value.fn.restype = fnType.ret;
    }
    return value;
  }

  /** `T * n` (or `n * T`): a ctypes array type. */
  private arrayType(node: SyntaxNode, problems: string[]): CtypesValue | null {
    const op = node.childForFieldName('operator');
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (op?.text !== '*' || !left || !right) return null;
    const a = this.evaluate(left, problems);
    const b = this.evaluate(right, problems);
    const [elem, count] = a?.kind === 'type' && b?.kind === 'int' ? [a.type, b.value] : b?.kind === 'type' && a?.kind === 'int' ? [b.type, a.value] : [null, null];
    if (elem === null || count === null) return null;
    return { kind: 'type', type: { kind: 'array', of: elem, count } };
  }

  /**
   * The C type a ctypes type expression stands for. `None` is void where ctypes allows it
   * (restype, CFUNCTYPE's first argument, POINTER(None) = c_void_p).
   */
  typeOf(node: SyntaxNode, problems: string[], role: 'parameter' | 'return' | 'field' | 'pointee'): CtypeNode | null {
    const before = problems.length;
    const value = this.evaluate(node, problems);
    if (value?.kind === 'type') return value.type;
    if (value?.kind === 'none' && (role === 'return' || role === 'pointee')) return VOID;
    if (problems.length === before) problems.push(`unknown ctypes type '${shorten(node.text)}'`);
    return null;
  }

  // ---- statements ------------------------------------------------------------------------

  private assignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    // `a.restype = b.restype = c_int`: each target gets the last value (the inner ones are visited on their own).
    for (let depth = 0; right?.type === 'assignment' && depth < 64; depth++) right = right.childForFieldName('right');
    if (!left || !right || right.type === 'assignment') return;
    if (left.type === 'attribute' && this.memberAssignment(node, left, right)) return;
    const target = dottedName(left);
    if (target === null) return;
    const value = this.evaluate(right, []);
    // `try: import ctypes / except ImportError: ctypes = None`: the fallback for an interpreter
    // without ctypes does not undo the import (the scopes are flattened, so it would).
    const current = this.env.get(target);
    if (value?.kind === 'none' && (current?.kind === 'ctypes-module' || current?.kind === 'wintypes-module')) return;
    // In a class body, `_dll = CDLL(…)` is also reached as `self._dll`, `cls._dll` and `Api._dll`.
    const owner = this.classes.at(-1);
    const aliases = owner !== undefined && left.type === 'identifier' ? [`self.${target}`, `cls.${target}`, `${owner}.${target}`] : [];
    for (const alias of aliases) {
      if (value?.kind === 'library') this.env.set(alias, { kind: 'library', library: { id: target, convention: value.library.convention } });
      else if (value) this.env.set(alias, value);
      else this.env.delete(alias);
    }
    if (!value) {
      this.env.delete(target);
      return;
    }
    const source = dottedName(right);
    if (value.kind === 'library' && (source === null || !this.env.has(source))) {
      // A library loaded here is known by the name it is bound to (`lib2 = lib` keeps lib's).
      this.env.set(target, { kind: 'library', library: { id: target, convention: value.library.convention } });
      return;
    }
    this.env.set(target, value);
    if (value.kind === 'function') {
      const fn = value.fn;
      fn.touched = true;
      fn.aliases.push(target);
      fn.statements.push(rangeOf(node.parent?.type === 'expression_statement' ? node.parent : node));
      fn.nameRanges.push(rangeOf(left));
      if (value.nameNode) fn.nameRanges.push(rangeOf(value.nameNode));
    }
  }

  /** `f.argtypes = …`, `f.restype = …`, `Rec._fields_ = …`; true when handled. */
  private memberAssignment(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode): boolean {
    const objectNode = left.childForFieldName('object');
    const member = left.childForFieldName('attribute')?.text;
    if (!objectNode || !member) return false;
    if (member === 'argtypes' || member === 'restype') {
      const value = this.evaluate(objectNode, []);
      if (value?.kind !== 'function') return false;
      this.declare(value, member, node, right);
      return true;
    }
    if (member === '_fields_' || member === '_pack_' || member === '_anonymous_') {
      const value = this.evaluate(objectNode, []);
      if (value?.kind !== 'type' || value.type.kind !== 'record') return false;
      const record = this.records.get(value.type.key);
      if (!record) return false;
      record.nameRanges.push(rangeOf(objectNode));
      this.recordMember(record, member, right);
      return true;
    }
    return false;
  }

  private declare(value: CtypesValue & { kind: 'function' }, member: 'argtypes' | 'restype', node: SyntaxNode, right: SyntaxNode): void {
    const fn = value.fn;
    fn.touched = true;
    fn.statements.push(rangeOf(node.parent?.type === 'expression_statement' ? node.parent : node));
    if (value.nameNode) fn.nameRanges.push(rangeOf(value.nameNode));
    if (member === 'restype') {
      const problems: string[] = [];
      fn.restype = this.typeOf(right, problems, 'return');
      fn.problems.push(...problems.map((p) => `restype: ${p}`));
      return;
    }
    const list = unwrapParens(right);
    if (list.type === 'none') {
      fn.argtypes = undefined; // ctypes' way of saying "no prototype"
      return;
    }
    // A list, a tuple, or a bare tuple (`f.argtypes = c_int, c_double`).
    if (list.type !== 'list' && list.type !== 'tuple' && list.type !== 'expression_list') {
      fn.argtypesUnreadable = true;
      fn.problems.push(`argtypes is not a list we can read: '${shorten(right.text)}'`);
      return;
    }
    this.argtypesFrom(fn, list.namedChildren.filter((c) => c.type !== 'comment'));
  }

  /** `argtypes` given as separate expressions (a helper's `*argtypes`). */
  private declareArgtypes(value: CtypesValue & { kind: 'function' }, node: SyntaxNode, items: SyntaxNode[]): void {
    value.fn.touched = true;
    value.fn.statements.push(rangeOf(node));
    if (value.nameNode) value.fn.nameRanges.push(rangeOf(value.nameNode));
    this.argtypesFrom(value.fn, items);
  }

  private argtypesFrom(fn: CtypesFunction, items: SyntaxNode[]): void {
    const problems: string[] = [];
    fn.argtypesUnreadable = false;
    fn.problems.splice(0, fn.problems.length, ...fn.problems.filter((p) => !p.startsWith('argtypes')));
    fn.argtypes = items.map((item) => {
      const type = this.typeOf(item, problems, 'parameter');
      return type && asParameter(type);
    });
    fn.problems.push(...problems.map((p) => `argtypes: ${p}`));
  }

  private call(node: SyntaxNode): void {
    const calleeNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    if (!calleeNode || argsNode?.type !== 'argument_list') return;
    const value = this.evaluate(calleeNode, []);
    if (value?.kind !== 'function') return;
    value.fn.touched = true;
    const argumentRanges: Range[] = [];
    for (const arg of argsNode.namedChildren) {
      if (arg.type === 'comment') continue;
      // Hints after a `*args` or keyword argument could not say which parameter they are.
      if (arg.type === 'list_splat' || arg.type === 'dictionary_splat' || arg.type === 'keyword_argument') break;
      argumentRanges.push(rangeOf(arg));
    }
    this.calls.push({ fn: value.fn, callee: calleeNode.text, range: rangeOf(node), calleeRange: rangeOf(calleeNode), argumentRanges });
  }

  // ---- records ---------------------------------------------------------------------------

  /** A Structure/Union subclass becomes a record; false for other classes (visited normally). */
  private classDefinition(node: SyntaxNode): boolean {
    const nameNode = node.childForFieldName('name');
    const supers = node.childForFieldName('superclasses');
    if (!nameNode || !supers) return false;
    const bases = supers.namedChildren.filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment');
    const base = bases.length === 1 ? this.evaluate(bases[0]!, []) : null;
    const baseRecord = base?.kind === 'type' && base.type.kind === 'record' ? this.records.get(base.type.key) : undefined;
    if (base?.kind !== 'record-base' && !baseRecord) return false;
    const pyName = nameNode.text;
    const key = this.uniqueKey(pyName);
    const record: CtypesRecord = {
      key, pyName, cName: this.uniqueCName(cIdentifier(pyName)),
      tag: base?.kind === 'record-base' ? base.tag : baseRecord!.tag,
      base: baseRecord ? baseRecord.key : null,
      fields: null, pack: null, problems: [], range: rangeOf(node), nameRanges: [rangeOf(nameNode)],
    };
    if (base?.kind === 'record-base' && base.bigEndian) {
      record.problems.push(`${bases[0]!.text} is not supported: the ABI engine models little-endian targets only`);
    }
    this.records.set(key, record);
    this.env.set(pyName, { kind: 'type', type: { kind: 'record', key } });
    const body = node.childForFieldName('body');
    for (const statement of body?.namedChildren ?? []) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right && (left.text === '_fields_' || left.text === '_pack_' || left.text === '_anonymous_')) {
        this.recordMember(record, left.text, right);
      } else {
        this.visit(statement);
      }
    }
    return true;
  }

  private uniqueKey(pyName: string): string {
    let key = pyName;
    for (let i = 2; this.records.has(key); i++) key = `${pyName}#${i}`;
    return key;
  }

  private uniqueCName(name: string): string {
    let cName = name;
    for (let i = 2; this.recordNames.has(cName); i++) cName = `${name}_${i}`;
    this.recordNames.add(cName);
    return cName;
  }

  private recordMember(record: CtypesRecord, member: string, right: SyntaxNode): void {
    if (member === '_pack_') {
      const value = this.evaluate(right, []);
      if (value?.kind === 'int' && [0, 1, 2, 4, 8, 16].includes(value.value)) record.pack = value.value || null;
      else record.problems.push(`_pack_ must be 1, 2, 4, 8 or 16 here, not '${shorten(right.text)}'`);
      return;
    }
    // Anonymous members only change how Python spells access; the layout is that of a named member.
    if (member === '_anonymous_') return;
    const list = unwrapParens(right);
    if (list.type !== 'list' && list.type !== 'tuple') {
      record.fields = [];
      record.problems.push(`_fields_ is not a list we can read: '${shorten(right.text)}'`);
      return;
    }
    record.fields = list.namedChildren.filter((c) => c.type !== 'comment').map((item) => this.field(record, item));
  }

  private field(record: CtypesRecord, raw: SyntaxNode): CtypesField {
    const item = unwrapParens(raw);
    const parts = item.type === 'tuple' ? item.namedChildren.filter((c) => c.type !== 'comment') : [];
    const name = parts[0] ? stringLiteral(parts[0]) : null;
    if (name === null || parts.length < 2 || parts.length > 3) {
      record.problems.push(`field '${shorten(raw.text)}' is not ('name', type) or ('name', type, bits)`);
      return { name: name ?? '_', type: null };
    }
    const problems: string[] = [];
    const type = this.typeOf(parts[1]!, problems, 'field');
    record.problems.push(...problems.map((p) => `field '${name}': ${p}`));
    if (parts.length === 2) return { name, type };
    const bits = this.evaluate(parts[2]!, []);
    if (bits?.kind !== 'int') {
      record.problems.push(`field '${name}': bit width '${shorten(parts[2]!.text)}' is not an integer literal`);
      return { name, type: null };
    }
    return { name, type, bits: bits.value };
  }
}

/** Where a helper's argtypes or restype come from: one of its parameters (or `*rest`), or a fixed expression. */
type HelperSource = { readonly kind: 'param'; readonly index: number; readonly star: boolean } | { readonly kind: 'expression'; readonly node: SyntaxNode };

interface Helper {
  readonly params: readonly string[];
  /** The function declared: a parameter, or `getattr(library, <parameter>)`. */
  readonly fn: { readonly kind: 'param'; readonly index: number } | { readonly kind: 'getattr'; readonly library: SyntaxNode; readonly nameParam: number };
  readonly argtypes: HelperSource | null;
  readonly restype: HelperSource | null;
}

/**
 * A function whose body sets `argtypes` or `restype` on a parameter, or on `getattr(lib, param)`
 * (or `lib[param]`) bound to a local: the declaring helpers binding modules write.
 */
function helperOf(def: SyntaxNode): Helper | null {
  const params: string[] = [];
  let star = -1;
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = p.type === 'identifier' ? p : p.type === 'list_splat_pattern' ? p.namedChild(0) : p.childForFieldName('name');
    if (p.type === 'list_splat_pattern') star = params.length;
    params.push(name?.text ?? '');
  }
  const locals = new Map<string, Helper['fn']>();
  let fn: Helper['fn'] | null = null;
  let fnName: string | null = null;
  const sources: { argtypes: HelperSource | null; restype: HelperSource | null } = { argtypes: null, restype: null };
  for (const statement of def.childForFieldName('body')?.namedChildren ?? []) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    if (!left || !right) continue;
    if (left.type === 'identifier') {
      const got = getattrOf(right, params);
      if (got) locals.set(left.text, got);
      continue;
    }
    const member = left.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
    const object = left.childForFieldName('object');
    if ((member !== 'argtypes' && member !== 'restype') || object?.type !== 'identifier') continue;
    const target: Helper['fn'] | undefined = params.includes(object.text) ? { kind: 'param', index: params.indexOf(object.text) } : locals.get(object.text);
    if (!target || (fnName !== null && fnName !== object.text)) continue;
    fn = target;
    fnName = object.text;
    const index = right.type === 'identifier' ? params.indexOf(right.text) : -1;
    sources[member] = index >= 0 ? { kind: 'param', index, star: index === star } : { kind: 'expression', node: right };
  }
  return fn ? { params, fn, ...sources } : null;
}

function getattrOf(node: SyntaxNode, params: readonly string[]): Helper['fn'] | undefined {
  if (node.type === 'call' && node.childForFieldName('function')?.text === 'getattr') {
    const [library, name] = node.childForFieldName('arguments')?.namedChildren ?? [];
    if (library && name?.type === 'identifier' && params.includes(name.text)) return { kind: 'getattr', library, nameParam: params.indexOf(name.text) };
  }
  if (node.type === 'subscript') {
    const library = node.childForFieldName('value');
    const name = node.childForFieldName('subscript');
    if (library && name?.type === 'identifier' && params.includes(name.text)) return { kind: 'getattr', library, nameParam: params.indexOf(name.text) };
  }
  return undefined;
}

function shorten(text: string): string {
  const oneLine = text.slice(0, 120).replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** The node types `visitNode` does something with; every other node only leads to them. */
const ACTING = ['import_statement', 'import_from_statement', 'class_definition', 'function_definition', 'assignment', 'call'];

/**
 * The acting nodes of a tree, found by a walk inside the wasm module, by start. Their ends are
 * read from the tree only when asked (a focused read asks for few): each is a call into the
 * wasm module.
 */
class ActingIndex {
  readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(private readonly nodes: readonly SyntaxNode[]) {
    this.starts = Int32Array.from(nodes, (node) => node.startIndex);
    this.ends = new Int32Array(nodes.length).fill(-1);
  }

  endAt(i: number): number {
    if ((this.ends[i] as number) < 0) this.ends[i] = (this.nodes[i] as SyntaxNode).endIndex;
    return this.ends[i] as number;
  }
}

function actingNodes(root: SyntaxNode): ActingIndex {
  // A focused read walks the same tree twice: the index is made once per tree.
  const known = actingByTree.get(root.tree);
  if (known && known.root === root.id) return known.index;
  // In the order of a walk of the tree, so already by start (kept sorted should that change).
  const nodes = root.descendantsOfType(ACTING);
  if (nodes.some((node, i) => i > 0 && node.startIndex < (nodes[i - 1] as SyntaxNode).startIndex)) nodes.sort((a, b) => a.startIndex - b.startIndex);
  const index = new ActingIndex(nodes);
  actingByTree.set(root.tree, { root: root.id, index });
  return index;
}

const actingByTree = new WeakMap<object, { readonly root: number; readonly index: ActingIndex }>();
