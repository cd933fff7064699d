// How each target × compiler run is compiled, linked and executed. Compilers are spawned with
// argument arrays (never a shell). A missing tool fails with the Debian package to install.

import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from './emit';
import { type CompilerId, type Profile, type TargetId, profileFor } from './generate';

export const RUNTIME_DIR = fileURLToPath(new URL('./runtime/', import.meta.url));

export type ForeignFlavor = 'win64-msvc-clang' | 'win64-mingw-gcc' | 'apple-arm64-clang';

export interface RunConfig {
  /** e.g. `x86_64-win64/clang (ms_abi)`; unique. */
  name: string;
  target: TargetId;
  compiler: CompilerId;
  arch: Arch;
  profile: Profile;
  /** Attribute on the stub's prototypes in callers.c (native Win64: ms_abi). */
  stubAttr: string;
  /** How the callers' object is produced: a native compiler command, or foreign.ts. */
  callers: { kind: 'native'; argv: string[] } | { kind: 'foreign'; flavor: ForeignFlavor };
  /** Host compiler for the runtime, the tables and the link. */
  hostCc: string;
  linkFlags: string[];
  /** Prefix to run the probe executable (qemu for aarch64). */
  runner: string[];
  tools: [command: string, debianPackage: string][];
}

const QEMU: string[] = ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu'];
const OPT = ['-O1', '-w', '-fno-stack-protector'];

function native(target: TargetId, compiler: CompilerId, argv: string[], msAbi = false): RunConfig {
  const arch: Arch = target.startsWith('x86_64') ? 'x86_64' : 'aarch64';
  const cross = arch === 'aarch64';
  const tools: [string, string][] = [[argv[0] as string, argv[0] === 'clang' ? 'clang' : cross ? 'gcc-aarch64-linux-gnu' : 'gcc']];
  if (cross) tools.push(['aarch64-linux-gnu-gcc', 'gcc-aarch64-linux-gnu'], ['qemu-aarch64', 'qemu-user']);
  else tools.push(['gcc', 'gcc']);
  return {
    name: `${target}/${compiler}${msAbi ? ' (ms_abi)' : ''}`,
    target,
    compiler,
    arch,
    profile: profileFor(target, compiler, msAbi),
    stubAttr: msAbi ? '__attribute__((ms_abi))' : '',
    callers: { kind: 'native', argv: [...argv, ...OPT] },
    hostCc: cross ? 'aarch64-linux-gnu-gcc' : 'gcc',
    linkFlags: cross ? ['-static'] : [],
    runner: cross ? QEMU : [],
    tools,
  };
}

function foreign(target: TargetId, compiler: CompilerId, flavor: ForeignFlavor): RunConfig {
  const arch: Arch = flavor === 'apple-arm64-clang' ? 'aarch64' : 'x86_64';
  // What foreign.ts spawns: the foreign compile, llvm-objdump/llvm-nm for its byte-for-byte check.
  const tools: [string, string][] = [['clang', 'clang'], ['llvm-objdump', 'llvm'], ['llvm-nm', 'llvm']];
  if (flavor === 'win64-mingw-gcc') tools.push(['x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64'], ['x86_64-w64-mingw32-as', 'binutils-mingw-w64-x86-64']);
  if (arch === 'aarch64') tools.push(['aarch64-linux-gnu-gcc', 'gcc-aarch64-linux-gnu'], ['qemu-aarch64', 'qemu-user']);
  else tools.push(['gcc', 'gcc']);
  return {
    name: `${target}/${compiler} (${flavor})`,
    target,
    compiler,
    arch,
    profile: profileFor(target, compiler),
    stubAttr: '',
    callers: { kind: 'foreign', flavor },
    hostCc: arch === 'aarch64' ? 'aarch64-linux-gnu-gcc' : 'gcc',
    linkFlags: arch === 'aarch64' ? ['-static'] : [],
    runner: arch === 'aarch64' ? QEMU : [],
    tools,
  };
}

export const RUN_CONFIGS: RunConfig[] = [
  native('x86_64-sysv', 'gcc', ['gcc']),
  native('x86_64-sysv', 'clang', ['clang']),
  native('x86_64-win64', 'gcc', ['gcc'], true),
  native('x86_64-win64', 'clang', ['clang'], true),
  foreign('x86_64-win64', 'clang', 'win64-msvc-clang'),
  foreign('x86_64-win64', 'gcc', 'win64-mingw-gcc'),
  native('aarch64-aapcs64', 'gcc', ['aarch64-linux-gnu-gcc']),
  native('aarch64-aapcs64', 'clang', ['clang', '--target=aarch64-linux-gnu']),
  foreign('arm64-apple', 'clang', 'apple-arm64-clang'),
];

export function runConfig(name: string): RunConfig {
  const c = RUN_CONFIGS.find((r) => r.name === name);
  if (!c) throw new Error(`no probe run "${name}"; known: ${RUN_CONFIGS.map((r) => r.name).join(', ')}`);
  return c;
}

function onPath(command: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

/** Null when everything is there, else a message naming the Debian packages to install. */
export function missingTools(config: RunConfig): string | null {
  const missing = config.tools.filter(([cmd]) => !onPath(cmd));
  if (config.runner.length && !existsSync('/usr/aarch64-linux-gnu/lib/libc.a')) missing.push(['/usr/aarch64-linux-gnu/lib/libc.a', 'libc6-dev-arm64-cross']);
  if (missing.length === 0) return null;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  return `${config.name}: missing ${missing.map(([c]) => c).join(', ')} — install the Debian package(s): apt-get install ${pkgs.join(' ')}`;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a program (argument array, no shell); resolves even on failure. */
export function run(argv: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd as string, args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stdout, stderr: stderr || (e && !stderr ? e.message : '') });
    });
  });
}

/** Like run, but throws with the command and its stderr when it fails. */
export async function mustRun(argv: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.signal ?? r.code}):\n${r.stderr.slice(0, 4000)}`);
  return r.stdout;
}
