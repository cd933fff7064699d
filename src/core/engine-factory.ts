// The real engines behind the core's ports: gdb for the process and C, the V8 inspector for JS,
// source maps for TypeScript. The physical stack gets its JS frames' positions resolved here.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JsEngine } from '../engines/cdp/js-engine';
import { loadQuickAck } from '../engines/cdp/quick-ack';
import { SourceMaps, urlToPath } from '../engines/cdp/source-maps';
import { GdbEngine, type GdbFrame } from '../engines/gdb/gdb-engine';
import { enclosingFunctionName } from '../language/enclosing-function';
import type { JsEnginePort, NativeEnginePort, PhysicalFrame, SourceMapPort } from './engine-ports';
import type { EngineFactory } from './mixed-session';

const texts = new Map<string, { mtimeMs: number; text: string }>();

function fileText(path: string): string | undefined {
  try {
    const { mtimeMs } = statSync(path);
    const hit = texts.get(path);
    if (hit?.mtimeMs === mtimeMs) return hit.text;
    const text = readFileSync(path, 'utf8');
    texts.set(path, { mtimeMs, text });
    return text;
  } catch {
    return undefined;
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** A JS frame read from V8's heap: script path and offset → generated line, TS position, name. */
async function resolveJsFrame(frame: Extract<GdbFrame, { kind: 'js' }> & { offset?: number }, maps: SourceMaps): Promise<PhysicalFrame> {
  const path = frame.url ? urlToPath(frame.url) : undefined;
  const text = path ? fileText(path) : undefined;
  if (!path || !text || frame.offset === undefined) return { kind: 'js', pc: frame.pc, name: frame.name, url: frame.url };
  const { line, column } = lineAndColumn(text, frame.offset);
  const url = pathToFileURL(path).href;
  const original = maps.toOriginal(url, line, column);
  const namedIn = original ? { path: original.path, line: original.line, column: original.column } : { path, line, column };
  const namedText = fileText(namedIn.path);
  const name = frame.name || (namedText ? await enclosingFunctionName(namedIn.path, namedText, namedIn.line, namedIn.column).catch(() => null) : null) || undefined;
  return { kind: 'js', pc: frame.pc, name, url, line, column };
}

class NativeAdapter {
  static wrap(gdb: GdbEngine, maps: () => SourceMaps): NativeEnginePort {
    const raw = gdb.physicalStack.bind(gdb);
    const physicalStack = async (threadId: number, options: { jsNames: boolean }): Promise<PhysicalFrame[]> => {
      const frames = await raw(threadId, options);
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
    async startNative({ gdbPath, log }) {
      return NativeAdapter.wrap(await GdbEngine.start({ gdbPath, log }), () => maps);
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
