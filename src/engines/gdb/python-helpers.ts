// Where our gdb Python helpers are at run time: dist/gdb-python beside the bundle (copied by
// .ci/copy-assets.mjs), or ./python beside this file when running from sources (tests via tsx).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, userError } from '../common/errors';

export const MAIN_HELPER = 'polyglot_gdb.py';

export function gdbPythonDir(): string {
  const candidates = [join(__dirname, 'gdb-python'), join(__dirname, 'python'), join(__dirname, '..', 'dist', 'gdb-python')];
  const found = candidates.find((dir) => existsSync(join(dir, MAIN_HELPER)));
  if (!found) {
    throw userError(ErrorCode.Internal, `Polyglot Debug is incomplete: its gdb helpers (${MAIN_HELPER}) are missing (looked in ${candidates.join(', ')}).`);
  }
  return found;
}
