// Values read back from ABI locations: memory images assembled from register, stack and
// by-reference pieces, and decoded as C types laid out by the ABI engine (bit-fields included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseC } from '../../src/abi/c';
import { dataModel } from '../../src/abi/targets';
import { assemble, decodeValue, formatFloat32, registerBytes, type MachineContents } from '../../src/core/abi-values';

const program = parseC(
  'struct Bits { unsigned kind : 4; int delta : 4; short count; }; struct Pt { double x; float y; char tag; };',
  dataModel('x86_64-sysv'),
);
const type = (text: string) => program.typeName(text);

function contents(registers: Record<string, bigint>, stack: number[] = [], pointees: [bigint, number[]][] = []): MachineContents {
  return { registers: new Map(Object.entries(registers)), stack: Uint8Array.from(stack), pointees: new Map(pointees.map(([p, b]) => [p, Uint8Array.from(b)])) };
}

const f64 = (value: number): number[] => [...Buffer.from(new Float64Array([value]).buffer)];

test('scalars decode per type: signedness, width, float vs double, char, bool, pointers', () => {
  assert.equal(decodeValue(type('int'), registerBytes(0xfffffffen, 4)), '-2');
  assert.equal(decodeValue(type('unsigned int'), registerBytes(0xfffffffen, 4)), '4294967294');
  assert.equal(decodeValue(type('char'), registerBytes(65n, 1)), "65 'A'");
  assert.equal(decodeValue(type('_Bool'), registerBytes(1n, 1)), 'true');
  assert.equal(decodeValue(type('float'), Uint8Array.from(Buffer.from(new Float32Array([0.1]).buffer))), '0.1');
  assert.equal(decodeValue(type('double'), Uint8Array.from(f64(-2.5))), '-2.5');
  assert.equal(decodeValue(type('const char *'), registerBytes(0x7ffe1234n, 8)), '0x7ffe1234');
  assert.equal(formatFloat32(Math.fround(3.3)), '3.3');
});

test('a struct split over two registers is reassembled, bit-fields included', () => {
  // struct Bits: kind = 5 (bits 0–3), delta = -3 (bits 4–7), count = 300 at byte 2; one eightbyte in rdi.
  const bits = 5n | (13n << 4n) | (300n << 16n);
  const image = assemble(4, [{ offset: 0, size: 4, loc: 'rdi' }], contents({ rdi: bits }));
  assert.equal(decodeValue(type('struct Bits'), image!), '{kind = 5, delta = -3, count = 300}');
  // struct Pt: x in xmm0, y and tag in rdi (SSE + INTEGER).
  const pt = assemble(16, [{ offset: 0, size: 8, loc: 'xmm0' }, { offset: 8, size: 8, loc: 'rdi' }], contents({
    xmm0: BigInt.asUintN(64, new BigInt64Array(new Float64Array([1.5]).buffer)[0]!),
    rdi: BigInt(new Uint32Array(new Float32Array([-4]).buffer)[0]!) | (66n << 32n),
  }));
  assert.equal(decodeValue(type('struct Pt'), pt!), "{x = 1.5, y = -4, tag = 66 'B'}");
});

test('stack pieces read the incoming argument area; by-reference pieces follow the pointer', () => {
  const onStack = assemble(8, [{ offset: 0, size: 8, loc: 'stack+8' }], contents({}, [...Array(8).fill(0), ...f64(6.25)]));
  assert.equal(decodeValue(type('double'), onStack!), '6.25');
  const byRef = assemble(8, [{ offset: 0, size: 8, loc: 'rcx', indirect: true }], contents({ rcx: 0x1000n }, [], [[0x1000n, f64(7)]]));
  assert.equal(decodeValue(type('double'), byRef!), '7');
  assert.equal(assemble(8, [{ offset: 0, size: 8, loc: 'stack+64' }], contents({})), null, 'outside what was read: unknown, not zero');
  assert.equal(assemble(8, [{ offset: 0, size: 8, loc: 'r9' }], contents({})), null);
});
