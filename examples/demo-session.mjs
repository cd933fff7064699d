// A debug session driven through the shipped adapter exactly as VS Code drives it. Each stop is
// recorded (reason, the one stitched stack, the top frame's first scope) for examples/demo.mjs,
// which prints the record as aligned text or, with --json, as one JSON document.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const lineOf = (path, marker) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

/** Columns padded to their widest cell, two spaces apart (the last column is not padded). */
export function table(rows, indent = '') {
  const widths = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? String(cell) : String(cell).padEnd(widths[i]))).join('  ')).join('\n');
}

/** The user's frames and the boundary labels; node's internals (folded in VS Code) left out. */
function shownFrames(frames) {
  return frames
    .filter((f) => f.presentationHint === 'label' || (f.source?.path && f.presentationHint !== 'subtle'))
    .map((f) => (f.presentationHint === 'label' ? { label: f.name } : { name: f.name, file: basename(f.source.path), line: f.line, id: f.id }));
}

export async function openSession() {
  const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 30_000;
  const output = [];
  client.on('output', (e) => e.body.category === 'stdout' && !e.body.data?.fromDebugger && output.push(e.body.output));
  await client.start();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });

  /** Records the stop `stopping` resolves with (armed before the request that causes it). */
  async function recordStop(what, stopping = client.waitForEvent('stopped')) {
    const stop = await stopping;
    const frames = shownFrames((await client.stackTraceRequest({ threadId: 1 })).body.stackFrames);
    const top = frames[0];
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    let scope;
    if (scopes[0]?.variablesReference) {
      const vars = (await client.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
      scope = { name: scopes[0].name, variables: vars.map((v) => ({ name: v.name, value: v.value })) };
    }
    return { what, reason: stop.body.reason, description: stop.body.description, top, frames, scope };
  }

  return {
    client,
    output,
    recordStop,
    /** The launch's first stop, armed before the program runs. */
    firstStop: null,
    /** Launches with breakpoints `{ path: [lines] }`; resolves once the program runs. */
    async launch(args, breakpoints) {
      this.firstStop = client.waitForEvent('stopped');
      const configured = client.waitForEvent('initialized').then(async () => {
        for (const [path, lines] of Object.entries(breakpoints)) await client.setBreakpointsRequest({ source: { path }, breakpoints: lines.map((line) => ({ line })) });
        await client.configurationDoneRequest();
      });
      await Promise.all([configured, client.launch(args)]);
    },
    async step(kind, what) {
      // The stop can follow the answer at once: wait for it before asking.
      const stopping = client.waitForEvent('stopped');
      await client[`${kind}Request`]({ threadId: 1 });
      return recordStop(what, stopping);
    },
    async continueTo(what) {
      const stopping = client.waitForEvent('stopped');
      await client.continueRequest({ threadId: 1 });
      return recordStop(what, stopping);
    },
    /** Clears the breakpoints of `paths`, lets the program finish; its exit code and output. */
    async runToExit(paths) {
      for (const path of paths) await client.setBreakpointsRequest({ source: { path }, breakpoints: [] });
      const exiting = client.waitForEvent('exited');
      await client.continueRequest({ threadId: 1 });
      const exited = await exiting;
      return { exitCode: exited.body.exitCode, output: output.join('') };
    },
    async close() {
      await client.stop().catch(() => undefined);
    },
  };
}
