// The gdb engine against real gdb and a C program built here (fixtures/native.c, plugin.c).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ErrorCode, PolyglotError } from '../../../src/engines/common/errors';
import { GdbEngine, type GdbBreakpoint, type GdbExit, type GdbStop } from '../../../src/engines/gdb/gdb-engine';
import { buildFixtures, collectOutput, fixture, markerLine, nextEvent, type BuiltFixtures } from './helpers';

let built: BuiltFixtures;
const engines: GdbEngine[] = [];

before(() => {
  built = buildFixtures();
});
after(async () => {
  await Promise.all(engines.map((e) => e.dispose()));
  built.remove();
});

async function startEngine(): Promise<GdbEngine> {
  const engine = await GdbEngine.start({});
  engines.push(engine);
  engine.on('fatal', (error) => assert.fail(`gdb failed: ${error.message}`));
  return engine;
}

const stopped = (engine: GdbEngine, accept: (s: GdbStop) => boolean = () => true): Promise<GdbStop> => nextEvent<GdbStop>(engine, 'stopped', accept);
const exited = (engine: GdbEngine): Promise<GdbExit> => nextEvent<GdbExit>(engine, 'exited');
const launch = (engine: GdbEngine, args: string[], env: Record<string, string | null> = {}): Promise<{ pid: number }> =>
  engine.launch({ program: built.native, args, cwd: built.dir, env });

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a missing gdb is a user error saying how to install it', async () => {
  await assert.rejects(GdbEngine.start({ gdbPath: '/nonexistent/gdb' }), (error: PolyglotError) => {
    assert.equal(error.code, ErrorCode.GdbNotFound);
    assert.match(error.message, /gdb not found.*apt-get install gdb.*gdbPath/);
    return true;
  });
});

test('a missing program is ProgramNotFound', async () => {
  const engine = await startEngine();
  await assert.rejects(engine.launch({ program: `${built.dir}/missing`, args: [], cwd: built.dir, env: {} }), (error: PolyglotError) => error.code === ErrorCode.ProgramNotFound);
});

test('breakpoints by line and function, stepping, values, registers, output and exit code', async () => {
  const engine = await startEngine();
  const output = collectOutput(engine);
  // Set before the program is loaded: pending until launch loads its symbols.
  const byLine = await engine.insertBreakpoint({ file: fixture('native.c'), line: markerLine('native.c', '@call-add') });
  assert.equal(byLine.pending, true);
  const byFunction = await engine.insertBreakpoint({ function: 'scale' });
  const resolved = nextEvent<GdbBreakpoint>(engine, 'breakpoint-resolved', (b) => b.number === byLine.number);
  const resolvedFunction = nextEvent<GdbBreakpoint>(engine, 'breakpoint-resolved', (b) => b.number === byFunction.number);

  const firstStop = stopped(engine);
  const { pid } = await launch(engine, ['basic']);
  assert.equal((await resolved).line, markerLine('native.c', '@call-add'));
  assert.equal((await resolvedFunction).func, 'scale');
  assert.ok(pid > 0);
  let stop = await firstStop;
  assert.equal(stop.reason, 'breakpoint-hit');
  assert.equal(stop.breakpointNumber, byLine.number);
  assert.equal(stop.threadId, engine.mainThreadId);
  assert.equal(stop.frame?.func, 'run_basic');
  assert.equal(stop.frame?.line, markerLine('native.c', '@call-add'));
  assert.equal(stop.frame?.fullname, fixture('native.c'));

  // Locals, with struct children.
  const locals = await engine.variables(stop.threadId, 0);
  const origin = locals.find((v) => v.name === 'origin');
  assert.ok(origin?.childrenHandle, 'a struct is expandable');
  assert.match(origin.value, /x = 3, y = 4/);
  const members = await engine.children(origin.childrenHandle);
  assert.deepEqual(members.map((m) => m.name), ['x', 'y', 'label']);
  assert.equal(members[0]!.value, '3');
  assert.match(members[2]!.value, /"origin"/);

  // Evaluate and assign.
  assert.equal((await engine.evaluate(stop.threadId, 0, 'origin.x + origin.y')).value, '7');
  await assert.rejects(engine.evaluate(stop.threadId, 0, 'no_such_name'), (e: PolyglotError) => e.code === ErrorCode.EvaluateFailed && /no_such_name/.test(e.message));
  assert.equal((await engine.setVariable(stop.threadId, 0, 'x', '5', origin.childrenHandle)).value, '5');
  assert.equal((await engine.evaluate(stop.threadId, 0, 'origin.x')).value, '5');
  await engine.setVariable(stop.threadId, 0, 'origin.y', '6');
  assert.equal((await engine.evaluate(stop.threadId, 0, 'origin.y')).value, '6');

  const registers = await engine.registers(stop.threadId, 0);
  assert.equal(registers[0]?.name, 'rax');
  assert.ok(registers.some((r) => r.name === 'rip' && /run_basic/.test(r.value)));
  assert.ok(registers.some((r) => r.name === 'xmm0'));

  // step into add(), finish back out, next over scale() (its breakpoint stops it first).
  let next = stopped(engine);
  await engine.step(stop.threadId);
  stop = await next;
  assert.equal(stop.reason, 'end-stepping-range');
  assert.equal(stop.frame?.func, 'add');
  assert.equal(stop.frame?.line, markerLine('native.c', '@add'));
  const addArgs = await engine.variables(stop.threadId, 0);
  assert.deepEqual(addArgs.slice(0, 2).map((v) => `${v.name}=${v.value}`), ['a=1', 'b=2']);
  const frames = await engine.frames(stop.threadId);
  assert.deepEqual(frames.slice(0, 3).map((f) => f.func), ['add', 'run_basic', 'main']);

  next = stopped(engine);
  await engine.finish(stop.threadId);
  stop = await next;
  assert.equal(stop.reason, 'function-finished');
  assert.equal(stop.frame?.func, 'run_basic');

  next = stopped(engine);
  await engine.next(stop.threadId);
  stop = await next;
  assert.equal(stop.reason, 'end-stepping-range');
  assert.equal(stop.frame?.line, markerLine('native.c', '@call-scale'));

  next = stopped(engine);
  await engine.next(stop.threadId);
  stop = await next;
  assert.equal(stop.reason, 'breakpoint-hit');
  assert.equal(stop.frame?.func, 'scale');
  assert.equal(stop.breakpointNumber, byFunction.number);

  const end = exited(engine);
  await engine.continue(stop.threadId);
  assert.deepEqual(await end, { exitCode: 7 });
  // origin.x was 5 when scale() doubled it.
  await waitFor(() => output.text().includes('basic 3 22 45 10'), () => `output was ${JSON.stringify(output.text())}`);
  await engine.dispose();
  await waitFor(() => !isProcessAlive(pid), () => `process ${pid} still alive`);
});

