// The user's breakpoints in the engines: C ones in gdb (pending until their library loads, with
// an entry snapshot for the ABI view), JS/TS ones in V8 through the source maps (not awaited while
// C holds the thread, V8 answers only when JavaScript runs), Python ones sent to the agent per file.

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BreakpointBook, type BreakpointRequest, type UserBreakpoint } from './breakpoint-book';
import { breakpointLineProblem } from './breakpoint-lines';
import type { JsEnginePort, NativeBreakpointLocation, NativeEnginePort, PythonEnginePort, SourceMapPort } from './engine-ports';
import type { EntrySnapshots } from './entry-snapshots';

export interface BreakpointResult {
  id: number;
  instructionReference?: string;
  verified: boolean;
  line?: number;
  column?: number;
  message?: string;
}

export interface PlacementHost {
  engines(): { native: NativeEnginePort | null; js: JsEnginePort | null; python: PythonEnginePort | null; maps: SourceMapPort | null };
  /** V8 answers requests now (JavaScript paused, or nothing running yet). */
  v8Answers(): boolean;
  entrySnapshots(): EntrySnapshots;
  /** A breakpoint's state changed after it was answered (bound, moved, refused). */
  changed(result: BreakpointResult): void;
}

const C_EXTENSIONS = new Set(['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp']);
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx']);

export class BreakpointPlacement {
  readonly book = new BreakpointBook();
  /** Files the agent was sent breakpoints for (detach clears them). */
  readonly pythonPaths = new Set<string>();
  private readonly jsBreakpointWork = new Map<number, Promise<void>>();

  constructor(private readonly host: PlacementHost) {}

  private engines() {
    return this.host.engines();
  }

  /** Settles once every JS placement on its way has been answered. */
  async placed(): Promise<void> {
    await Promise.all(this.jsBreakpointWork.values());
  }

  /** gdb bound a pending breakpoint: returns whether it is one of the user's. */
  resolved(number: number, line: number | undefined): boolean {
    const bp = this.book.find({ engine: 'native', number });
    if (!bp) return false;
    bp.verified = true;
    bp.message = undefined;
    if (line) bp.line = line;
    this.host.changed(this.result(bp));
    return true;
  }

  async setBreakpoints(path: string, requests: BreakpointRequest[]): Promise<BreakpointResult[]> {
    await Promise.all(this.book.take(path).map((bp) => this.removeAll(bp)));
    const ext = extname(path).toLowerCase();
    const results: BreakpointResult[] = [];
    for (const request of requests) {
      const bp = this.book.create(path, request, { path });
      bp.message ??= breakpointLineProblem(path, request.line);
      if (!bp.message) {
        if (C_EXTENSIONS.has(ext)) await this.placeNative(bp, { path, line: request.line ?? 1 });
        else if (JS_EXTENSIONS.has(ext)) await this.placeJs(bp, path, request.line ?? 1, request.column);
        else if (ext === '.py') bp.verified = true; // sent below, all of the file's at once
        else bp.message = `Polyglot Debug sets breakpoints in C and JavaScript/TypeScript files; ${ext || 'this file'} is neither.`;
      }
      results.push(this.result(bp));
    }
    if (ext === '.py') {
      this.pythonPaths.add(path);
      const placed = this.book.list(path).filter((bp) => !bp.message);
      this.engines().python?.setBreakpoints(path, placed.map((bp) => ({ id: bp.id, line: bp.line ?? 1, condition: bp.condition })));
    }
    return results;
  }

  async setFunctionBreakpoints(requests: { name: string; condition?: string; hitCondition?: string }[]): Promise<BreakpointResult[]> {
    await Promise.all(this.book.take('function').map((bp) => this.removeAll(bp)));
    const results: BreakpointResult[] = [];
    for (const request of requests) {
      const bp = this.book.create('function', request, { functionName: request.name });
      if (!bp.message) await this.placeNative(bp, { function: request.name });
      results.push(this.result(bp));
    }
    return results;
  }

  /** Breakpoints on machine instructions (from the disassembly view): `address` absolute. */
  async setInstructionBreakpoints(requests: { address: bigint; condition?: string; hitCondition?: string }[]): Promise<BreakpointResult[]> {
    await Promise.all(this.book.take('instruction').map((bp) => this.removeAll(bp)));
    const results: BreakpointResult[] = [];
    for (const request of requests) {
      const address = `0x${request.address.toString(16)}`;
      const bp = this.book.create('instruction', request, { address });
      if (!bp.message) await this.placeNative(bp, { address });
      results.push({ ...this.result(bp), instructionReference: address });
    }
    return results;
  }

