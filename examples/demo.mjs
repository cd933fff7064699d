// The main demo: real mixed-mode sessions driven through the shipped debug adapter exactly as VS
// Code drives it. First examples/mixed (TypeScript → koffi → C → a TypeScript callback), then
// examples/chain (TypeScript → C → embedded Python → ctypes → C → TypeScript callback) with the live
// ABI of a C call, then the static ABI placement of an FFI call. Prints each stop with its one
// stitched stack as aligned text; `--json` prints the same as one JSON document, for scripts.
// Usage: npm run build && node examples/demo.mjs [--json]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainExample } from './chain/build.mjs';
import { lineOf, openSession, root, table } from './demo-session.mjs';
import { buildMixedExample } from './mixed/build.mjs';

const asJson = process.argv.includes('--json');
const say = (text) => asJson || process.stdout.write(text + '\n');
const relative = (path) => path.replace(root, '');

/** One stop: where, why, the stack (names and places aligned), the first scope's values. */
function printStop(stop) {
  const { top } = stop;
  const why = stop.description && stop.description.toLowerCase() !== stop.reason ? `${stop.reason}: ${stop.description}` : stop.reason;
  const after = stop.msAfterLaunch !== undefined ? `, ${stop.msAfterLaunch} ms after launch` : '';
  say(`\n■ ${stop.what}\n  stopped (${why}${after}) in ${top.name} at ${top.file}:${top.line}`);
  const width = Math.max(...stop.frames.filter((f) => !f.label).map((f) => f.name.length));
  for (const f of stop.frames) say(f.label ? `     ${f.label}` : `     ${f.name.padEnd(width)}  ${f.file}:${f.line}`);
  if (stop.scope) {
    const shown = stop.scope.variables.slice(0, 8).map((v) => `${v.name} = ${v.value}`);
    const more = stop.scope.variables.length - shown.length;
    say(`  ${stop.scope.name}: ${shown.join(', ')}${more > 0 ? `, … ${more} more` : ''}`);
  }
}

function printExit(run) {
  say(`\n■ the program exited with code ${run.exitCode}; its output:`);
  say(run.output.trimEnd().replace(/^/gm, '     '));
}

/** The live ABI of a C call, as the ABI frame view shows it. */
function printLiveAbi(abi) {
  const where = abi.source === 'entry' ? 'read at the function’s first instruction' : abi.source === 'snapshot' ? 'captured when the function was entered' : 'not captured';
  say(`  live ABI of ${abi.function} (${abi.target}; values ${where}):`);
  const rows = abi.params.map((p) => [p.name, p.type, p.pieces.map((x) => x.loc).join(' + '), p.value ?? '?', p.pieces.map((x) => x.bytes ?? '?').join(' | ')]);
  say(table([['arg', 'type', 'location', 'value', 'bytes'], ...rows], '     '));
}

async function typescriptAndC() {
  const ex = buildMixedExample();
  const tsLine = lineOf(ex.appSource, '@call-scale');
  const cLine = lineOf(ex.cSource, '@walk-callback');
  const part = { title: 'one session over TypeScript and C (examples/mixed)', program: relative(ex.appSource), breakpoints: [`app.ts:${tsLine}`, `scene.c:${cLine}`], stops: [] };
  say(`Polyglot Debug demo, part 1: ${part.title}`);
  say(`▶ launch ${part.program} with breakpoints at ${part.breakpoints.join(' and ')}`);
  const s = await openSession();
  const show = (stop) => (part.stops.push(stop), printStop(stop), stop);
  try {
    const started = Date.now();
    await s.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root }, { [ex.appSource]: [tsLine], [ex.cSource]: [cLine] });
    const first = await s.recordStop('breakpoint in TypeScript', s.firstStop);
    first.msAfterLaunch = Date.now() - started;
    show(first);
    show(await s.step('stepIn', 'step in: TypeScript → C (the koffi call of scene_scale)'));
    show(await s.step('next', 'step over, in C'));
    show(await s.step('stepOut', 'step out: C → TypeScript'));
    show(await s.continueTo('continue to the breakpoint in C, before it calls the JS callback'));
    show(await s.step('stepIn', 'step in: C → the TypeScript callback (through koffi)'));
    show(await s.step('stepOut', 'step out: the TypeScript callback → C'));
    part.exit = await s.runToExit([ex.cSource, ex.appSource]);
    printExit(part.exit);
  } finally {
    await s.close();
  }
  return { ex, part };
}

