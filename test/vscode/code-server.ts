// A real VS Code for tests: code-server (VS Code's server and web workbench) with the workbench
// rendered by headless chromium. Extension tests use the contract of @vscode/test-electron — an
// extension development path plus a tests module whose `run()` the extension host awaits — and run
// in code-server's server-side (node) extension host, the one a desktop VS Code would also use.
// Installed by `.ci/setup-vscode` into .tools/.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tools = process.env.POLYGLOT_TOOLS ?? join(root, '.tools');
const codeServerBin = join(tools, 'code-server', 'node_modules', '.bin', 'code-server');
const node24Bin = join(tools, 'node24', 'bin');
const chromiumBin = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why a real VS Code cannot run here, or undefined when it can. */
export function missingVsCode(): string | undefined {
  if (!existsSync(codeServerBin)) return `code-server is not installed in ${tools}: run \`bash .ci/setup-vscode\``;
  if (!existsSync(chromiumBin)) return `${chromiumBin} is missing: run \`bash .ci/setup-vscode\` (Debian package chromium)`;
  return undefined;
}

export interface Workbench {
  page: Page;
  port: number;
  /** The extension host's console (test reporters included), and code-server's own log. */
  log: string[];
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  folder: string;
  /** Extension folders loaded as in "Run Extension" (F5 in an extension project). */
  developmentPaths?: string[];
  /** A module whose `run()` the extension host awaits; its outcome reaches `exited`. */
  testsPath?: string;
  /** Passed on to code-server and so to the extension host. */
  env?: Record<string, string>;
  /** User settings on top of those that keep an offline workbench quiet. */
  settings?: Record<string, unknown>;
  /**
   * Where screenshots go: the extension host asks for one by logging `polyglot-screenshot:NAME`
   * (and waiting a moment), which takes a picture of the workbench as NAME.png.
   */
  screenshotsDir?: string;
  /** Packages installed with `code-server --install-extension` before the workbench starts. */
  vsixFiles?: string[];
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'security.workspace.trust.enabled': false,
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Every descendant of `pid`, read from /proc: code-server's children outlive it for a moment. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we read
    }
  }
  const all: number[] = [];
  const visit = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      all.push(child);
      visit(child);
    }
  };
  visit(pid);
  return all;
}

async function stopTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const pids = [child.pid, ...descendants(child.pid)];
  const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);
  child.kill('SIGTERM');
  for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** code-server's own environment: node 24 first, its files kept inside `scratch`. */
function codeServerEnv(scratch: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PATH: `${node24Bin}:${process.env.PATH ?? ''}`, TMPDIR: join(scratch, 'tmp') };
  for (const name of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME']) childEnv[name] = join(scratch, name.toLowerCase());
  delete childEnv.ELECTRON_RUN_AS_NODE;
  delete childEnv.VSCODE_IPC_HOOK_CLI;
  mkdirSync(childEnv.TMPDIR!, { recursive: true });
  return childEnv;
}

function installVsix(scratch: string, vsix: string): void {
  const result = spawnSync(codeServerBin, ['--extensions-dir', join(scratch, 'extensions'), '--install-extension', vsix], {
    env: codeServerEnv(scratch, {}), encoding: 'utf8', timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${result.stdout}${result.stderr}`);
}

function startCodeServer(scratch: string, port: number, env: Record<string, string>, log: string[]): Promise<ChildProcess> {
  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  // code-server writes its config, logs and sockets under XDG_* and TMPDIR unless told otherwise
  const childEnv = codeServerEnv(scratch, env);
  const args = [
    '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened',
    // A built workbench honours extensionDevelopmentPath/extensionTestsPath only with this.
    '--vscode-option', 'enable-smoke-test-driver',
    '--user-data-dir', userData, '--extensions-dir', join(scratch, 'extensions'),
  ];
  const child = spawn(codeServerBin, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60 s:\n${log.join('')}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      log.push(text);
      if (process.env.POLYGLOT_VSCODE_VERBOSE) process.stderr.write(text);
      if (text.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => reject(new Error(`cannot start ${codeServerBin}: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${log.join('')}`)));
  });
}

/**
 * Opens `folder` in a real workbench. With `testsPath`, `exited` settles with the exit code the
 * tests module reports (0 when `run()` resolved).
 */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench & { exited: Promise<number> }> {
  const missing = missingVsCode();
  if (missing) throw new Error(missing);
  const scratch = mkdtempSync(join(tmpdir(), 'polyglot-vscode-'));
  const log: string[] = [];
  const port = await freePort();
  mkdirSync(join(scratch, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(scratch, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }));
  for (const vsix of options.vsixFiles ?? []) installVsix(scratch, vsix);
  const server = await startCodeServer(scratch, port, options.env ?? {}, log);
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await stopTree(server);
    rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  try {
    context = await chromium.launchPersistentContext(join(scratch, 'chromium'), {
      executablePath: chromiumBin,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    // Only the local workbench: the marketplace and other hosts are unreachable and slow to fail.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
      if (process.env.POLYGLOT_VSCODE_VERBOSE) process.stderr.write(`blocked ${route.request().url()}\n`);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(args ?? []));
      if (/ENOTFOUND|open-vsx\.org/.test(line)) return; // offline marketplace look-ups
      const shot = /^polyglot-screenshot:([\w-]+)$/.exec(line.trim());
      if (shot && options.screenshotsDir) {
        mkdirSync(options.screenshotsDir, { recursive: true });
        void page.screenshot({ path: join(options.screenshotsDir, `${shot[1]}.png`) }).catch(() => undefined);
        return;
      }
      log.push(`[${type}] ${line}\n`);
      if (process.env.POLYGLOT_VSCODE_VERBOSE) process.stderr.write(`${line}\n`);
    });
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload: [string, string][] = [['skipWelcome', 'true']];
    for (const path of options.developmentPaths ?? []) payload.push(['extensionDevelopmentPath', remote(path)]);
    if (options.testsPath) payload.push(['extensionTestsPath', remote(options.testsPath)]);
    const query = new URLSearchParams({ folder: options.folder, payload: JSON.stringify(payload) });
    await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`);
    return { page, port, log, close, exited };
  } catch (error) {
    await close();
    throw error;
  }
}
