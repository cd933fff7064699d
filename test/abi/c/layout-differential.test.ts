// Compiler-differential test of record layout: random declarations, laid out by the engine
// and by the real compilers of every target; every size, alignment, offset and bit-field
// position must agree. ABI_LAYOUT_CASES (default 300) and ABI_SEED (default 1) run more.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseC } from '../../../src/abi/c';
import type { RecordType } from '../../../src/abi/model';
import { dataModel } from '../../../src/abi/targets';
import { checkCompiler, COMPILER_SETUPS, probeLayouts, type RecordFacts } from './compiler-probe';
import { generateCase, Rng, type GeneratedCase, type ProbedRecord } from './layout-generator';

const CASES = Number(process.env['ABI_LAYOUT_CASES'] ?? 300);
const SEED = Number(process.env['ABI_SEED'] ?? 1);
const SHOWN = 12;

interface Member {
  readonly offset: number;
  readonly bitPosition?: number;
  readonly bitWidth?: number;
}

/** Named members with offsets from the record's start, looking through anonymous members. */
function membersOf(record: RecordType, base = 0, out = new Map<string, Member>()): Map<string, Member> {
  for (const field of record.fields) {
    const offset = base + field.offset;
    if (field.name === null) {
      if (field.type.kind === 'record' && field.bitWidth === undefined) membersOf(field.type, offset, out);
    } else if (field.bitWidth !== undefined) {
      out.set(field.name, { offset, bitPosition: offset * 8 + (field.bitOffset ?? 0), bitWidth: field.bitWidth });
    } else {
      out.set(field.name, { offset });
    }
  }
  return out;
}

function bitImage(size: number, member: Member): Uint8Array {
  const image = new Uint8Array(size);
  for (let bit = member.bitPosition ?? 0; bit < (member.bitPosition ?? 0) + (member.bitWidth ?? 0); bit++) {
    const byte = bit >> 3;
    if (byte < size) image[byte] = (image[byte] ?? 0) | (1 << (bit & 7));
  }
  return image;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Differences between the engine and the compiler for one record, in words. */
function compare(record: RecordType | undefined, probed: ProbedRecord, facts: RecordFacts): string[] {
  if (!record) return [`${probed.spelling}: the engine does not know it`];
  const diffs: string[] = [];
  const t = probed.spelling;
  if (record.size !== facts.size) diffs.push(`sizeof(${t}): engine ${record.size}, compiler ${facts.size}`);
  if (record.align !== facts.align) diffs.push(`_Alignof(${t}): engine ${record.align}, compiler ${facts.align}`);
  const members = membersOf(record);
  for (const [name, offset] of facts.offsets) {
    const mine = members.get(name);
    if (mine?.offset !== offset) diffs.push(`offsetof(${t}, ${name}): engine ${mine?.offset}, compiler ${offset}`);
  }
  for (const [name, image] of facts.bitImages) {
    const mine = members.get(name);
    const engine = mine ? bitImage(facts.size, mine) : new Uint8Array(0);
    if (hex(engine) !== hex(image)) diffs.push(`bit-field ${t}.${name}: engine [${hex(engine)}], compiler [${hex(image)}]`);
  }
  return diffs;
}

describe('record layout agrees with the compilers', { concurrency: COMPILER_SETUPS.length }, () => {
  for (const setup of COMPILER_SETUPS) {
    test(`${setup.target} / ${setup.compiler} (${[setup.command, ...setup.args].join(' ')})`, async () => {
      await checkCompiler(setup);
      const model = dataModel(setup.target, setup.compiler);
      // Same seed per target and compiler: both compilers of a target see the same cases.
      const rng = new Rng(SEED * 7919 + setup.target.length);
      const cases: GeneratedCase[] = [];
      for (let i = 0; i < CASES; i++) cases.push(generateCase(rng, i, model));
      const facts = await probeLayouts(setup, cases);
      const failures: string[] = [];
      let records = 0;
      cases.forEach((c, i) => {
        let program;
        try {
          program = parseC(c.decls, model);
        } catch (err) {
          failures.push(`case ${i}: the engine rejected it: ${(err as Error).message}\n${c.decls}`);
          return;
        }
        c.records.forEach((probed, j) => {
          records++;
          const diffs = compare(program.records.get(probed.spelling), probed, facts[i]?.[j] as RecordFacts);
          if (diffs.length) failures.push(`case ${i}:\n${c.decls}\n  ${diffs.join('\n  ')}`);
        });
      });
      const summary = `${setup.target}/${setup.compiler}: ${records - failures.length} of ${records} records agree (seed ${SEED}, ${CASES} cases)`;
      if (failures.length) assert.fail(`${summary}\n\n${failures.slice(0, SHOWN).join('\n\n')}${failures.length > SHOWN ? `\n… and ${failures.length - SHOWN} more` : ''}`);
      console.log(summary);
    });
  }
});
