// C values through gdb's variable objects: one per shown variable, so structs, arrays and pointers
// expand on demand (`-var-list-children`) and can be assigned. They live until the thread runs.

import type { MiConnection } from './mi-connection';
import { list, num, str, tuple, type MiTuple } from './mi-output';

export interface GdbVariable {
  name: string;
  value: string;
  type?: string;
  /** The var object to expand, when the value has children. */
  childrenHandle?: string;
}

export class VarObjects {
  private readonly created: string[] = [];

  constructor(private readonly mi: MiConnection) {}

  /** Arguments then locals of a frame. */
  async frameVariables(threadId: number, level: number): Promise<GdbVariable[]> {
    const result = await this.mi.command('-stack-list-variables', '--thread', String(threadId), '--frame', String(level), '--no-values');
    const names = list(result.variables)
      .map((v) => str(tuple(v)?.name))
      .filter((n): n is string => !!n);
    return Promise.all([...new Set(names)].map((name) => this.create(threadId, level, name, name)));
  }

  async evaluate(threadId: number, level: number, expression: string): Promise<GdbVariable> {
    return this.create(threadId, level, expression, expression);
  }

  async children(handle: string): Promise<GdbVariable[]> {
    const result = await this.mi.command('-var-list-children', '--all-values', handle);
    const out: GdbVariable[] = [];
    for (const item of list(result.children)) {
      const child = tuple(tuple(item)?.child) ?? tuple(item);
      if (!child) continue;
      const handleName = str(child.name) ?? '';
      const exp = str(child.exp) ?? handleName;
      // Anonymous "public"/"private" pseudo-children (C++) and anonymous unions are flattened.
      if ((num(child.numchild) ?? 0) > 0 && str(child.type) === undefined) {
        out.push(...(await this.children(handleName)));
        continue;
      }
      out.push(await this.describe(child, exp));
    }
    return out;
  }

  async assign(threadId: number, level: number, name: string, value: string, parentHandle?: string): Promise<GdbVariable> {
    let handle = parentHandle ? `${parentHandle}.${name}` : '';
    if (!handle) {
      const created = await this.mi.command('-var-create', '--thread', String(threadId), '--frame', String(level), '-', '*', name);
      handle = str(created.name) ?? '';
      this.created.push(handle);
    }
    const result = await this.mi.command('-var-assign', handle, value);
    return { name, value: str(result.value) ?? value };
  }

  async deleteAll(): Promise<void> {
    const names = this.created.splice(0);
    await Promise.all(names.map((n) => this.mi.command('-var-delete', n).catch(() => undefined)));
  }

  private async create(threadId: number, level: number, shownName: string, expression: string): Promise<GdbVariable> {
    const result = await this.mi.command('-var-create', '--thread', String(threadId), '--frame', String(level), '-', '*', expression);
    this.created.push(str(result.name) ?? '');
    const variable = await this.describe(result, shownName);
    if (variable.value === '{...}') {
      // A struct at the top level: show its members inline, as gdb prints them.
      const printed = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', String(level), expression).catch(() => undefined);
      variable.value = str(printed?.value) ?? variable.value;
    }
    return variable;
  }

  private async describe(record: MiTuple, shownName: string): Promise<GdbVariable> {
    const handle = str(record.name) ?? '';
    const hasChildren = (num(record.numchild) ?? 0) > 0;
    return { name: shownName, value: str(record.value) ?? '', type: str(record.type), childrenHandle: hasChildren ? handle : undefined };
  }
}
