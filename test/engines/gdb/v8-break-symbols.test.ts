// The functions a step out of C calls to make V8 pause (polyglot_v8_break.py), found in the export
// tables of node and libc rather than by gdb's search: the same addresses as gdb's, on the
// debuggee node (each node of the stack matrix), with gdb asked only for what a node does not
// export (node 24 keeps BreakRightNow local).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { GdbEngine } from '../../../src/engines/gdb/gdb-engine';
import { debuggeeNode } from '../../debuggee-node';
import { buildFixtures, stopInInner, type BuiltFixtures } from './helpers';

const NAMES = {
  breakRightNow: '_ZN2v85debug13BreakRightNowEPNS_7IsolateENS_4base7EnumSetINS0_11BreakReasonEiEE',
  isolateGetCurrent: '_ZN2v87Isolate10GetCurrentEv',
  mmap: 'mmap',
};

let built: BuiltFixtures;
let engine: GdbEngine | undefined;

before(() => {
  built = buildFixtures();
});
after(async () => {
  await engine?.dispose();
  built.remove();
});

function exportedByNode(name: string): boolean {
  const out = execFileSync('nm', ['-D', '--defined-only', debuggeeNode], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return out.split('\n').some((line) => line.trim().split(/\s+/)[2] === name);
}

test("the V8 break's functions are where gdb says, read from the files' exports", async () => {
  engine = await GdbEngine.start({});
  engine.on('fatal', (error) => assert.fail(`gdb failed: ${error.message}`));
  const gdb = engine;
  const threadId = await stopInInner(gdb, built);

  const text = await gdb.mi.consoleCommand('polyglot-v8-break-symbols', { thread: threadId, frame: 0 });
  const ours = JSON.parse(text.trim()) as Record<keyof typeof NAMES, string | null>;
  const sources = JSON.parse((await gdb.mi.consoleCommand('python import json, polyglot_v8_break; print(json.dumps(polyglot_v8_break.last_sources))')).trim()) as Record<string, string>;
  for (const [key, name] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
    const theirs = await gdb.mi.command('-data-evaluate-expression', '--thread', String(threadId), '--frame', '0', `(long)&${name}`);
    assert.equal(ours[key] === null ? null : BigInt(ours[key]!), BigInt(String(theirs.value)), `${key}: ours ${ours[key]}, gdb's ${String(theirs.value)}`);
  }
  assert.equal(sources.isolateGetCurrent, 'exports', 'node exports Isolate::GetCurrent');
  assert.equal(sources.mmap, 'exports', 'libc exports mmap');
  assert.equal(sources.breakRightNow, exportedByNode(NAMES.breakRightNow) ? 'exports' : 'gdb');
});
