// "Uncaught Exceptions" for JavaScript that C called. V8 counts an exception thrown in a koffi
// callback as caught — node's N-API call into the callback holds a handler for it — so with V8's
// own "uncaught" mode the debugger hears of it only once koffi has carried it back through C and
// thrown it again at the TypeScript call site, with the callback and the C frames gone. Once koffi
// is loaded, V8 is asked to pause on every exception instead, and the ones it calls caught are
// judged here: an exception that no `try … catch` of the program's JavaScript will catch (on the
// whole stack: koffi throws it on below the C frames) and that leaves JavaScript for C is reported
// where it is thrown, as VS Code's JavaScript debugger reports an uncaught exception. Koffi's
// throw of the same exception at the call site is then not reported a second time.

import { scriptText } from '../engines/gdb/js-positions';
import { catchesAt } from '../language/enclosing-function';
import type { JsCallFrame, JsPause, PhysicalFrame } from './engine-ports';
import { stitchJsStop, urlToPath, type MapToOriginal } from './stitch';

export type JsExceptionMode = 'none' | 'uncaught' | 'all';

export interface JsExceptionDeps {
  koffiLoaded(): boolean;
  toOriginal: MapToOriginal;
  /** Whether some caller frame is on a line that calls C through koffi (cheap; parsing only). */
  callerSitsOnFfiCall(live: readonly JsCallFrame[]): Promise<boolean>;
  /** The physical stack, read while gdb holds the thread for a moment; undefined when it cannot. */
  physicalWalk(): Promise<PhysicalFrame[] | undefined>;
}

export type Verdict = { report: false } | { report: true; description: string };

/** Scripts whose own try/catch does not count as the program catching (node's internals, packages). */
const isLibrary = (url: string) => url === '' || url.startsWith('node:') || /[\\/]node_modules[\\/]/.test(url);

export class JsExceptionFilter {
  mode: JsExceptionMode = 'none';
  /** Exceptions reported on their way out to C: koffi's throw of each at the call site is the same one. */
  private readonly reportedLeaving = new Set<string>();

  constructor(private readonly deps: JsExceptionDeps) {}

  /** What V8 is asked for. */
  v8Mode(): JsExceptionMode {
    return this.mode === 'uncaught' && this.deps.koffiLoaded() ? 'all' : this.mode;
  }

  async decide(pause: JsPause): Promise<Verdict> {
    const key = pause.exceptionText ?? '';
    if (this.mode === 'all') return { report: true, description: 'Exception' };
    if (pause.uncaught !== false) {
      if (this.reportedLeaving.delete(key)) return { report: false };
      return { report: true, description: 'Uncaught exception' };
    }
    if (this.mode !== 'uncaught' || !(await this.leavesJavaScriptUncaught(pause.callFrames))) return { report: false };
    this.reportedLeaving.add(key);
    return { report: true, description: 'Uncaught exception (thrown in JavaScript that C called)' };
  }

  private async leavesJavaScriptUncaught(live: readonly JsCallFrame[]): Promise<boolean> {
    if (!this.deps.koffiLoaded() || !(await this.deps.callerSitsOnFfiCall(live))) return false;
    for (const frame of live) {
      if (isLibrary(frame.url)) continue;
      const original = this.deps.toOriginal(frame.url, frame.line, frame.column);
      const path = original?.path ?? urlToPath(frame.url);
      const text = path ? scriptText(path) : undefined;
      if (!path || text === undefined) continue;
      if (await catchesAt(path, text, original?.line ?? frame.line, original?.column ?? frame.column)) return false;
    }
    const physical = await this.deps.physicalWalk();
    if (!physical) return false;
    return stitchJsStop(live, physical, this.deps.toOriginal).some((item) => item.kind === 'label' && item.boundary === 'c-to-js');
  }
}
