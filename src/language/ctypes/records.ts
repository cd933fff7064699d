// ctypes Structure/Union classes as C record declarations, and the declaration text a set of
// types needs: records used by value come complete and in dependency order, records only
// pointed to at least as a forward declaration.

import type { Range } from '../ffi/model';
import { declareC, recordUses, type CtypeNode } from './types';

export interface CtypesField {
  readonly name: string;
  /** null when the field's type was not understood (the record's problems say why). */
  readonly type: CtypeNode | null;
  /** Bit-field width, for `('x', c_int, 3)`. */
  readonly bits?: number;
}

export interface CtypesRecord {
  readonly key: string;
  readonly pyName: string;
  /** The tag as C sees it: the class name, made a valid, non-reserved C identifier. */
  readonly cName: string;
  readonly tag: 'struct' | 'union';
  /** A Structure/Union subclass of another record: ctypes lays the base out first, like a leading member. */
  readonly base: string | null;
  /** null until `_fields_` is seen (`class Node(Structure): pass`, then `Node._fields_ = …`). */
  fields: CtypesField[] | null;
  pack: number | null;
  readonly problems: string[];
  readonly range: Range;
  readonly nameRanges: Range[];
}

const C_RESERVED = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float',
  'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static',
  'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false',
  'size_t', 'ssize_t', 'wchar_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'intmax_t', 'uintmax_t', 'off_t',
  'char16_t', 'char32_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
]);

/** A Python name as a C identifier the engine accepts: keywords and typedef names get a trailing `_`. */
export function cIdentifier(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9]|$)/, '_');
  return C_RESERVED.has(plain) ? `${plain}_` : plain;
}

export function recordSpelling(record: CtypesRecord): string {
  return `${record.tag} ${record.cName}`;
}

/** Where the declaration text of some types stands; `problems` are why it is incomplete. */
export interface DeclsResult {
  readonly text: string;
  readonly problems: readonly string[];
  /** False when a record needed by value could not be declared, so the engine cannot lay it out. */
  readonly complete: boolean;
}

/** The C declarations `types` need, from `records` (keyed by record key). */
export function declsFor(types: readonly CtypeNode[], records: ReadonlyMap<string, CtypesRecord>): DeclsResult {
  return new DeclsBuilder(records).build(types);
}

class DeclsBuilder {
  private readonly defined = new Set<string>();
  private readonly visiting = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly pointedTo = new Set<string>();
  private readonly needsForward = new Set<string>();
  private readonly bodies: string[] = [];
  private readonly problems: string[] = [];
  private complete = true;

  constructor(private readonly records: ReadonlyMap<string, CtypesRecord>) {}

  build(types: readonly CtypeNode[]): DeclsResult {
    const byValue = new Set<string>();
    const byPointer = new Set<string>();
    for (const t of types) recordUses(t, byValue, byPointer);
    for (const key of byValue) if (!this.define(key, true)) this.complete = false;
    this.notePointers(byPointer);
    // Records only pointed to are declared in full when we can (hovers show them), else forward.
    for (let grew = true; grew; ) {
      grew = false;
      for (const key of [...this.pointedTo]) {
        if (this.defined.has(key) || this.failed.has(key)) continue;
        if (this.define(key, false)) grew = true;
        else this.needsForward.add(key);
      }
    }
    const forwards = [...this.needsForward].filter((k) => this.records.has(k)).map((k) => `${recordSpelling(this.records.get(k)!)};`);
    return { text: [...forwards, ...this.bodies].join('\n'), problems: this.problems, complete: this.complete };
  }

  private notePointers(keys: Iterable<string>): void {
    for (const key of keys) {
      this.pointedTo.add(key);
      if (!this.defined.has(key) && !this.visiting.has(key)) this.needsForward.add(key);
    }
  }

  /** Emits `key` and what it needs by value; false (with a problem when `required`) if it cannot. */
  private define(key: string, required: boolean): boolean {
    if (this.defined.has(key)) return true;
    const record = this.records.get(key);
    const say = (problem: string) => {
      if (required && !this.problems.includes(problem)) this.problems.push(problem);
      this.failed.add(key);
      return false;
    };
    if (!record) return say(`unknown record '${key}'`);
    if (this.failed.has(key)) return say(`${recordSpelling(record)} could not be translated to C`);
    if (this.visiting.has(key)) return say(`${recordSpelling(record)} contains itself by value`);
    if (record.fields === null) return say(`${recordSpelling(record)} has no _fields_ (incomplete type)`);
    if (record.problems.length > 0 || record.fields.some((f) => f.type === null)) {
      return say(`${recordSpelling(record)} could not be translated to C: ${record.problems.join('; ') || 'unknown field type'}`);
    }
    this.visiting.add(key);
    const byValue = new Set<string>(record.base ? [record.base] : []);
    const byPointer = new Set<string>();
    for (const f of record.fields) recordUses(f.type!, byValue, byPointer);
    byPointer.delete(key); // a record may point to itself once its tag is open
    for (const dep of byValue) {
      if (!this.define(dep, required)) {
        this.visiting.delete(key);
        return say(`${recordSpelling(record)} needs ${this.spell(dep)}, which could not be translated`);
      }
    }
    this.notePointers(byPointer);
    this.visiting.delete(key);
    this.bodies.push(recordBody(record, (k) => this.spell(k)));
    this.defined.add(key);
    this.needsForward.delete(key);
    return true;
  }

  private spell(key: string): string {
    const record = this.records.get(key);
    return record ? recordSpelling(record) : `struct ${cIdentifier(key)}`;
  }
}

/** One record's own declaration (its dependencies must come first). */
function recordBody(record: CtypesRecord, spell: (key: string) => string): string {
  const members: string[] = [];
  if (record.base) members.push(`${spell(record.base)} _base;`);
  for (const f of record.fields ?? []) {
    const name = f.bits === 0 ? '' : cIdentifier(f.name);
    members.push(f.bits === undefined ? `${declareC(f.type!, name, spell)};` : `${declareC(f.type!, name, spell)} : ${f.bits};`);
  }
  const body = `${recordSpelling(record)} { ${members.join(' ')}${members.length ? ' ' : ''}};`;
  // ctypes' _pack_ caps each member's alignment, which is what `#pragma pack` does in GCC, Clang and MSVC.
  return record.pack ? `#pragma pack(push, ${record.pack})\n${body}\n#pragma pack(pop)` : body;
}
