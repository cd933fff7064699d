// Which module specifiers mean koffi: the package however it is named (`koffi`, `koffi/indirect`,
// a relative path into a checkout such as `../../koffi`), and local modules of the workspace
// that re-export it or hand out what they built with it (a loaded library, prototypes).

import { dirname, extname, join, resolve } from 'node:path';
import { anyChanged, noteReads, readSource, recordingReadsNow, statSource, type FileStamp } from '../files';

/** What a module gives its importers, as far as koffi is concerned. */
export interface KoffiExports {
  /** The module (its `module.exports`, its default export, or `export *`) is koffi itself. */
  readonly whole: boolean;
  /** Named exports that are the koffi module. */
  readonly names: ReadonlySet<string>;
  /** The module uses koffi, so what it exports may be libraries, functions and types. */
  readonly usesKoffi: boolean;
  /**
   * The koffi types it declares (records, by their koffi name or binding) as C declarations: koffi
   * knows types by name process-wide, so an importer may use them in its prototype strings.
   */
  readonly types?: ReadonlyMap<string, string>;
}

/** Answers, for a specifier written in the file being parsed, what it gives; null when nothing koffi. */
export type KoffiModuleResolver = (specifier: string) => KoffiExports | null;

const KOFFI: KoffiExports = { whole: true, names: new Set(), usesKoffi: true };

/** The package's own entry points, as a path inside it may end. */
const ENTRY = /^(?:index|indirect|lib\/[\w./-]+)?(?:\.[cm]?js)?$/;

/** Whether a specifier names the koffi package itself, by its name or a path into a checkout of it. */
export function isKoffiSpecifier(specifier: string): boolean {
  const path = specifier.replace(/^node:/, '').replace(/\\/g, '/');
  if (path === 'koffi' || path.startsWith('koffi/')) return true;
  const segments = path.split('/');
  // The native addon of a build tree: `./build/koffi.node`, `../build/koffi/linux_x64/koffi.node`.
  if ((path.startsWith('.') || path.startsWith('/')) && segments.at(-1) === 'koffi.node') return true;
  const at = segments.lastIndexOf('koffi');
  return at >= 0 && (path.startsWith('.') || path.startsWith('/')) && ENTRY.test(segments.slice(at + 1).join('/'));
}

/** The resolver that knows only the package (for a text without a file around it). */
export const packageOnly: KoffiModuleResolver = (specifier) => (isKoffiSpecifier(specifier) ? KOFFI : null);

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const MAX_MODULE_BYTES = 512 * 1024;

/** The file a relative specifier of `fromFile` loads, as TypeScript and node would look for it. */
export function resolveLocalModule(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return null;
  const base = resolve(dirname(fromFile), specifier);
  const ext = extname(base);
  // `./lib.js` written in TypeScript sources means `./lib.ts`.
  const stem = SOURCE_EXTENSIONS.includes(ext) ? base.slice(0, -ext.length) : base;
  const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => join(base, `index${e}`))];
  for (const candidate of candidates) {
    const stat = statSource(candidate);
    if (stat?.isFile() && stat.size <= MAX_MODULE_BYTES) return candidate;
  }
  return null;
}

/** Whether `dir` holds the koffi package itself (its package.json names it). */
function isKoffiPackageDir(dir: string): boolean {
  const manifest = statSource(join(dir, 'package.json'))?.isFile() ? readSource(join(dir, 'package.json')) : null;
  if (manifest === null) return false;
  try {
    return (JSON.parse(manifest) as { name?: unknown }).name === 'koffi';
  } catch {
    return false;
  }
}

/** Reads what a local module exports; the parser supplies `analyse` (it owns tree-sitter). */
export type ModuleAnalyser = (path: string, text: string, resolver: KoffiModuleResolver) => KoffiExports;

/**
 * A resolver for a file on disk: the package by name, and local modules by reading them (and
 * what they import, up to `depth` modules deep, each read once).
 */
/**
 * What each local module gave, kept across files (a workspace check reads each module once, not
 * once per importer), with the files its reading looked at: a change to any of them reads it again.
 */
const analysed = new Map<string, { readonly stamps: readonly FileStamp[]; readonly exports: KoffiExports | null }>();

export function workspaceResolver(fileName: string, analyse: ModuleAnalyser, depth = 4, seen = new Map<string, KoffiExports | null>()): KoffiModuleResolver {
  return (specifier) => {
    if (isKoffiSpecifier(specifier)) return KOFFI;
    // `require('..')` from koffi's own test folder: a path to a folder that is the koffi package.
    if ((specifier.startsWith('.') || specifier.startsWith('/')) && isKoffiPackageDir(resolve(dirname(fileName), specifier))) return KOFFI;
    if (depth <= 0) return null;
    const path = resolveLocalModule(fileName, specifier);
    if (path === null) return null;
    if (seen.has(path)) return seen.get(path) ?? null;
    const kept = analysed.get(path);
    if (kept && !anyChanged(kept.stamps)) {
      noteReads(kept.stamps);
      seen.set(path, kept.exports);
      return kept.exports;
    }
    seen.set(path, null); // a cycle of imports reads as "nothing koffi" rather than forever
    const { result: useful, reads } = recordingReadsNow(() => {
      const text = readSource(path);
      if (text === null) return null;
      const exports = analyse(path, text, workspaceResolver(path, analyse, depth - 1, seen));
      return exports.whole || exports.names.size > 0 || exports.usesKoffi ? exports : null;
    });
    if (analysed.size > 2000) analysed.clear();
    analysed.set(path, { stamps: reads, exports: useful });
    seen.set(path, useful);
    return useful;
  };
}
