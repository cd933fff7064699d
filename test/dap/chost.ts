// The C host example (examples/chost): a native executable embedding Python, launched through the
// shipped adapter with no Node in the session.

import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
// @ts-expect-error: a plain .mjs build script, no types
import { buildCHostExample } from '../../examples/chost/build.mjs';
import { lineOf } from './harness';

export interface CHost {
  root: string;
  program: string;
  pyDir: string;
  cSource: string;
  workSource: string;
  scriptSource: string;
}

let built: CHost | undefined;
export function chost(): CHost {
  built ??= buildCHostExample() as CHost;
  return built;
}

/** `c:@marker`, `work:@marker`, `script:@marker` → a breakpoint at that marker's line. */
export function hostAt(spec: string): { path: string; line: number } {
  const [file, marker] = spec.split(':') as [string, string];
  const ex = chost();
  const path = file === 'c' ? ex.cSource : file === 'work' ? ex.workSource : ex.scriptSource;
  return { path, line: lineOf(path, marker) };
}

export interface HostLaunch {
  filters?: string[];
  env?: Record<string, string>;
  args?: string[];
  stopOnEntry?: boolean;
  trace?: boolean;
  /** More launch attributes (skipFiles, …). */
  launch?: Record<string, unknown>;
}

/** initialize → launch the C host → breakpoints → configurationDone. */
export async function launchCHost(client: DebugClient, breakpoints: string[], options: HostLaunch = {}): Promise<void> {
  const ex = chost();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, number[]>();
    for (const { path, line } of breakpoints.map(hostAt)) byPath.set(path, [...(byPath.get(path) ?? []), line]);
    for (const [path, lines] of byPath) {
      const answer = await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
      // The executable is loaded before the breakpoints come: its C lines bind at once.
      assert.ok(answer.body.breakpoints.every((b) => b.verified), JSON.stringify(answer.body.breakpoints));
    }
    await client.setExceptionBreakpointsRequest({ filters: options.filters ?? ['py-uncaught'] });
    await client.configurationDoneRequest();
  });
  const args = { program: ex.program, args: options.args ?? [ex.pyDir, '3'], cwd: ex.root, env: options.env ?? {}, stopOnEntry: options.stopOnEntry, trace: options.trace, ...options.launch };
  await Promise.all([configured, client.launch(args as never)]);
}
