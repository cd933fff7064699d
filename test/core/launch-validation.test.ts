// Launch and attach input checked before anything starts: each error names the attribute and what
// to do. Kinds of program from the file itself; breakpoints that cannot exist refused with why.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs build script, no types
import { buildCHostExample } from '../../examples/chost/build.mjs';
// @ts-expect-error: a plain .mjs build script, no types
import { buildPyHostExample } from '../../examples/pyhost/build.mjs';
import { breakpointLineProblem } from '../../src/core/breakpoint-lines';
import { checkNativeProgram, hostKindOf } from '../../src/core/host-kind';
import { validateAttachConfig, validateLaunchConfig } from '../../src/core/launch-config';
import { resolvePythonInterpreter } from '../../src/core/python-interpreter';

const chost = buildCHostExample() as { program: string; root: string; cSource: string };
const pyhost = buildPyHostExample() as { lib: string; program: string };

test('attributes of the wrong type are refused, naming the attribute, what it must be and what it is', () => {
  assert.throws(() => validateLaunchConfig({ program: 'a.js', env: ['A=1'] }), /"env" must be an object of strings .*; it is an array/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', env: { A: 1 } }), /"env" must be an object of strings/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', args: 'one two' }), /"args" must be an array of strings; it is the string "one two"/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', stopOnEntry: 'yes' }), /"stopOnEntry" must be true or false/);
  assert.throws(() => validateLaunchConfig({ program: 3 }), /"program" must be the path of the program/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', cwd: '/nowhere/at/all' }), /"cwd" must be an existing directory; \/nowhere\/at\/all does not exist/);
  assert.throws(() => validateLaunchConfig({ program: 'a.js', cwd: chost.cSource }), /"cwd" must be a directory; .* is a file/);
  assert.deepEqual(validateLaunchConfig({ program: 'a.js', env: { A: '1', B: null } }).env, { A: '1', B: null });
  assert.throws(() => validateAttachConfig({ processId: 'abc' }), /"processId" must be the id of a running process/);
  assert.equal(validateAttachConfig({ processId: ' 42 ' }).pid, 42);
});

test('the kind of program comes from the file: node, Python, native; anything else is refused with what program must be', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-kinds-'));
  try {
    assert.equal(hostKindOf(chost.program), 'native');
    assert.equal(hostKindOf(pyhost.program), 'python');
    writeFileSync(join(dir, 'app.ts'), '');
    assert.equal(hostKindOf(join(dir, 'app.ts')), 'node');
    writeFileSync(join(dir, 'tool'), '#!/usr/bin/env python3\nprint(1)\n');
    assert.equal(hostKindOf(join(dir, 'tool')), 'python');
    assert.throws(() => hostKindOf(dir), /"program" is the directory .*; it must be a file/);
    assert.throws(() => hostKindOf(join(dir, 'missing')), /does not exist.*"program"/);
    assert.throws(() => hostKindOf(pyhost.lib), /shared library or object file, not a program/);
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    assert.throws(() => hostKindOf(join(dir, 'notes.txt')), /none of the programs Polyglot Debug runs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stripped executable is refused with how to rebuild it; one without -g gets a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-strip-'));
  try {
    const stripped = join(dir, 'host-stripped');
    copyFileSync(chost.program, stripped);
    execFileSync('strip', [stripped]);
    chmodSync(stripped, 0o755);
    assert.throws(() => checkNativeProgram(stripped), /stripped .* Rebuild it with `-g` and without `-s` or `strip`/);
    const noDebug = join(dir, 'host-nodebug');
    copyFileSync(chost.program, noDebug);
    execFileSync('strip', ['--strip-debug', noDebug]);
    assert.match(checkNativeProgram(noDebug).warning ?? '', /no debug information/);
    assert.equal(checkNativeProgram(chost.program).warning, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Python interpreter: a launcher script resolves to the real binary; a missing one names "python"', () => {
  const found = resolvePythonInterpreter(undefined, process.cwd());
  assert.match(found, /python3/);
  assert.throws(() => resolvePythonInterpreter('/nowhere/python3', process.cwd()), /"python".*not found/);
  assert.throws(() => resolvePythonInterpreter(undefined, process.cwd(), { PATH: '/nowhere' }), /python3 was not found on PATH.*"python"/);
});

test('breakpoints that cannot exist say why: no such file, line 0, past the end', () => {
  assert.match(breakpointLineProblem('/nowhere/x.c', 3) ?? '', /does not exist/);
  assert.match(breakpointLineProblem(chost.cSource, 0) ?? '', /Line 0 is not a line of host\.c/);
  assert.match(breakpointLineProblem(chost.cSource, 100_000) ?? '', /Line 100000 is past the end of host\.c, which has \d+ lines/);
  assert.equal(breakpointLineProblem(chost.cSource, 1), undefined);
});
