// Shared by the gdb engine tests: fixtures compiled into a private temp dir, lines found by markers,
// and waiting for an engine event with a deadline (a test never hangs on a missing event).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { GdbEngine, GdbStop } from '../../../src/engines/gdb/gdb-engine';
import { debuggeeNode } from '../../debuggee-node';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The 1-based line holding `// @marker` in a fixture. */
export function markerLine(file: string, marker: string): number {
  const lines = readFileSync(fixture(file), 'utf8').split('\n');
  const index = lines.findIndex((line) => new RegExp(`// ${marker}(\\s|$)`).test(line));
  if (index < 0) throw new Error(`marker ${marker} not found in ${file}`);
  return index + 1;
}

export interface BuiltFixtures {
  dir: string;
  native: string;
  plugin: string;
  bridge: string;
  remove(): void;
}

/** gcc -g -O0 of the C fixtures into a fresh temp dir. */
export function buildFixtures(): BuiltFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-gdb-test-'));
  const out = { dir, native: join(dir, 'native'), plugin: join(dir, 'plugin.so'), bridge: join(dir, 'libbridge.so') };
  execFileSync('gcc', ['-g', '-O0', '-o', out.native, fixture('native.c'), '-ldl']);
  execFileSync('gcc', ['-g', '-O0', '-shared', '-fPIC', '-o', out.plugin, fixture('plugin.c')]);
  execFileSync('gcc', ['-g', '-O0', '-shared', '-fPIC', '-o', out.bridge, fixture('bridge.c')]);
  return { ...out, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Launches the koffi bridge and waits until its main thread stops in inner() (JS → C (outer) → JS
 * callback → C (inner)); the breakpoint that stopped it is gone again. Resolves with the thread.
 */
export async function stopInInner(engine: GdbEngine, built: BuiltFixtures): Promise<number> {
  const bp = await engine.insertBreakpoint({ function: 'inner' });
  const hit = nextEvent<GdbStop>(engine, 'stopped', () => true, 20_000);
  await launchKoffiBridge(engine, built);
  const { threadId } = await hit;
  await engine.deleteBreakpoint(bp.number);
  return threadId;
}

/** The next `event` whose payload passes `accept`, or a rejection after `ms`. */
export function nextEvent<T>(emitter: EventEmitter, event: string, accept: (value: T) => boolean = () => true, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' event within ${ms} ms`));
    }, ms);
    const listener = (value: T): void => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/** Collects the text of 'output' events. */
export function collectOutput(emitter: EventEmitter): { text: () => string } {
  let text = '';
  emitter.on('output', (chunk: string) => (text += chunk));
  return { text: () => text };
}

/** Runs koffi-app.js: JS → C outer() → JS callback → C inner(). */
export function launchKoffiBridge(engine: GdbEngine, built: BuiltFixtures): Promise<{ pid: number }> {
  return engine.launch({
    program: debuggeeNode,
    args: [fixture('koffi-app.js'), built.bridge],
    cwd: built.dir,
    env: { POLYGLOT_KOFFI: require.resolve('koffi') },
  });
}
