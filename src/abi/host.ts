// The target that matches the machine we run on, for the `host` setting.

import type { TargetId } from './model';

/** Maps Node's `process.platform`/`process.arch` to a target; null where we model none. */
export function hostTarget(platform: string, arch: string): TargetId | null {
  if (arch === 'x64') return platform === 'win32' ? 'x86_64-win64' : 'x86_64-sysv';
  if (arch === 'arm64') return platform === 'darwin' ? 'arm64-apple' : platform === 'win32' ? null : 'aarch64-aapcs64';
  return null;
}
