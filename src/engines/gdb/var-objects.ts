// C values through gdb's variable objects: one per shown value, so structs, arrays and pointers
// expand on demand (`-var-list-children`) and can be assigned. They describe one stop: all are
// deleted before the thread runs again.

import { ErrorCode, userError } from '../common/errors';
import type { MiConnection } from './mi-connection';
import { list, num, str, tuple, type MiTuple } from './mi-parser';

export interface GdbVariable {
  name: string;
  value: string;
  type?: string;
  /** The var object behind the value: pass it to setVariable. */
  handle?: string;
  /** The var object to expand, when the value has children. */
  childrenHandle?: string;
}

/** gdb's own words from a failed command's error ("gdb: -cmd args: msg"). */
function gdbMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (error as { gdbMessage?: string }).gdbMessage ?? message;
}

function isGdbInternal(error: unknown): boolean {
  return /^gdb error \(internal/.test(gdbMessage(error));
}

export class VarObjects {
  /** Top-level var objects we created (deleting one deletes its children). */
  private readonly roots = new Set<string>();
  /** Every var object handed out, children included. */
  private readonly known = new Set<string>();

  constructor(private readonly mi: MiConnection) {}

  /** Arguments then locals of a frame. */
  async frameVariables(threadId: number, level: number): Promise<GdbVariable[]> {
    const result = await this.mi.command('-stack-list-variables', '--thread', String(threadId), '--frame', String(level), '--no-values');
    const names = list(result.variables)
      .map((v) => str(tuple(v)?.name))
      .filter((n): n is string => !!n);
    // Asked now, answered in order before the var objects below: no round trip of its own.
    const locationless = this.locationlessLocals(threadId, level);
    const out: GdbVariable[] = [];
    // One at a time: gdb answers in order anyway. A variable gdb cannot read (its own internal
    // error among the reasons) is shown as unavailable, with gdb's words; the others still show.
    for (const name of new Set(names)) {
      try {
        out.push(await this.create(threadId, level, name));
      } catch (error) {
        out.push(await this.printedOrUnavailable(threadId, level, name, error));
      }
    }
    for (const local of await locationless) {
      if (!names.includes(local.name)) out.push({ name: local.name, value: '<optimized out>', type: local.type });
    }
    return out;
  }

  /** Locals the compiler gave no location at all, which MI's list leaves out (polyglot_locals.py). */
  private async locationlessLocals(threadId: number, level: number): Promise<{ name: string; type: string }[]> {
    const text = await this.mi.consoleCommand('polyglot-locationless-locals', { thread: threadId, frame: level }).catch(() => '[]');
    try {
      const found = JSON.parse(text.trim().split('\n').at(-1) || '[]') as unknown;
      return Array.isArray(found) ? found.filter((l): l is { name: string; type: string } => typeof l?.name === 'string' && typeof l?.type === 'string') : [];
    } catch {
      return [];
    }
  }

  async evaluate(threadId: number, level: number, expression: string): Promise<GdbVariable> {
    try {
      return await this.create(threadId, level, expression);
    } catch {
      // -var-create only says "unable to create variable object"; the plain evaluation says why
      // (or succeeds, for the few expressions that make no var object).
      try {
        const printed = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', String(level), expression);
        return { name: expression, value: str(printed.value) ?? '' };
      } catch (error) {
        // gdb's own bug is not the user's mistake: a value that says so, not a failed request.
        if (isGdbInternal(error)) return { name: expression, value: `unavailable: ${gdbMessage(error)}` };
        throw userError(ErrorCode.EvaluateFailed, gdbMessage(error), error);
      }
    }
  }

  /** -var-create failed, which says little: the plain evaluation shows the value or says why not. */
  private async printedOrUnavailable(threadId: number, level: number, name: string, error: unknown): Promise<GdbVariable> {
    if (isGdbInternal(error)) return { name, value: `unavailable: ${gdbMessage(error)}` };
    try {
      const printed = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', String(level), name);
      return { name, value: str(printed.value) ?? '' };
    } catch (second) {
      return { name, value: `unavailable: ${gdbMessage(second)}` };
    }
  }

  async children(handle: string): Promise<GdbVariable[]> {
    const result = await this.mi.command('-var-list-children', '--all-values', handle);
    const out: GdbVariable[] = [];
    for (const item of list(result.children)) {
      const child = tuple(tuple(item)?.child) ?? tuple(item);
      if (!child) continue;
      const childHandle = str(child.name) ?? '';
      // C++ access pseudo-children ("public", …) have no type: show their members instead.
      if ((num(child.numchild) ?? 0) > 0 && str(child.type) === undefined) {
        out.push(...(await this.children(childHandle)));
        continue;
      }
      out.push(this.describe(child, str(child.exp) ?? childHandle));
    }
    return out;
  }

  async assign(threadId: number, level: number, nameOrHandle: string, value: string, parentHandle?: string): Promise<GdbVariable> {
    let handle = parentHandle ? await this.childHandle(parentHandle, nameOrHandle) : this.known.has(nameOrHandle) ? nameOrHandle : undefined;
    handle ??= (await this.create(threadId, level, nameOrHandle)).handle!;
    try {
      const result = await this.mi.command('-var-assign', handle, value);
      return { name: nameOrHandle, value: str(result.value) ?? value, handle };
    } catch (error) {
      throw userError(ErrorCode.EvaluateFailed, `Cannot set ${nameOrHandle} to ${value}: ${gdbMessage(error)}`, error);
    }
  }

  async forgetAll(): Promise<void> {
    const roots = [...this.roots];
    this.roots.clear();
    this.known.clear();
    await Promise.all(roots.map((n) => this.mi.command('-var-delete', n).catch(() => undefined)));
  }

  private async childHandle(parentHandle: string, exp: string): Promise<string> {
    const result = await this.mi.command('-var-list-children', parentHandle);
    for (const item of list(result.children)) {
      const child = tuple(tuple(item)?.child) ?? tuple(item);
      if (child && str(child.exp) === exp) return str(child.name)!;
    }
    throw userError(ErrorCode.EvaluateFailed, `${exp} is not a member of this value.`);
  }

  private async create(threadId: number, level: number, expression: string): Promise<GdbVariable> {
    const result = await this.mi.command('-var-create', '--thread', String(threadId), '--frame', String(level), '-', '*', expression);
    const handle = str(result.name) ?? '';
    this.roots.add(handle);
    const variable = this.describe(result, expression);
    if (variable.value === '{...}') {
      // A struct: show its members inline, as gdb prints them.
      const printed = await this.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', String(level), expression).catch(() => undefined);
      variable.value = str(printed?.value) ?? variable.value;
    }
    return variable;
  }

  private describe(record: MiTuple, shownName: string): GdbVariable {
    const handle = str(record.name) ?? '';
    this.known.add(handle);
    const hasChildren = (num(record.numchild) ?? 0) > 0 || str(record.dynamic) === '1';
    return { name: shownName, value: str(record.value) ?? '', type: str(record.type), handle, childrenHandle: hasChildren ? handle : undefined };
  }
}
