// A walk after a C step keeps the older frames of the walk before it when the step ended in the
// frame it began in (polyglot_gdb.py). Checked against a whole walk at every stop: stepping
// inner() of node + koffi (JS → C → JS callback → C) one instruction at a time, out through its
// return into koffi's code, and with a line step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GdbEngine, type GdbStop, type NativeFrame } from '../../../src/engines/gdb/gdb-engine';
import { readUnifiedStack } from '../../../src/engines/gdb/unified-stack';
import { buildFixtures, markerLine, nextEvent, stopInInner, type BuiltFixtures } from './helpers';

let built: BuiltFixtures;
let engine: GdbEngine | undefined;

before(() => {
  built = buildFixtures();
});
after(async () => {
  await engine?.dispose();
  built.remove();
});

async function wholeWalk(gdb: GdbEngine, threadId: number): Promise<NativeFrame[]> {
  return (await readUnifiedStack(gdb.mi, threadId, { jsNames: true, miCommand: true })).frames;
}

async function kept(gdb: GdbEngine): Promise<boolean> {
  return (await gdb.mi.consoleCommand('python print(polyglot_gdb.last_walk_kept())')).trim() === 'True';
}

test('walks after steps in C equal whole walks, and keep the older frames only while the step stays in its frame', async (t) => {
  engine = await GdbEngine.start({});
  if (!(await engine.mi.consoleCommand('python print(hasattr(gdb, "MICommand"))')).includes('True')) return t.skip('gdb 12: no MI commands in Python');
  engine.on('fatal', (error) => assert.fail(`gdb failed: ${error.message}`));
  const gdb = engine;
  const threadId = await stopInInner(gdb, built);
  const first = await gdb.unifiedStack(threadId, { jsNames: true });
  assert.equal(await kept(gdb), false, 'a walk at a breakpoint is whole');
  assert.ok(first.some((f) => f.kind === 'js' && f.name === 'onValue'), 'the JS callback is below inner()');

  // A line step within inner(): same frame, older frames kept, and right.
  const stepped = nextEvent<GdbStop>(gdb, 'stopped', (s) => s.threadId === threadId);
  await gdb.next(threadId);
  assert.equal((await stepped).frame?.line, markerLine('bridge.c', '@inner') + 1);
  const afterNext = await gdb.unifiedStack(threadId, { jsNames: true });
  assert.equal(await kept(gdb), true, 'a step within the frame keeps the older frames');
  assert.deepEqual(afterNext, await wholeWalk(gdb, threadId));

  // An evaluation that may write: the next walk is whole again.
  await gdb.evaluate(threadId, 0, 'squared = squared');
  await gdb.unifiedStack(threadId, { jsNames: true });
  assert.equal(await kept(gdb), false, 'a write since the last walk makes the walk whole');

  // One instruction at a time out of inner(): every walk equals a whole walk, and the one where
  // the step left inner() (into koffi's code) did not keep anything.
  let left = false;
  for (let i = 0; i < 60 && !left; i++) {
    const stop = nextEvent<GdbStop>(gdb, 'stopped', (s) => s.threadId === threadId);
    await gdb.stepInstruction(threadId);
    await stop;
    const frames = await gdb.unifiedStack(threadId, { jsNames: true });
    const inInner = frames[0]?.kind === 'native' && frames[0].func === 'inner';
    if (!inInner) {
      left = true;
      assert.equal(await kept(gdb), false, 'a step that left its frame walks the whole stack');
    }
    assert.deepEqual(frames, await wholeWalk(gdb, threadId), `after stepi ${i + 1}`);
  }
  assert.ok(left, 'stepping by instruction left inner()');
  const exited = nextEvent<{ exitCode?: number }>(gdb, 'exited', () => true, 20_000);
  await gdb.continue(threadId);
  assert.deepEqual(await exited, { exitCode: 0 });
});