async function threeLanguages() {
  const ex = buildChainExample();
  const pyLine = lineOf(ex.pySource, '@py-add');
  const tsLine = lineOf(ex.appSource, '@ts-notify');
  const part = { title: 'TypeScript → C → embedded Python → ctypes → C → TypeScript (examples/chain)', program: relative(ex.appSource), breakpoints: [`compute.py:${pyLine}`, `app.ts:${tsLine}`], stops: [] };
  say(`\nPolyglot Debug demo, part 2: ${part.title}`);
  say(`▶ launch ${part.program} with breakpoints at ${part.breakpoints.join(' and ')}`);
  const s = await openSession();
  const show = (stop) => (part.stops.push(stop), printStop(stop), stop);
  try {
    await s.launch({ program: ex.appSource, outFiles: [join(ex.root, 'build/js/**/*.js')], cwd: ex.root }, { [ex.pySource]: [pyLine], [ex.appSource]: [tsLine] });
    show(await s.recordStop('breakpoint in Python, which C called', s.firstStop));
    const inC = show(await s.step('stepIn', 'step in: Python → C (the ctypes call of chain_add)'));
    const { abi } = (await s.client.customRequest('polyglot/frameAbi', { frameId: inC.top.id })).body;
    inC.liveAbi = abi;
    printLiveAbi(abi);
    show(await s.step('stepOut', 'step out: C → Python'));
    await s.client.setBreakpointsRequest({ source: { path: ex.pySource }, breakpoints: [] });
    show(await s.continueTo('without the Python breakpoint, continue to the TypeScript callback that C calls for Python'));
    part.exit = await s.runToExit([ex.appSource]);
    printExit(part.exit);
  } finally {
    await s.close();
  }
  return part;
}

/** Where koffi puts scene_scale's arguments under x86-64 System V: `polyglot-abi hover --json`. */
function staticAbi(mixed) {
  const cli = join(root, 'dist', 'cli.js');
  const line = lineOf(mixed.appSource, '@call-scale');
  const column = readFileSync(mixed.appSource, 'utf8').split('\n')[line - 1].indexOf('scene_scale(') + 1;
  const command = ['hover', relative(mixed.appSource).replace(/^\//, ''), String(line), String(column), '--target', 'x86_64-sysv'];
  const run = spawnSync(process.execPath, [cli, ...command, '--json'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`polyglot-abi ${command.join(' ')} failed: ${run.stderr}`);
  const placement = JSON.parse(run.stdout);
  say(`\n$ polyglot-abi ${command.join(' ')} --json`);
  say(`  ${placement.function} under x86-64 System V, from that JSON:`);
  const where = (v) => v.pieces.map((p) => (v.pieces.length > 1 ? `${p.loc} ← bytes ${p.offset}–${p.offset + p.size - 1}` : p.loc)).join(', ') || 'memory';
  const rows = placement.params.map((p) => [p.name, p.type, p.size, where(p)]);
  rows.push(['return', placement.ret.type, placement.ret.size, placement.sret ? `memory, address in ${placement.sret.loc}` : where(placement.ret)]);
  say(table([['arg', 'type', 'size', 'location'], ...rows], '     '));
  say('  (without --json: the Markdown the editor hover shows; four targets: node examples/abi-demo.mjs)');
  return { command: `polyglot-abi ${command.join(' ')}`, placement };
}

const { ex: mixed, part: first } = await typescriptAndC();
const second = await threeLanguages();
const abi = staticAbi(mixed);
if (asJson) process.stdout.write(JSON.stringify({ parts: [first, second], staticAbi: abi }, null, 2) + '\n');
process.exit(0);
