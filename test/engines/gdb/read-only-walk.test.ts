// Reading the stack never changes the program: every register of the stopped thread is the same
// before and after a stack walk across koffi's stack switch, also when the walk fails half-way,
// and the program then runs to its normal end. The debuggee runs on POLYGLOT_TEST_NODE when set
// (the stack matrix), else on the node running the tests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GdbEngine, type GdbStop } from '../../../src/engines/gdb/gdb-engine';
import { debuggeeNode } from '../../debuggee-node';
import { buildFixtures, launchKoffiBridge, markerLine, nextEvent, type BuiltFixtures } from './helpers';

let built: BuiltFixtures;
const engines: GdbEngine[] = [];

before(() => {
  built = buildFixtures();
});
after(async () => {
  for (const engine of engines) await engine.dispose();
  built.remove();
});

/** Stopped in inner(), called by a JS callback that C called: the walk must cross a switch. */
async function stopInInner(): Promise<{ engine: GdbEngine; stop: GdbStop }> {
  const engine = await GdbEngine.start({});
  engines.push(engine);
  engine.on('fatal', (error) => assert.fail(`gdb failed: ${error.message}`));
  await engine.insertBreakpoint({ function: 'inner' });
  const hit = nextEvent<GdbStop>(engine, 'stopped', () => true, 30_000);
  await launchKoffiBridge(engine, built);
  const stop = await hit;
  assert.equal(stop.frame?.line, markerLine('bridge.c', '@inner'));
  return { engine, stop };
}

function registers(engine: GdbEngine, threadId: number): Promise<string> {
  return engine.consoleCommand('info registers', { thread: threadId, frame: 0 });
}

async function runsToItsEnd(engine: GdbEngine, stop: GdbStop): Promise<void> {
  const exited = nextEvent<{ exitCode?: number }>(engine, 'exited', () => true, 30_000);
  await engine.command('-break-delete');
  await engine.continue(stop.threadId);
  assert.deepEqual(await exited, { exitCode: 0 });
}

test(`a stack walk across koffi's switch leaves every register as it was (node ${process.versions.node} runs the tests, debuggee ${debuggeeNode})`, async () => {
  const { engine, stop } = await stopInInner();
  const before = await registers(engine, stop.threadId);
  const frames = await engine.unifiedStack(stop.threadId, { jsNames: true });
  assert.ok(frames.some((f) => f.kind === 'koffi-trampoline'), 'the walk crossed the switch');
  assert.ok(frames.some((f) => f.kind === 'native' && f.func === 'outer'), 'the C caller beyond the switch is in the stack');
  assert.equal(await registers(engine, stop.threadId), before);
  await runsToItsEnd(engine, stop);
});

test('a stack walk that fails half-way leaves every register as it was and says where it stopped', async () => {
  const { engine, stop } = await stopInInner();
  const before = await registers(engine, stop.threadId);
  // Every step of our own walk past the switch now fails, as an unreadable frame would.
  await engine.consoleCommand('python import polyglot_cfi; polyglot_cfi.caller = lambda *a, **k: (_ for _ in ()).throw(polyglot_cfi.CfiError("injected failure"))');
  const frames = await engine.unifiedStack(stop.threadId, { jsNames: false });
  const last = frames[frames.length - 1] as unknown as { kind: string; reason?: string };
  // Where it stops depends on what the walk tries next (koffi's stubs fall back to rbp); it says so.
  assert.equal(last.kind, 'walk-stopped', JSON.stringify(last));
  assert.ok(last.reason, 'the reason is given');
  assert.ok(!frames.some((f) => f.kind === 'native' && f.func === 'outer'), 'no frame past the failure is invented');
  assert.equal(await registers(engine, stop.threadId), before);
  await runsToItsEnd(engine, stop);
});

test('a V8 whose layout is not recognised: the stack says so in one notice and keeps every C frame', async () => {
  const { engine, stop } = await stopInInner();
  // As a node whose postmortem metadata we cannot read would look.
  await engine.consoleCommand('python import polyglot_v8; polyglot_v8._constants.clear(); polyglot_v8._metadata = lambda: (_ for _ in ()).throw(polyglot_v8.LayoutUnknown("metadata hidden by the test"))');
  const frames = await engine.unifiedStack(stop.threadId, { jsNames: true });
  const notices = frames.filter((f) => f.kind === 'notice');
  assert.equal(notices.length, 1, JSON.stringify(frames));
  assert.match(notices[0]!.kind === 'notice' ? notices[0]!.reason : '', /^JavaScript frames unavailable: V8 \d+\.\d+ not recognised \(metadata hidden by the test\)$/);
  assert.ok(frames.every((f) => f.kind !== 'js' || f.error !== undefined), 'no JS frame is named as if it had been read');
  assert.ok(frames.some((f) => f.kind === 'native' && f.func === 'outer'), 'the C frames around are all there');
  await runsToItsEnd(engine, stop);
});

test('memory a walk reads comes a page at a time, as gdb reads it, and is read again by the next walk', async () => {
  const { engine, stop } = await stopInInner();
  // polyglot_memory serves a walk's reads from whole pages: what it returns must be what gdb
  // reads (also across a page boundary, and an unreadable address still fails), and a later walk
  // must see the program's memory as it is then, not the pages an earlier walk kept.
  const check = [
    'import gdb, polyglot_memory as m',
    'inf = gdb.selected_inferior()',
    'sp = int(gdb.parse_and_eval("$sp"))',
    'edge = (sp // m.PAGE + 1) * m.PAGE',
    'original = inf.read_memory(sp, 8).tobytes()',
    'with m.walk_cache():',
    '    straddling = m.read(edge - 8, 16) == inf.read_memory(edge - 8, 16).tobytes()',
    '    first = m.read(sp, 8)',
    '    try:',
    '        m.read(0, 8)',
    '        unreadable = "read"',
    '    except gdb.MemoryError:',
    '        unreadable = "MemoryError"',
    'inf.write_memory(sp, bytes(b ^ 0xFF for b in original))',
    'with m.walk_cache():',
    '    second = m.read(sp, 8)',
    'inf.write_memory(sp, original)',
    'print(straddling, first == original, unreadable, second == bytes(b ^ 0xFF for b in original))',
  ].join('\n');
  const printed = await engine.consoleCommand(`python exec(${JSON.stringify(check)})`, { thread: stop.threadId, frame: 0 });
  assert.equal(printed.trim(), 'True True MemoryError True');
  await runsToItsEnd(engine, stop);
});
