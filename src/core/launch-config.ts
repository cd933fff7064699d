// The `launch` request of debug type `polyglot`: the one source of truth for its attributes.
// package.json's configurationAttributes are checked against LAUNCH_ATTRIBUTES by a test.

import { existsSync, statSync } from 'node:fs';
import { ErrorCode, userError } from '../engines/common/errors';

export interface LaunchConfig {
  /**
   * The entry: a `.js` file, or a `.ts` file whose compiled output is found through `outFiles` (run
   * by node); a `.py` script (run by `python`); or a native executable (C/C++, ELF).
   */
  program: string;
  args?: string[];
  cwd?: string;
  /** Added to the adapter's environment; `null` removes a variable. */
  env?: Record<string, string | null>;
  /** node; a name is looked up on PATH. */
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  /** The interpreter of a `.py` program; a name is looked up on PATH (default python3). */
  python?: string;
  /** gdb; a name is looked up on PATH. */
  gdbPath?: string;
  stopOnEntry?: boolean;
  sourceMaps?: boolean;
  /** Globs of the compiled JavaScript (with source maps) of a TypeScript program. */
  outFiles?: string[];
  console?: 'internalConsole' | 'integratedTerminal';
  /** Log engine traffic (MI, CDP) to the debug console. */
  trace?: boolean;
  /** Globs of files shown folded in the call stack and never stopped in by a step; `<node_internals>/**` is node's own code. */
  skipFiles?: string[];
  /** Steps end only in user code (default true); see user-code.ts. */
  justMyCode?: boolean;
  /** More folders or files whose C/C++ sources are user code. */
  userCodePaths?: string[];
  /** Let gdb download debug info from debuginfod servers (default false: downloads can block for minutes). */
  debuginfod?: boolean;
}

/** Attribute name → JSON type, for the package.json schema check. */
export const LAUNCH_ATTRIBUTES: Record<keyof LaunchConfig, 'string' | 'array' | 'object' | 'boolean'> = {
  program: 'string',
  args: 'array',
  cwd: 'string',
  env: 'object',
  runtimeExecutable: 'string',
  runtimeArgs: 'array',
  python: 'string',
  gdbPath: 'string',
  stopOnEntry: 'boolean',
  sourceMaps: 'boolean',
  outFiles: 'array',
  console: 'string',
  trace: 'boolean',
  skipFiles: 'array',
  justMyCode: 'boolean',
  userCodePaths: 'array',
  debuginfod: 'boolean',
};

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** What a wrong value is, for the message: "an array", "the number 3", … */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : 'a'} ${String(value)}`;
}

/** Checks the shape of a launch configuration coming from a client; a bad one is a user error naming the attribute. */
export function validateLaunchConfig(raw: Record<string, unknown>): LaunchConfig {
  const bad = (attr: string, want: string) =>
    userError(ErrorCode.InvalidLaunchConfig, `The launch configuration's "${attr}" must be ${want}.`);
  if (typeof raw.program !== 'string' || raw.program === '') throw bad('program', 'the path of the program: a .js/.ts file, a .py script or a native executable');
  for (const [attr, kind] of Object.entries(LAUNCH_ATTRIBUTES)) {
    const value = raw[attr];
    if (value === undefined) continue;
    if (kind === 'array' && !isStringArray(value)) throw bad(attr, `an array of strings; it is ${describe(value)}`);
    if (kind === 'string' && typeof value !== 'string') throw bad(attr, `a string; it is ${describe(value)}`);
    if (kind === 'boolean' && typeof value !== 'boolean') throw bad(attr, `true or false; it is ${describe(value)}`);
    if (kind === 'object') {
      const ok = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => v === null || typeof v === 'string');
      if (!ok) throw bad(attr, `an object of strings (or null to remove a variable), such as { "NAME": "value" }; it is ${describe(value)}`);
    }
  }
  if (typeof raw.cwd === 'string') {
    const cwd = raw.cwd;
    if (!existsSync(cwd)) throw bad('cwd', `an existing directory; ${cwd} does not exist`);
    if (!statSync(cwd).isDirectory()) throw bad('cwd', `a directory; ${cwd} is a file`);
  }
  if (raw.console !== undefined && raw.console !== 'internalConsole' && raw.console !== 'integratedTerminal') {
    throw bad('console', '"internalConsole" or "integratedTerminal"');
  }
  return raw as unknown as LaunchConfig;
}

/** The `attach` request: a running node, C/C++ or Python process, by process id. */
export interface AttachConfig {
  /** The process id (VS Code fills it from `${command:pickProcess}`). */
  processId: number | string;
  /** gdb; a name is looked up on PATH. */
  gdbPath?: string;
  sourceMaps?: boolean;
  /** Globs of the compiled JavaScript (with source maps) of a TypeScript program. */
  outFiles?: string[];
  /** Log engine traffic (MI, CDP) to the debug console. */
  trace?: boolean;
}

export const ATTACH_ATTRIBUTES: Record<keyof AttachConfig, 'string' | 'array' | 'object' | 'boolean' | ['integer', 'string']> = {
  processId: ['integer', 'string'],
  gdbPath: 'string',
  sourceMaps: 'boolean',
  outFiles: 'array',
  trace: 'boolean',
};

/** Checks an attach configuration; a bad one is a user error naming the attribute. */
export function validateAttachConfig(raw: Record<string, unknown>): AttachConfig & { pid: number } {
  const bad = (attr: string, want: string) => userError(ErrorCode.InvalidLaunchConfig, `The attach configuration's "${attr}" must be ${want}.`);
  const id = raw.processId;
  const pid = typeof id === 'number' ? id : typeof id === 'string' && /^\s*\d+\s*$/.test(id) ? Number(id) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) throw bad('processId', 'the id of a running process (a positive integer; "${command:pickProcess}" lets you pick one)');
  for (const [attr, kind] of Object.entries(ATTACH_ATTRIBUTES)) {
    const value = raw[attr];
    if (value === undefined || attr === 'processId') continue;
    if (kind === 'array' && !isStringArray(value)) throw bad(attr, 'an array of strings');
    if (kind === 'string' && typeof value !== 'string') throw bad(attr, 'a string');
    if (kind === 'boolean' && typeof value !== 'boolean') throw bad(attr, 'true or false');
  }
  return { ...(raw as unknown as AttachConfig), pid };
}
