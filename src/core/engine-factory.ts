// The real engines behind the core's ports: gdb for the process and C, the V8 inspector for JS,
// source maps for TypeScript. The physical stack gets its JS frames' positions resolved here.

import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JsEngine } from '../engines/cdp/js-engine';
import { loadQuickAck } from '../engines/cdp/quick-ack';
import { SourceMaps, urlToPath } from '../engines/cdp/source-maps';
import { GdbEngine, type GdbFrame } from '../engines/gdb/gdb-engine';
import { PythonEngine } from '../engines/python/python-engine';
import { scriptText } from '../engines/gdb/js-positions';
import { enclosingFunctionName } from '../language/enclosing-function';
import type { JsEnginePort, NativeEnginePort, PhysicalFrame, PythonEnginePort, SourceMapPort } from './engine-ports';
import type { EngineFactory } from './mixed-session';

/** A JS frame read from V8's heap (script and line): its TypeScript position names it when V8 has no name. */
async function resolveJsFrame(frame: Extract<GdbFrame, { kind: 'js' }>, maps: SourceMaps): Promise<PhysicalFrame> {
  const path = frame.url ? urlToPath(frame.url) : undefined;
  const { line, column } = frame;
  if (!path || line === undefined || column === undefined) return { kind: 'js', pc: frame.pc, name: frame.name, url: frame.url };
  const url = pathToFileURL(path).href;
  const original = maps.toOriginal(url, line, column);
  const namedIn = original ? { path: original.path, line: original.line, column: original.column } : { path, line, column };
  const namedText = scriptText(namedIn.path);
  const name = frame.name || (namedText ? await enclosingFunctionName(namedIn.path, namedText, namedIn.line, namedIn.column).catch(() => null) : null) || undefined;
  return { kind: 'js', pc: frame.pc, name, url, line, column };
}

class NativeAdapter {
  static wrap(gdb: GdbEngine, maps: () => SourceMaps): NativeEnginePort {
    const raw = gdb.physicalStack.bind(gdb);
    const physicalStack = async (threadId: number, options: { jsNames: boolean }): Promise<PhysicalFrame[]> => {
      const all = await raw(threadId, options);
      // JS frames a notice already speaks for (an unrecognised V8 layout) are not listed one by one.
      const unavailable = new Set(all.map((f) => (f.kind === 'notice' ? f.reason : undefined)));
      const frames = all.filter((f) => !(f.kind === 'js' && f.error && unavailable.has(f.error)));
      return Promise.all(
        frames.map(async (frame): Promise<PhysicalFrame> => {
          if (frame.kind === 'js') return options.jsNames ? resolveJsFrame(frame, maps()) : { kind: 'js', pc: frame.pc };
          if (frame.kind === 'native') {
            // Only sources the user can open count as C frames with a location.
            const usable = frame.path && isAbsolute(frame.path) && existsSync(frame.path);
            return { ...frame, path: usable ? frame.path : undefined, line: usable ? frame.line : undefined };
          }
          return frame;
        }),
      );
    };
    return Object.assign(gdb, { physicalStack }) as unknown as NativeEnginePort;
  }
}

export function createEngineFactory(): EngineFactory {
  const maps = new SourceMaps();
  return {
    async startNative({ gdbPath, log, debuginfod }) {
      return NativeAdapter.wrap(await GdbEngine.start({ gdbPath, log, debuginfod }), () => maps);
    },
    async startPython({ log }): Promise<PythonEnginePort> {
      return PythonEngine.start(log);
    },
    async connectJs(url, { log, program }) {
      const js = await JsEngine.connect(url, { log, quickAck: loadQuickAck(program) });
      js.on('script', (script: { url: string; sourceMapURL?: string }) => {
        const path = urlToPath(script.url);
        if (path && script.sourceMapURL) maps.loadForFile(path, script.sourceMapURL.startsWith('data:') ? script.sourceMapURL : undefined);
      });
      return js as unknown as JsEnginePort;
    },
    async sourceMaps(outFiles): Promise<SourceMapPort> {
      maps.indexOutFiles(outFiles);
      return maps;
    },
  };
}
