// The unified stack of node + koffi under gdb: JS → C (outer) → JS callback → C (inner), stopped
// in inner(). Lines come from the `// @marker` comments of the fixtures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GdbEngine, type GdbStop, type NativeFrame } from '../../../src/engines/gdb/gdb-engine';
import { buildFixtures, fixture, launchKoffiBridge, markerLine, nextEvent, type BuiltFixtures } from './helpers';

let built: BuiltFixtures;
let engine: GdbEngine | undefined;

before(() => {
  built = buildFixtures();
});
after(async () => {
  await engine?.dispose();
  built.remove();
});

/** The frames that matter to a user, in order, as short strings. */
function describe(frames: NativeFrame[]): string[] {
  const out: string[] = [];
  for (const frame of frames) {
    if (frame.kind === 'native' && frame.fullname) out.push(`C ${frame.func}:${frame.line}`);
    else if (frame.kind === 'js' && frame.name !== undefined) out.push(`JS ${frame.name || '(anonymous)'}:${frame.line}`);
    else if (frame.kind === 'koffi-switch' || frame.kind === 'koffi-trampoline') out.push(frame.kind);
  }
  return out;
}

test('stopped in C called by a JS callback called by C called by JS: every frame, in order', async () => {
  engine = await GdbEngine.start({});
  engine.on('fatal', (error) => assert.fail(`gdb failed: ${error.message}`));
  const bp = await engine.insertBreakpoint({ function: 'inner' });
  assert.equal(bp.pending, true);
  const hit = nextEvent<GdbStop>(engine, 'stopped', () => true, 20_000);
  await launchKoffiBridge(engine, built);
  const stop = await hit;
  assert.equal(stop.frame?.func, 'inner');
  assert.equal(stop.frame?.line, markerLine('bridge.c', '@inner'));

  const quick = await engine.unifiedStack(stop.threadId, { jsNames: false });
  const kinds = quick.map((f) => f.kind);
  assert.equal(kinds[0], 'native');
  assert.ok(kinds.includes('koffi-switch') && kinds.includes('koffi-trampoline') && kinds.includes('js'), kinds.join(' '));

  const frames = await engine.unifiedStack(stop.threadId, { jsNames: true });
  const app = fixture('koffi-app.js');
  const shown = describe(frames);
  const expected = [
    `C inner:${markerLine('bridge.c', '@inner')}`,
    'koffi-switch', // JS called C (inner) here
    `JS onValue:${markerLine('koffi-app.js', '@js-callback')}`,
    'koffi-trampoline', // C called a JS callback here
    `C outer:${markerLine('bridge.c', '@outer')}`,
    'koffi-switch',
    `JS runBridge:${markerLine('koffi-app.js', '@js-caller')}`,
    `JS main:${markerLine('koffi-app.js', '@js-main')}`,
  ];
  assert.deepEqual(shown.slice(0, expected.length), expected, JSON.stringify(frames, null, 1));
  const callback = frames.find((f) => f.kind === 'js' && f.name === 'onValue');
  assert.ok(callback?.kind === 'js' && callback.url === app && callback.column! > 0);
  // Frames below gdb's first switch are not addressable by gdb's frame levels; the top ones are.
  assert.equal(frames[0]?.kind === 'native' && frames[0].level, 0);

  // The stack walk put the thread's registers back: gdb still sees inner() and can go on.
  const after = await engine.frames(stop.threadId);
  assert.equal(after[0]?.func, 'inner');
  const exited = nextEvent<{ exitCode?: number }>(engine, 'exited', () => true, 20_000);
  await engine.deleteBreakpoint(bp.number);
  await engine.continue(stop.threadId);
  assert.deepEqual(await exited, { exitCode: 0 });
});
