// How the gdb engine fails: a gdb too old, gdb dying mid-command, and the launch errors users see.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, PolyglotError } from '../../../src/engines/common/errors';
import { GdbEngine } from '../../../src/engines/gdb/gdb-engine';
import { launchError } from '../../../src/engines/gdb/launch-errors';
import { MiCommandError } from '../../../src/engines/gdb/mi-connection';
import { nextEvent } from './helpers';

test('a gdb older than 12 is refused with the version found', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-old-gdb-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in that answers every MI command like gdb 11.2 would answer `show version`.
  const fake = join(dir, 'gdb');
  writeFileSync(
    fake,
    `#!${process.execPath}\n` +
      `require('readline').createInterface({ input: process.stdin }).on('line', (line) => {\n` +
      `  const token = /^\\d+/.exec(line)?.[0] ?? '';\n` +
      `  if (line.includes('-gdb-exit')) process.exit(0);\n` +
      `  process.stdout.write('~"GNU gdb (Debian 11.2-1) 11.2\\\\n"\\n' + token + '^done\\n(gdb) \\n');\n` +
      `});\n`,
  );
  chmodSync(fake, 0o755);
  await assert.rejects(GdbEngine.start({ gdbPath: fake }), (error: PolyglotError) => {
    assert.equal(error.code, ErrorCode.GdbTooOld);
    assert.match(error.message, /gdb 11\.2 is too old.*12 or newer/);
    return true;
  });
});

test('gdb dying fails pending commands at once and reports fatal', async () => {
  const engine = await GdbEngine.start({});
  const fatal = nextEvent<Error>(engine, 'fatal');
  // A command gdb will not answer before it dies.
  const pending = engine.consoleCommand('python import time; time.sleep(5)');
  engine.mi.process.kill('SIGKILL');
  await assert.rejects(pending, (error: PolyglotError) => error.code === ErrorCode.EngineExited && /gdb exited unexpectedly.*SIGKILL/.test(error.message));
  assert.match((await fatal).message, /gdb exited unexpectedly/);
  await assert.rejects(engine.command('-gdb-version'), (error: PolyglotError) => error.code === ErrorCode.EngineExited);
  await engine.dispose();
});

test('an MI error names the command and says what gdb said', async () => {
  const engine = await GdbEngine.start({});
  try {
    await assert.rejects(engine.command('-data-evaluate-expression', 'no_such + 1'), (error: MiCommandError) => {
      assert.match(error.message, /^gdb: -data-evaluate-expression "no_such \+ 1": No symbol/);
      assert.match(error.gdbMessage, /^No symbol/);
      return true;
    });
  } finally {
    await engine.dispose();
  }
});

test('launch errors say what to do', () => {
  const refused = launchError('/usr/bin/node', new MiCommandError('-exec-run').withGdbMessage('Could not trace the inferior process.'));
  assert.equal(refused.code, ErrorCode.PtraceNotPermitted);
  assert.match(refused.message, /ptrace_scope.*--cap-add=SYS_PTRACE/);
  const ptrace = launchError('/usr/bin/node', new MiCommandError('-exec-run').withGdbMessage('ptrace: Operation not permitted.'));
  assert.equal(ptrace.code, ErrorCode.PtraceNotPermitted);
  const missing = launchError('/nope', new MiCommandError('-exec-run').withGdbMessage('/nope: No such file or directory.'));
  assert.equal(missing.code, ErrorCode.ProgramNotFound);
});

test("gdb's internal error aborts the command, not the session: the message names it, the next command works", async () => {
  const engine = await GdbEngine.start({});
  let fatal: Error | undefined;
  engine.on('fatal', (error) => (fatal = error));
  try {
    // `maint internal-error` is gdb's own way to raise one, as its dwarf2 reader does on some -O2 DWARF.
    await assert.rejects(engine.consoleCommand('maint internal-error reading a DWARF expression'), (error: MiCommandError) => {
      assert.match(error.gdbMessage, /^gdb error \(internal error in maint\.c:\d+\): reading a DWARF expression$/);
      return true;
    });
    // A warning neither asks nor quits: the command goes on.
    await engine.consoleCommand('maint internal-warning a warning');
    const after = await engine.command('-data-evaluate-expression', '6*7');
    assert.equal(after.value, '42');
    assert.equal(fatal, undefined);
    assert.equal(engine.mi.isClosed, false);
  } finally {
    await engine.dispose();
  }
});
