// What counts as the user's own code for "just my code": a step ends only there. C/C++ sources
// under the program's folder, cwd or the paths the user listed (never under node_modules), that
// exist on disk; TS/JS outside node_modules and node's internals. (Python decides in its agent:
// outside the standard library and installed packages.) libc and libpython with debug info have
// line tables but are not user code: a step goes through them.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';

const NODE_MODULES = /[\\/]node_modules[\\/]/;

export class UserCode {
  private readonly roots: string[];
  private readonly known = new Map<string, boolean>();

  /** `enabled` false: every source with a line table is user code (steps go where gdb goes). */
  constructor(roots: readonly string[], readonly enabled = true) {
    this.roots = roots.filter((r) => isAbsolute(r)).map((r) => resolve(r));
  }

  /** Whether a file (a shared library, say) is under the user's folders and not under node_modules. */
  isUserFile(path: string | undefined): boolean {
    if (!path || !isAbsolute(path)) return false;
    const full = resolve(path);
    return this.roots.some((root) => full === root || full.startsWith(root.endsWith(sep) ? root : root + sep)) && !NODE_MODULES.test(full);
  }

  /** Whether a C/C++ source path is the user's: a step may end there. */
  isUserSource(path: string | undefined): boolean {
    if (!path || !isAbsolute(path)) return false;
    const cached = this.known.get(path);
    if (cached !== undefined) return cached;
    const full = resolve(path);
    const underRoot = !this.enabled || this.roots.some((root) => full === root || full.startsWith(root.endsWith(sep) ? root : root + sep));
    const user = underRoot && !(this.enabled && NODE_MODULES.test(full)) && existsSync(full);
    this.known.set(path, user);
    return user;
  }
}

/** Code no user steps into: node's own modules and installed packages (koffi's wrapper among them). */
export function isLibraryScript(url: string): boolean {
  return url.startsWith('node:') || NODE_MODULES.test(url) || url === '';
}
