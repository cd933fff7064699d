// The in-process Python agent on each CPython there is (Debian's 3.11 and, where pyenv has them,
// 3.12 and 3.13): a real interpreter runs a script under the real PythonEngine, no gdb. What a
// user would see of Python alone: breakpoints, steps, which frames C entered (the stitch's input),
// exceptions on the line that raised, and a step queued while C holds the GIL.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { PythonEngine, type PythonStop } from '../../../src/engines/python/python-engine';

/** Every interpreter to test: Debian's, and pyenv's 3.12+ where they exist. */
function interpreters(): string[] {
  const system = ['/usr/bin/python3.11', '/usr/bin/python3.12', '/usr/bin/python3.13', '/usr/bin/python3.14'].filter(existsSync);
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const more = existsSync(pyenv) ? readdirSync(pyenv).filter((v) => /^3\.1[2-9]\.\d+$/.test(v)).map((v) => join(pyenv, v, 'bin', 'python3')) : [];
  return [...system, ...more].filter(existsSync);
}

const SCRIPT = `import ctypes, sys
def inner(x):
    raise KeyError(x)  # @raise
def key(x):
    return inner(x)  # @key
def scale(total):
    doubled = total * 2  # @scale
    return doubled  # @scale-return
def main():
    total = 3  # @main
    total = scale(total)  # @call
    print("total", total)  # @print
    return total
main()  # @module-call
try:
    sorted([1, 2], key=key)  # @sorted
except KeyError:
    pass
if len(sys.argv) > 1:
    print("sleeping", flush=True)
    ctypes.PyDLL(None).sleep(2)  # C holding the GIL, as a host stopped by gdb does
    main()  # @after-sleep
`;
const lineOf = (marker: string) => SCRIPT.split('\n').findIndex((l) => l.includes(`# ${marker}`)) + 1;

interface Run {
  engine: PythonEngine;
  stops: PythonStop[];
  output: () => string;
  next: () => Promise<PythonStop>;
  ended: Promise<number | null>;
  hello: Promise<{ version?: number[]; events?: string }>;
}

// A test that fails leaves its script stopped, waiting for the adapter: end it, or the run hangs.
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

async function run(python: string, setUp: (engine: PythonEngine, script: string) => void, args: string[] = []): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-agent-'));
  const script = join(dir, 'script.py');
  writeFileSync(script, SCRIPT);
  const engine = await PythonEngine.start();
  setUp(engine, script);
  const stops: PythonStop[] = [];
  const waiters: ((stop: PythonStop) => void)[] = [];
  engine.on('stopped', (stop: PythonStop) => (waiters.shift() ?? ((s) => stops.push(s)))(stop));
  const hello = new Promise<{ version?: number[]; events?: string }>((resolve) => engine.once('connected', resolve));
  const child = spawn(python, [script, ...args], { env: { ...process.env, ...engine.environment(undefined) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  running.add(child);
  void ended.then(() => running.delete(child));
  void ended.then(() => engine.close().then(() => rmSync(dir, { recursive: true, force: true })));
  const next = () =>
    new Promise<PythonStop>((resolve, reject) => {
      const ready = stops.shift();
      if (ready) return resolve(ready);
      const timer = setTimeout(() => reject(new Error(`no stop within 30 s; output:\n${output}`)), 30_000);
      waiters.push((stop) => {
        clearTimeout(timer);
        resolve(stop);
      });
    });
  return { engine, stops, output: () => output, next, ended, hello };
}

async function top(engine: PythonEngine): Promise<string> {
  const { frames } = await engine.stackTrace();
  return frames.map((f) => `${f.name}:${f.line}`).join(' ');
}

for (const python of interpreters()) {
  test(`${python}: breakpoints and steps over, in, out; the hooks the version calls for`, async () => {
    const r = await run(python, (engine, script) => engine.setBreakpoints(script, [{ id: 1, line: lineOf('@call') }]));
    const hello = await r.hello;
    const minor = hello.version?.[1] ?? 0;
    assert.equal(hello.events, minor >= 12 ? 'sys.monitoring' : 'settrace');
    assert.equal((await r.next()).reason, 'breakpoint');
    assert.equal(await top(r.engine), `main:${lineOf('@call')} <module>:${lineOf('@module-call')}`);
    await r.engine.resume('stepIn');
    assert.equal((await r.next()).reason, 'step');
    assert.match(await top(r.engine), new RegExp(`^scale:${lineOf('@scale')} main:${lineOf('@call')}`));
    await r.engine.resume('next');
    await r.next();
    assert.match(await top(r.engine), new RegExp(`^scale:${lineOf('@scale-return')} `));
    await r.engine.resume('stepOut');
    await r.next();
    // 3.12+ ends the step out on the line of the call (the result is still to be assigned); 3.11's
    // tracing sees the caller again at its next line.
    const expected = minor >= 12 ? lineOf('@call') : lineOf('@print');
    assert.match(await top(r.engine), new RegExp(`^main:${expected} `));
    await r.engine.resume('continue');
    assert.equal(await r.ended, 0);
    assert.match(r.output(), /total 6/);
  });

  test(`${python}: an uncaught exception leaving Python for C stops on the raising line, with the frames it came through, marked by who entered them`, async () => {
    const r = await run(python, (engine) => engine.setExceptionModes(['uncaught']));
    const stop = await r.next();
    assert.equal(stop.reason, 'exception');
    assert.match(stop.text ?? '', /Uncaught, leaving Python for the C code that called it: KeyError: 1/);
    const { frames, layout } = await r.engine.stackTrace();
    assert.equal(layout?.recognised, true, `the frame layout of ${layout?.version} is read`);
    // inner raised and ran in key's evaluation; sorted (C) entered key; the module runs in its own.
    assert.deepEqual(
      frames.map((f) => [f.name, f.line, f.entry]),
      [
        ['inner', lineOf('@raise'), false],
        ['key', lineOf('@key'), true],
        ['<module>', lineOf('@sorted'), true],
      ],
    );
    assert.equal((await r.engine.evaluate('x', 0)).value, '1', 'the raising frame\'s values');
    await r.engine.resume('continue');
    assert.equal(await r.ended, 0, 'the script caught it and went on');
  });

  test(`${python}: a step queued while C holds the GIL stops at the next line Python runs`, async () => {
    const r = await run(python, () => undefined, ['sleep']);
    await r.hello;
    while (!r.output().includes('sleeping')) await new Promise((resolve) => setTimeout(resolve, 20));
    r.engine.queueStepIn();
    assert.equal((await r.next()).reason, 'step');
    // The line after the C call, or the first line of the function it calls (3.11's tracing reads
    // the queued step at that call).
    const stack = await top(r.engine);
    assert.ok([`<module>:${lineOf('@after-sleep')}`, `main:${lineOf('@main')} <module>:${lineOf('@after-sleep')}`].includes(stack), stack);
    await r.engine.resume('continue');
    assert.equal(await r.ended, 0);
  });
}
