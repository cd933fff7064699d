// The `skipFiles` launch option, as VS Code's JavaScript debugger has it: globs of files whose
// frames are shown greyed and folded in the CALL STACK and in which a step never stops.
// `<node_internals>/**` names node's own modules (script URLs `node:internal/…`, `node:fs`).
// A glob starting with `!` takes files back out. Pure, for tests.

import type { StackItem } from './stitch';

export const NODE_INTERNALS = '<node_internals>';
export const DEFAULT_SKIP_FILES: readonly string[] = [`${NODE_INTERNALS}/**`];

/** `node:internal/modules/cjs/loader` → `<node_internals>/internal/modules/cjs/loader`; other URLs → undefined. */
export function nodeInternalsPath(url: string | undefined): string | undefined {
  if (!url?.startsWith('node:')) return undefined;
  return `${NODE_INTERNALS}/${url.slice('node:'.length)}`;
}

/** Glob → regular expression source over a whole path: `**` any depth, `*` and `?` within one name. */
export function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return `^${out}$`;
}

interface Rule {
  test: RegExp;
  include: boolean;
  glob: string;
}

export class SkipFiles {
  private readonly rules: Rule[];

  constructor(readonly globs: readonly string[] = DEFAULT_SKIP_FILES) {
    this.rules = globs.map((glob) => {
      const include = !glob.startsWith('!');
      const body = include ? glob : glob.slice(1);
      return { test: new RegExp(globToRegExpSource(body.replace(/\\/g, '/'))), include, glob };
    });
  }

  /** A file path, or a script URL (`node:…`, `file://…`); the last matching glob decides. */
  skips(pathOrUrl: string | undefined): boolean {
    if (!pathOrUrl) return false;
    const path = nodeInternalsPath(pathOrUrl) ?? (pathOrUrl.startsWith('file://') ? decodeURIComponent(new URL(pathOrUrl).pathname) : pathOrUrl);
    let skipped = false;
    for (const rule of this.rules) if (rule.test.test(path)) skipped = rule.include;
    return skipped;
  }

  /**
   * The same globs as V8 blackbox patterns (regular expressions over script URLs), so V8's own
   * steps go through skipped scripts. Negated globs cannot be expressed as patterns: with any of
   * them, only the node internals are given to V8 and the rest is left to the stop-time check.
   */
  v8BlackboxPatterns(): string[] {
    const negated = this.rules.some((r) => !r.include);
    const patterns: string[] = [];
    for (const rule of this.rules) {
      if (!rule.include) continue;
      const body = rule.glob.replace(/\\/g, '/');
      if (body.startsWith(`${NODE_INTERNALS}/`)) {
        patterns.push(`^node:${globToRegExpSource(body.slice(NODE_INTERNALS.length + 1)).slice(1)}`);
      } else if (!negated) {
        // file URLs: the path part, percent-encoding aside (rare in source paths).
        patterns.push(`^file://${globToRegExpSource(body).slice(1)}`);
      }
    }
    return patterns;
  }
}

/** Marks the frames whose file the globs skip: the CALL STACK greys and folds them. */
export function markSkipped(items: StackItem[], skip: SkipFiles): StackItem[] {
  return items.map((item) => {
    if (item.kind === 'label' || item.kind === 'note') return item;
    const where = item.kind === 'js' ? (item.path ?? item.url) : item.path;
    return skip.skips(where) ? { ...item, skipped: true } : item;
  });
}
