// Native-debugger requests on a C frame of the real example: the live ABI picture of the call
// (arguments read where the ABI put them, captured at the function's first instruction), the
// Registers scope saying which argument each register carried, disassembly with source lines,
// memory reads and writes, instruction steps and instruction breakpoints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluateTop, example, finish, launchWith, lineOf, startClient, stopped, topFrame } from './harness';

const ex = example();

// DebugClient has no typed helpers for these requests.
const readMemory = async (client: DebugClient, args: DebugProtocol.ReadMemoryArguments) => ((await client.send('readMemory', args)) as DebugProtocol.ReadMemoryResponse).body!;
const writeMemory = async (client: DebugClient, args: DebugProtocol.WriteMemoryArguments) => ((await client.send('writeMemory', args)) as DebugProtocol.WriteMemoryResponse).body!;
const setInstructionBreakpoints = async (client: DebugClient, args: DebugProtocol.SetInstructionBreakpointsArguments) =>
  ((await client.send('setInstructionBreakpoints', args)) as DebugProtocol.SetInstructionBreakpointsResponse).body.breakpoints;

interface FrameAbiBody {
  abi: {
    function: string;
    source: string;
    cfa?: string;
    returnAddress?: string;
    params: { name: string; type: string; pieces: { loc: string; bytes?: string }[]; value?: string }[];
    ret: { type: string; pieces: { loc: string }[] };
  } | null;
}

test('the ABI picture of a C call made through koffi: each argument where the ABI put it, with its value', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@scale-len') }]);
    await stopped(client, 'breakpoint');
    const top = await topFrame(client);
    const { abi } = (await client.customRequest('polyglot/frameAbi', { frameId: top.id })).body as FrameAbiBody;
    assert.ok(abi, 'scene_scale is placed');
    assert.equal(abi.function, 'scene_scale');
    assert.equal(abi.source, 'snapshot');
    // TS called scene_scale({ x: 3, y: 4 }, 2): Point in xmm0+xmm1, k in xmm2 (System V).
    assert.deepEqual(
      abi.params.map((p) => [p.name, p.pieces.map((piece) => piece.loc).join('+'), p.value]),
      [
        ['p', 'xmm0+xmm1', '{x = 3, y = 4}'],
        ['k', 'xmm2', '2'],
      ],
    );
    assert.equal(abi.params[1]!.pieces[0]!.bytes, '00 00 00 00 00 00 00 40', 'the double 2.0, little-endian');
    assert.deepEqual(abi.ret.pieces.map((p) => p.loc), ['xmm0']);
    // The return address lies inside koffi's call stub, the CFA in the stack.
    assert.match(abi.returnAddress ?? '', /^0x[0-9a-f]+$/);
    assert.equal(BigInt(abi.cfa!) % 8n, 0n);

    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    const registers = scopes.find((s) => s.presentationHint === 'registers')!;
    const regs = new Map((await client.variablesRequest({ variablesReference: registers.variablesReference })).body.variables.map((r) => [r.name, r.value]));
    assert.match(regs.get('xmm0') ?? '', /← p: Point bytes 0–7 \(\{x = 3, y = 4\} at the call\)$/);
    assert.match(regs.get('xmm2') ?? '', /← k: double \(2 at the call\)$/);
  } finally {
    await finish(client);
  }
});

test('disassembly, memory, instruction steps and instruction breakpoints in a C frame', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@scale-len') }]);
    await stopped(client, 'breakpoint');
    const top = await topFrame(client);
    const pc = top.instructionPointerReference!;
    assert.match(pc, /^0x[0-9a-f]+$/);

    const around = (await client.disassembleRequest({ memoryReference: pc, instructionOffset: -4, instructionCount: 12 })).body!.instructions;
    assert.equal(around.length, 12);
    assert.equal(BigInt(around[4]!.address), BigInt(pc), 'the instruction at the pc is the fifth');
    const here = around[4]!;
    assert.ok(here.instruction.length > 0 && here.instructionBytes, `decoded: ${JSON.stringify(here)}`);
    assert.equal(here.location?.path, ex.cSource);
    assert.equal(here.line, lineOf(ex.cSource, '@scale-len'));
    for (let i = 1; i < around.length; i++) assert.ok(BigInt(around[i]!.address) > BigInt(around[i - 1]!.address), 'addresses ascend');

    // The bytes at the pc are the instruction's encoding.
    const code = await readMemory(client, { memoryReference: pc, count: 4 });
    assert.equal(BigInt(code.address), BigInt(pc));
    assert.equal(Buffer.from(code.data!, 'base64').toString('hex'), here.instructionBytes!.replace(/ /g, '').slice(0, 8));

    // Writing the bytes of a double into k changes what C sees.
    const kAddress = await evaluateTop(client, '&k');
    const reference = /0x[0-9a-f]+/.exec(kAddress)![0];
    const ten = Buffer.alloc(8);
    ten.writeDoubleLE(10);
    const written = await writeMemory(client, { memoryReference: reference, data: ten.toString('base64') });
    assert.equal(written.bytesWritten, 8);
    assert.equal(await evaluateTop(client, 'k'), '10');

    // One instruction at a time: the pc moves to the next instruction of the listing.
    const stepped = stopped(client, 'step');
    await client.nextRequest({ threadId: 1, granularity: 'instruction' } as DebugProtocol.NextArguments);
    await stepped;
    assert.equal(BigInt((await topFrame(client)).instructionPointerReference!), BigInt(around[5]!.address));

    // A breakpoint on an instruction further down stops there.
    const target = around[8]!.address;
    const set = await setInstructionBreakpoints(client, { breakpoints: [{ instructionReference: target }] });
    assert.equal(set[0]?.verified, true, set[0]?.message);
    const hit = stopped(client, 'instruction breakpoint');
    await client.continueRequest({ threadId: 1 });
    await hit;
    assert.equal(BigInt((await topFrame(client)).instructionPointerReference!), BigInt(target));
  } finally {
    await finish(client);
  }
});

test('memory requests explain themselves when they cannot be answered', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@scale-len') }]);
    await stopped(client, 'breakpoint');
    await assert.rejects(readMemory(client, { memoryReference: 'main+3', count: 4 }), /not a memory address/);
    const unmapped = await readMemory(client, { memoryReference: '0x8', count: 16 });
    assert.equal(unmapped.unreadableBytes, 16);
  } finally {
    await finish(client);
  }
});
