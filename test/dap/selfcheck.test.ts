// The self-check of issue 7: a generated C library of many signatures, each function called through
// koffi with known values, a function breakpoint on every one; at each stop the arguments decoded
// from the locations the ABI engine predicts must equal the values the caller passed. This proves
// the engine (and the entry snapshots) against the live process, not against our reading of the ABI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { finish, startClient, stopped, topFrame } from './harness';
import { generateSelfCheck } from './selfcheck/generate';

const FUNCTIONS = 40;

interface FrameAbiBody {
  abi: { function: string; source: string; params: { name: string; value?: string; pieces: { loc: string }[] }[]; sret: unknown } | null;
}

test(`arguments of ${FUNCTIONS} generated signatures, read where the ABI engine says, equal what the caller passed`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-selfcheck-'));
  const generated = generateSelfCheck(20261204, FUNCTIONS);
  writeFileSync(join(dir, 'selfcheck.c'), generated.c);
  writeFileSync(join(dir, 'selfcheck.js'), generated.js);
  execFileSync('gcc', ['-g', '-O0', '-fPIC', '-shared', '-o', join(dir, 'libselfcheck.so'), join(dir, 'selfcheck.c')]);
  const koffi = createRequire(import.meta.url).resolve('koffi');
  const client = await startClient();
  let onStack = 0;
  let withSret = 0;
  try {
    await client.initializeRequest({ adapterID: 'polyglot', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const configured = client.waitForEvent('initialized').then(async () => {
      await client.setFunctionBreakpointsRequest({ breakpoints: generated.expected.map((e) => ({ name: e.function })) });
      await client.configurationDoneRequest();
    });
    await Promise.all([configured, client.launch({ program: join(dir, 'selfcheck.js'), cwd: dir, env: { SELFCHECK_KOFFI: koffi } } as never)]);
    for (const expected of generated.expected) {
      await stopped(client, 'function breakpoint');
      const top = await topFrame(client);
      assert.equal(top.name, expected.function);
      const { abi } = (await client.customRequest('polyglot/frameAbi', { frameId: top.id })).body as FrameAbiBody;
      assert.ok(abi, `${expected.function} is placed`);
      assert.equal(abi.source, 'snapshot', `${expected.function}: the values at the call were captured`);
      assert.deepEqual(abi.params.map((p) => p.value), expected.values, `${expected.function}: ${abi.params.map((p) => `${p.name}@${p.pieces.map((x) => x.loc).join('+')}`).join(', ')}`);
      onStack += abi.params.filter((p) => p.pieces.some((x) => x.loc.startsWith('stack'))).length;
      if (abi.sret) withSret++;
      await client.continueRequest({ threadId: 1 });
    }
    t.diagnostic(`${FUNCTIONS} functions, ${generated.expected.reduce((n, e) => n + e.values.length, 0)} arguments, ${onStack} on the stack, ${withSret} calls with a hidden sret pointer`);
    assert.ok(onStack > 0 && withSret > 0, 'the signatures exercise the stack and sret');
  } finally {
    await finish(client);
    rmSync(dir, { recursive: true, force: true });
  }
});
