// Finding the programs we start, without a shell: a bare name is looked up on PATH here, so a
// missing tool is reported with the exact install command instead of a spawn failure.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ErrorCode, userError } from '../engines/common/errors';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `command` (a path, or a name looked up on `pathVariable`), or null. */
export function findExecutable(command: string, cwd: string, pathVariable = process.env.PATH ?? ''): string | null {
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(path) ? path : null;
  }
  for (const dir of pathVariable.split(delimiter)) {
    if (dir && isExecutableFile(join(dir, command))) return join(dir, command);
  }
  return null;
}

export function requireNode(runtimeExecutable: string | undefined, cwd: string): string {
  const wanted = runtimeExecutable ?? 'node';
  const found = findExecutable(wanted, cwd);
  if (!found) {
    throw userError(
      ErrorCode.RuntimeNotFound,
      `Node.js ("${wanted}") was not found${runtimeExecutable ? '' : ' on PATH'}. Install it (e.g. \`sudo apt-get install nodejs\`) or set "runtimeExecutable" in the launch configuration.`,
    );
  }
  return found;
}

export function requireGdb(gdbPath: string | undefined, cwd: string): string {
  const wanted = gdbPath ?? 'gdb';
  const found = findExecutable(wanted, cwd);
  if (!found) {
    throw userError(
      ErrorCode.GdbNotFound,
      `gdb ("${wanted}") was not found${gdbPath ? '' : ' on PATH'}. Install it with \`sudo apt-get install gdb\` or set "gdbPath" in the launch configuration.`,
    );
  }
  return found;
}