test('a condition and an ignore count', async () => {
  const engine = await startEngine();
  const line = markerLine('native.c', '@loop');
  const conditional = await engine.insertBreakpoint({ file: fixture('native.c'), line }, { condition: 'i == 4' });
  const first = stopped(engine);
  await launch(engine, ['basic']);
  let stop = await first;
  assert.equal((await engine.evaluate(stop.threadId, 0, 'i')).value, '4');
  await engine.deleteBreakpoint(conditional.number);
  // Ignore 2 hits: the third one (i == 7) stops.
  await engine.insertBreakpoint({ file: fixture('native.c'), line }, { ignoreCount: 2 });
  const second = stopped(engine);
  await engine.continue(stop.threadId);
  stop = await second;
  assert.equal((await engine.evaluate(stop.threadId, 0, 'i')).value, '7');
});

test('a breakpoint in a library not loaded yet is pending, then resolves when dlopen loads it', async () => {
  const engine = await startEngine();
  const bp = await engine.insertBreakpoint({ file: 'plugin.c', line: markerLine('plugin.c', '@plugin') });
  assert.equal(bp.pending, true);
  const resolved = nextEvent<GdbBreakpoint>(engine, 'breakpoint-modified', (b) => b.number === bp.number && !b.pending);
  const loaded = nextEvent<{ path: string }>(engine, 'library-loaded', (l) => l.path === built.plugin);
  const hit = stopped(engine);
  await launch(engine, ['plugin', built.plugin]);
  await loaded;
  const now = await resolved;
  assert.equal(now.func, 'plugin_work');
  assert.equal(now.path, fixture('plugin.c'));
  const stop = await hit;
  assert.equal(stop.frame?.func, 'plugin_work');
  assert.equal(stop.breakpointNumber, bp.number);
});

test('SIGSEGV stops with the signal named', async () => {
  const engine = await startEngine();
  const crash = stopped(engine);
  await launch(engine, ['segv']);
  const stop = await crash;
  assert.equal(stop.reason, 'signal-received');
  assert.equal(stop.signalName, 'SIGSEGV');
  assert.equal(stop.signalMeaning, 'Segmentation fault');
  assert.equal(stop.frame?.line, markerLine('native.c', '@segv'));
  const end = exited(engine);
  await engine.continue(stop.threadId);
  assert.deepEqual(await end, { signal: 'SIGSEGV' });
});

test('arguments and environment are passed exactly, without a shell', async () => {
  const engine = await startEngine();
  const output = collectOutput(engine);
  const end = exited(engine);
  const args = ['two words', '$HOME', '*', "it's", 'a"b', 'back\\slash', ''];
  await launch(engine, ['args', ...args], { POLYGLOT_ADDED: 'x y=z', POLYGLOT_REMOVED: null });
  assert.deepEqual(await end, { exitCode: 0 });
  const expected = [...args.map((a) => `arg[${a}]`), 'env added[x y=z] removed[(unset)]'].join('\n') + '\n';
  await waitFor(() => output.text() === expected, () => `output was ${JSON.stringify(output.text())}`);
});

test('the program reads input written to its terminal', async () => {
  const engine = await startEngine();
  const output = collectOutput(engine);
  const end = exited(engine);
  await launch(engine, ['echo']);
  await waitFor(() => output.text().includes('ready\n'), () => output.text());
  engine.writeInput('hello there\n');
  assert.deepEqual(await end, { exitCode: 0 });
  await waitFor(() => output.text().includes('echo:hello there\n'), () => JSON.stringify(output.text()));
});

test('interrupt stops a running thread; dispose leaves no process behind', async () => {
  const engine = await startEngine();
  const output = collectOutput(engine);
  const { pid } = await launch(engine, ['echo']);
  await waitFor(() => output.text().includes('ready'), () => output.text());
  const stop = await engine.interrupt(engine.mainThreadId);
  assert.equal(stop.threadId, engine.mainThreadId);
  assert.equal(stop.reason, 'signal-received');
  const gdbPid = engine.mi.process.pid!;
  await engine.dispose();
  await waitFor(() => !isProcessAlive(pid) && !isProcessAlive(gdbPid), () => 'processes still alive');
  assert.equal(existsSync(`/proc/${pid}`), false);
});

async function waitFor(condition: () => boolean, describe: () => string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
