// TypeScript ↔ compiled JavaScript through source maps: the compiled output named by `outFiles`
// is indexed up front, so a breakpoint in a .ts file can be placed before its script loads; maps
// of scripts found later (inline data: URLs too) are added as V8 reports them.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, TraceMap, generatedPositionFor, originalPositionFor } from '@jridgewell/trace-mapping';

export interface MappedPosition {
  path: string;
  /** 1-based. */
  line: number;
  column: number;
}

const MAP_COMMENT = /\/\/[#@] sourceMappingURL=(\S+)\s*$/;

export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (isAbsolute(url)) return url;
  return undefined;
}

/** Files matching a glob like `/abs/out/**\/*.js` (`!` globs exclude; node_modules never walked). */
function expandGlob(glob: string): string[] {
  const star = glob.search(/[*?[{]/);
  const root = star < 0 ? glob : dirname(glob.slice(0, star) + 'x');
  const pattern = new RegExp(
    '^' +
      glob
        .replace(/[.+^$()|\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*\*/g, '.*')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '(?:.*/)?') +
      '$',
  );
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return pattern.test(root) ? [root] : [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 12) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (pattern.test(path)) found.push(path);
    }
  };
  walk(root, 0);
  return found;
}

export class SourceMaps {
  /** generated .js path → its map */
  private readonly byGenerated = new Map<string, TraceMap>();
  /** original source path → generated .js paths that map to it */
  private readonly byOriginal = new Map<string, Set<string>>();

  indexOutFiles(globs: readonly string[]): void {
    const excluded = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    const excludedFiles = new Set(excluded.flatMap(expandGlob));
    for (const glob of globs.filter((g) => !g.startsWith('!'))) {
      for (const file of expandGlob(glob)) {
        if (file.endsWith('.js') || file.endsWith('.cjs') || file.endsWith('.mjs')) {
          if (!excludedFiles.has(file)) this.loadForFile(file);
        }
      }
    }
  }

  /** Reads the map a compiled file names in its last line (a file next to it, or a data: URL). */
  loadForFile(file: string, sourceMapUrl?: string): void {
    if (this.byGenerated.has(file)) return;
    let url = sourceMapUrl;
    if (!url) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return;
      }
      url = MAP_COMMENT.exec(text.slice(-4096))?.[1];
    }
    if (!url) return;
    try {
      let json: string;
      let mapUrl: string;
      if (url.startsWith('data:')) {
        const comma = url.indexOf(',');
        const payload = url.slice(comma + 1);
        json = url.slice(0, comma).endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
        mapUrl = pathToFileURL(file).href;
      } else {
        const mapPath = url.startsWith('file://') ? fileURLToPath(url) : resolve(dirname(file), url);
        json = readFileSync(mapPath, 'utf8');
        mapUrl = pathToFileURL(mapPath).href;
      }
      const map = new TraceMap(json, mapUrl);
      this.byGenerated.set(file, map);
      for (const source of map.resolvedSources) {
        const path = urlToPath(source);
        if (!path) continue;
        const set = this.byOriginal.get(path) ?? new Set<string>();
        set.add(file);
        this.byOriginal.set(path, set);
      }
    } catch {
      // A broken or missing map leaves the file debuggable as JavaScript.
    }
  }

  toOriginal(url: string, line: number, column: number): MappedPosition | undefined {
    const path = urlToPath(url);
    const map = path ? this.byGenerated.get(path) : undefined;
    if (!map) return undefined;
    for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
      const original = originalPositionFor(map, { line, column: Math.max(0, column - 1), bias });
      if (original.source && original.line !== null) {
        const sourcePath = urlToPath(original.source);
        if (sourcePath) return { path: sourcePath, line: original.line, column: (original.column ?? 0) + 1 };
      }
    }
    return undefined;
  }

  /** Where 1-based `line` of an original source runs in compiled code (the first mapped column of the line, or of the next lines). */
  toGenerated(path: string, line: number): MappedPosition[] {
    const out: MappedPosition[] = [];
    for (const file of this.byOriginal.get(path) ?? []) {
      const map = this.byGenerated.get(file)!;
      const source = map.resolvedSources.find((s) => urlToPath(s) === path);
      if (!source) continue;
      for (let candidate = line; candidate < line + 8; candidate++) {
        const generated = generatedPositionFor(map, { source, line: candidate, column: 0, bias: LEAST_UPPER_BOUND });
        if (generated.line !== null) {
          out.push({ path: file, line: generated.line, column: generated.column + 1 });
          break;
        }
      }
    }
    return out;
  }
}
