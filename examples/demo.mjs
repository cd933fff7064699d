// The main demo: real mixed-mode sessions driven through the shipped debug adapter exactly as VS
// Code drives it. First examples/mixed (TypeScript → koffi → C → a TypeScript callback), then
// examples/chain (TypeScript → C → embedded Python → ctypes → C → TypeScript callback) with the live
// ABI picture of a C call, then the static ABI view of an FFI call. Prints each stop with its one
// stitched stack.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainExample } from './chain/build.mjs';
import { lineOf, openSession, root, say } from './demo-session.mjs';
import { buildMixedExample } from './mixed/build.mjs';

async function typescriptAndC() {
  const ex = buildMixedExample();
  const tsLine = lineOf(ex.appSource, '@call-scale');
  const cLine = lineOf(ex.cSource, '@walk-callback');
  say(`Polyglot Debug demo, part 1: one session over TypeScript and C (examples/mixed)`);
  say(`▶ launch ${ex.appSource.replace(root, '')} with breakpoints at app.ts:${tsLine} and scene.c:${cLine}`);
  const s = await openSession();
  try {
    const started = Date.now();
    await s.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root }, { [ex.appSource]: [tsLine], [ex.cSource]: [cLine] });
    await s.showStop(`breakpoint in TypeScript (${Date.now() - started} ms after launch)`, s.firstStop);
    await s.step('stepIn', 'step in: TypeScript → C (koffi call of scene_scale)');
    await s.step('next', 'step over in C');
    await s.step('stepOut', 'step out: C → TypeScript');
    say('\n→ continue');
    await s.continueTo('breakpoint in C, before it calls the JS callback');
    await s.step('stepIn', 'step in: C → TypeScript callback (through koffi)');
    await s.step('stepOut', 'step out: TypeScript callback → C');
    say('\n→ remove the breakpoints and continue');
    await s.runToExit([ex.cSource, ex.appSource]);
  } finally {
    await s.close();
  }
  return ex;
}

async function threeLanguages() {
  const ex = buildChainExample();
  const pyLine = lineOf(ex.pySource, '@py-add');
  const tsLine = lineOf(ex.appSource, '@ts-notify');
  say(`\nPolyglot Debug demo, part 2: TypeScript → C → embedded Python → ctypes → C → TypeScript (examples/chain)`);
  say(`▶ launch ${ex.appSource.replace(root, '')} with breakpoints at compute.py:${pyLine} and app.ts:${tsLine}`);
  const s = await openSession();
  try {
    await s.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root }, { [ex.pySource]: [pyLine], [ex.appSource]: [tsLine] });
    await s.showStop('breakpoint in Python, which C called', s.firstStop);
    const inC = await s.step('stepIn', 'step in: Python → C (ctypes call of chain_add)');
    const { abi } = (await s.client.customRequest('polyglot/frameAbi', { frameId: inC.id })).body;
    say(`   live ABI of this call (${abi.note}):`);
    for (const p of abi.params) say(`     ${p.name}: ${p.type} in ${p.pieces.map((x) => x.loc).join(' + ')} = ${p.value}   (bytes ${p.pieces.map((x) => x.bytes).join(' · ')})`);
    await s.step('stepOut', 'step out: C → Python');
    say('\n→ remove the Python breakpoint and continue');
    await s.client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [] });
    await s.continueTo('breakpoint in the TypeScript callback that C called for Python');
    await s.runToExit([ex.appSource]);
  } finally {
    await s.close();
  }
}

const mixed = await typescriptAndC();
await threeLanguages();

// The static ABI view of the first call: where koffi puts scene_scale's struct and double.
const cli = join(root, 'dist', 'cli.js');
const callLine = lineOf(mixed.appSource, '@call-scale');
const callColumn = readFileSync(mixed.appSource, 'utf8').split('\n')[callLine - 1].indexOf('scene_scale(') + 1;
say(`\n$ polyglot-abi hover examples/mixed/src/app.ts ${callLine} ${callColumn} --target x86_64-sysv`);
const hover = spawnSync(process.execPath, [cli, 'hover', mixed.appSource, String(callLine), String(callColumn), '--target', 'x86_64-sysv'], { encoding: 'utf8' });
say(hover.stdout + hover.stderr);
say('More ABI examples on four targets: node examples/abi-demo.mjs');
process.exit(hover.status === 0 ? 0 : 1);
