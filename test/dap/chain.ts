// The three-language example (examples/chain): TS → C → embedded Python → ctypes → C → koffi
// callback → TS, launched through the shipped adapter like the other DAP tests.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
// @ts-expect-error: a plain .mjs build script, no types
import { buildChainExample } from '../../examples/chain/build.mjs';
import { lineOf } from './harness';

export interface Chain {
  root: string;
  appSource: string;
  cSource: string;
  pySource: string;
}

let built: Chain | undefined;
export function chain(): Chain {
  built ??= buildChainExample() as Chain;
  return built;
}

/** `py:@marker`, `c:@marker`, `ts:@marker` → a breakpoint at that marker's line. */
export function at(spec: string): { path: string; line: number } {
  const [language, marker] = spec.split(':') as [string, string];
  const ex = chain();
  const path = language === 'py' ? ex.pySource : language === 'c' ? ex.cSource : ex.appSource;
  return { path, line: lineOf(path, marker) };
}

export async function launchChain(client: DebugClient, breakpoints: string[], options: { filters?: string[]; env?: Record<string, string>; trace?: boolean; launch?: Record<string, unknown> } = {}): Promise<void> {
  const ex = chain();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const configured = client.waitForEvent('initialized').then(async () => {
    const byPath = new Map<string, number[]>();
    for (const { path, line } of breakpoints.map(at)) byPath.set(path, [...(byPath.get(path) ?? []), line]);
    for (const [path, lines] of byPath) {
      const answer = await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
      // C breakpoints stay pending until koffi loads the library; the others are set at once.
      assert.ok(answer.body.breakpoints.every((b) => b.verified || /Pending/.test(b.message ?? '')), JSON.stringify(answer.body.breakpoints));
    }
    await client.setExceptionBreakpointsRequest({ filters: options.filters ?? ['js-uncaught', 'py-uncaught'] });
    await client.configurationDoneRequest();
  });
  const args = { program: ex.appSource, cwd: ex.root, outFiles: [join(ex.root, 'build', 'js', '**', '*.js')], env: options.env ?? {}, trace: options.trace, ...options.launch };
  await Promise.all([configured, client.launch(args as never)]);
}