  /**
   * A library of the user's has loaded and C line breakpoints are still pending: if it holds a
   * function of their source without debug info, they never bind, so say why instead of waiting.
   */
  async explainPendingLines(library: string): Promise<void> {
    const pending = this.book.all().filter((bp) => bp.path && C_EXTENSIONS.has(extname(bp.path).toLowerCase()) && !bp.verified && bp.refs.some((r) => r.engine === 'native'));
    const files = new Map<string, UserBreakpoint[]>();
    for (const bp of pending) files.set(bp.path!, [...(files.get(bp.path!) ?? []), bp]);
    for (const [file, bps] of files) {
      for (const name of cFunctionsDefinedIn(file).slice(0, 8)) {
        const symbol = await this.engines().native!.functionSymbol(name);
        if (!symbol || symbol.library !== library) continue;
        if (symbol.debugInfo) break;
        for (const bp of bps) {
          bp.message = `No debug info in ${basename(library)}: compile it with -g to stop on lines of ${basename(file)} (function breakpoints work without it).`;
          this.host.changed(this.result(bp));
        }
        break;
      }
    }
  }

  private async placeNative(bp: UserBreakpoint, location: NativeBreakpointLocation): Promise<void> {
    try {
      // A line in a library not loaded yet needs its function's name (wantFor): the source is
      // parsed while gdb looks for the line (both take tens of ms, and the program waits on them).
      const [placed] = await Promise.all([
        this.engines().native!.insertBreakpoint(location, { condition: bp.condition }),
        'path' in location ? this.host.entrySnapshots().placements.functionAtLine(location.path, location.line).catch(() => undefined) : undefined,
      ]);
      if (placed.func && !placed.pending) await this.host.entrySnapshots().watch(placed.func, placed.path);
      else if (placed.pending) await this.host.entrySnapshots().wantFor(location);
      bp.refs.push({ engine: 'native', number: placed.number });
      bp.verified = !placed.pending;
      if (placed.line) bp.line = placed.line;
      if (placed.pending) bp.message = 'Pending: the library with this code is not loaded yet.';
    } catch (error) {
      bp.message = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * V8 answers only when the main thread runs JavaScript, so while C holds it a JS breakpoint
   * request is sent and not awaited: the breakpoint is reported set (V8 accepts any URL and line)
   * and corrected by a `breakpoint` event when V8 has answered.
   */
  private async placeJs(bp: UserBreakpoint, path: string, line: number, column?: number): Promise<void> {
    const isTs = /\.[mc]?tsx?$/.test(path);
    const targets = isTs ? (this.engines().maps?.toGenerated(path, line) ?? []) : [{ path, line, column: column ?? 1 }];
    if (targets.length === 0) {
      bp.message = `No compiled JavaScript maps to ${path}:${line}. Build with source maps and check "outFiles".`;
      return;
    }
    bp.verified = true;
    const placements = targets.map(async (target) => {
      const url = pathToFileURL(target.path).href;
      const placed = await this.engines().js!.setBreakpoint({ url, line: target.line, column: isTs ? target.column : column, condition: bp.condition });
      bp.refs.push({ engine: 'js', id: placed.id });
      const first = placed.locations[0];
      const resolvedLine = first ? (isTs ? this.engines().maps?.toOriginal(url, first.line, first.column)?.line : first.line) : undefined;
      return resolvedLine;
    });
    const settled = Promise.allSettled(placements).then((results) => {
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const line = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)).find((l) => l !== undefined);
      const changed = (failed && !bp.message) || (line !== undefined && line !== bp.line);
      if (failed) bp.message = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
      if (line !== undefined) bp.line = line;
      return changed;
    });
    this.jsBreakpointWork.set(bp.id, settled.then(() => undefined));
    if (this.host.v8Answers()) {
      await settled;
    } else {
      void settled.then((changed) => changed && this.host.changed(this.result(bp)));
    }
  }

  private async removeRef(ref: { engine: 'native'; number: number } | { engine: 'js'; id: string }): Promise<void> {
    try {
      if (ref.engine === 'native') await this.engines().native?.deleteBreakpoint(ref.number);
      else if (this.host.v8Answers()) await this.engines().js?.removeBreakpoint(ref.id);
      else void this.engines().js?.removeBreakpoint(ref.id).catch(() => undefined);
    } catch {
      // Already gone with its library or script: nothing to remove.
    }
  }

  /** Removes a breakpoint's engine references once any placement still on its way has landed. */
  private async removeAll(bp: UserBreakpoint): Promise<void> {
    const pending = this.jsBreakpointWork.get(bp.id);
    this.jsBreakpointWork.delete(bp.id);
    const remove = async () => {
      await Promise.all(bp.refs.map((ref) => this.removeRef(ref)));
    };
    if (pending && !(this.host.v8Answers())) void pending.then(remove);
    else {
      await pending;
      await remove();
    }
  }

  result(bp: UserBreakpoint): BreakpointResult {
    return { id: bp.id, verified: bp.verified && !bp.message, line: bp.line, column: bp.column, message: bp.message };
  }
}

/** Names of the functions a C source defines (a definition starts a line: `type name(…) {`). */
function cFunctionsDefinedIn(path: string): string[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const match of text.matchAll(/^[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*\{/gm)) {
    if (!['if', 'for', 'while', 'switch', 'return'].includes(match[1]!)) names.add(match[1]!);
  }
  return [...names];
}
