// Programs started on their own, for the attach tests (each runs on as a service until killed),
// and the attach request with breakpoints set before configurationDone.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';

export interface Service {
  pid: number;
  child: ChildProcess;
  output: () => string;
  /** Resolves when the output matches `pattern` (after `from` characters). */
  waitFor: (pattern: RegExp, from?: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startService(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; ready: RegExp }): Promise<Service> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (pattern: RegExp, from = 0, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(text.slice(from))) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no ${pattern} in the service's output within ${timeoutMs} ms: ${text.slice(-500)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  await waitFor(options.ready);
  return {
    pid: child.pid!,
    child,
    output: () => text,
    waitFor,
    stop: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await gone;
    },
  };
}

/** The pid tracing `pid` (0: none), from /proc. */
export function tracerOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
}

/** initialize → attach → breakpoints (all must bind) → configurationDone. */
export async function attachWith(client: DebugClient, pid: number, breakpoints: { path: string; line: number }[], extra: Record<string, unknown> = {}): Promise<void> {
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, number[]>();
    for (const { path, line } of breakpoints) byPath.set(path, [...(byPath.get(path) ?? []), line]);
    for (const [path, lines] of byPath) {
      const answer = await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
      assert.ok(answer.body.breakpoints.every((b) => b.verified), JSON.stringify(answer.body.breakpoints));
    }
    await client.configurationDoneRequest();
  });
  await Promise.all([configured, client.attachRequest({ processId: String(pid), ...extra } as never)]);
}
