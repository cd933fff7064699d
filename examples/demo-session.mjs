// A debug session driven through the shipped adapter exactly as VS Code drives it, printing each
// stop with its one stitched stack and the first scope's values. Used by examples/demo.mjs.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const lineOf = (path, marker) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
export const say = (text) => process.stdout.write(text + '\n');

export async function openSession() {
  const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
  client.defaultTimeout = 30_000;
  const output = [];
  client.on('output', (e) => e.body.category !== 'console' && output.push(e.body.output));
  await client.start();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });

  /** Prints the stop `stopping` resolves with (armed before the request that causes it). */
  async function showStop(what, stopping = client.waitForEvent('stopped')) {
    const stop = await stopping;
    const frames = (await client.stackTraceRequest({ threadId: 1 })).body.stackFrames.filter(
      (f) => f.presentationHint === 'label' || (f.source?.path && !f.source.path.startsWith('node:') && f.presentationHint !== 'subtle'),
    );
    const top = frames[0];
    say(`\n■ ${what}: stopped (${stop.body.reason}${stop.body.description ? `: ${stop.body.description}` : ''}) in ${top.name} ${basename(top.source?.path ?? '')}:${top.line}`);
    for (const f of frames) say(f.presentationHint === 'label' ? `     ${f.name}` : `     ${f.name.padEnd(14)} ${basename(f.source.path)}:${f.line}`);
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    if (scopes[0]?.variablesReference) {
      const vars = (await client.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
      say(`   ${scopes[0].name}: ${vars.slice(0, 6).map((v) => `${v.name} = ${v.value}`).join(', ')}`);
    }
    return top;
  }

  return {
    client,
    output,
    showStop,
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
      say(`\n→ ${what}`);
      // The stop can follow the answer at once: wait for it before asking.
      const stopping = client.waitForEvent('stopped');
      await client[`${kind}Request`]({ threadId: 1 });
      return showStop(what, stopping);
    },
    /** Continues and prints the next stop. */
    async continueTo(what) {
      const stopping = client.waitForEvent('stopped');
      await client.continueRequest({ threadId: 1 });
      return showStop(what, stopping);
    },
    /** Clears the breakpoints of `paths`, lets the program finish, prints its exit code and output. */
    async runToExit(paths) {
      for (const path of paths) await client.setBreakpointsRequest({ source: { path }, breakpoints: [] });
      const exiting = client.waitForEvent('exited');
      await client.continueRequest({ threadId: 1 });
      const exited = await exiting;
      say(`\n■ the program exited with code ${exited.body.exitCode}; its output:\n${output.join('').replace(/^/gm, '     ')}`);
    },
    async close() {
      await client.stop().catch(() => undefined);
    },
  };
}
