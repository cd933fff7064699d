// The main demo: a real mixed-mode session on examples/mixed (TypeScript → koffi → C → a
// TypeScript callback), driven through the shipped debug adapter exactly as VS Code drives it,
// then the ABI view of the same FFI call. Prints each stop with its one stitched stack.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildMixedExample } from './mixed/build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ex = buildMixedExample();
const lineOf = (path, marker) => readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
const say = (text) => process.stdout.write(text + '\n');

const client = new DebugClient(process.execPath, join(root, 'dist', 'debugAdapter.js'), 'polyglot');
client.defaultTimeout = 30_000;
const output = [];
client.on('output', (e) => output.push(e.body.output));

async function showStop(what) {
  const stop = await client.waitForEvent('stopped');
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
}

async function step(kind, what) {
  say(`\n→ ${what}`);
  await client[`${kind}Request`]({ threadId: 1 });
  await showStop(what);
}

try {
  await client.start();
  await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const tsLine = lineOf(ex.appSource, '@call-scale');
  const cLine = lineOf(ex.cSource, '@walk-callback');
  say(`Polyglot Debug demo: one session over TypeScript and C (examples/mixed)`);
  say(`▶ launch ${ex.appSource.replace(root, '')} with breakpoints at app.ts:${tsLine} and scene.c:${cLine}`);
  const configured = client.waitForEvent('initialized').then(async () => {
    await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [{ line: tsLine }] });
    await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [{ line: cLine }] });
    await client.configurationDoneRequest();
  });
  const started = Date.now();
  await Promise.all([configured, client.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root })]);
  await showStop(`breakpoint in TypeScript (${Date.now() - started} ms after launch)`);
  await step('stepIn', 'step in: TypeScript → C (koffi call of scene_scale)');
  await step('next', 'step over in C');
  await step('stepOut', 'step out: C → TypeScript');
  say('\n→ continue');
  await client.continueRequest({ threadId: 1 });
  await showStop('breakpoint in C, before it calls the JS callback');
  await step('stepIn', 'step in: C → TypeScript callback (through koffi)');
  await step('stepOut', 'step out: TypeScript callback → C');
  say('\n→ remove the breakpoints and continue');
  await client.setBreakpointsRequest({ source: { path: ex.cSource }, breakpoints: [] });
  await client.setBreakpointsRequest({ source: { path: ex.appSource }, breakpoints: [] });
  await client.continueRequest({ threadId: 1 });
  const exited = await client.waitForEvent('exited');
  say(`\n■ the program exited with code ${exited.body.exitCode}; its output:\n${output.join('').replace(/^/gm, '     ')}`);
} finally {
  await client.stop().catch(() => undefined);
}

// The ABI view of the same calls: where koffi puts scene_scale's struct and double.
const cli = join(root, 'dist', 'cli.js');
const callLine = lineOf(ex.appSource, '@call-scale');
const callColumn = readFileSync(ex.appSource, 'utf8').split('\n')[callLine - 1].indexOf('scene_scale(') + 1;
say(`\n$ polyglot-abi hover examples/mixed/src/app.ts ${callLine} ${callColumn} --target x86_64-sysv`);
const hover = spawnSync(process.execPath, [cli, 'hover', ex.appSource, String(callLine), String(callColumn), '--target', 'x86_64-sysv'], { encoding: 'utf8' });
say(hover.stdout + hover.stderr);
say('More ABI examples on four targets: node examples/abi-demo.mjs');
process.exit(hover.status === 0 ? 0 : 1);
