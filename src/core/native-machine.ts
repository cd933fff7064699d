// Memory and machine code of the debuggee, for the DAP requests of a native debugger: readMemory,
// writeMemory, disassemble. gdb reads memory only while a thread of the process is stopped, so these
// answer while stopped in C and say so otherwise.

import { ErrorCode, userError } from '../engines/common/errors';
import type { NativeEnginePort, NativeInstruction } from './engine-ports';
import type { MixedSession } from './mixed-session';

/** Memory references are absolute addresses, written `0x…`. */
export function parseAddress(reference: string, offset = 0): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(reference.trim())) throw userError(ErrorCode.MemoryUnavailable, `"${reference}" is not a memory address.`);
  const address = BigInt(reference.trim()) + BigInt(offset);
  if (address < 0n) throw userError(ErrorCode.MemoryUnavailable, `${reference}${offset} is below address 0.`);
  return address;
}

/** Reading more than this in one request is a mistake rather than a memory view. */
const MAX_READ = 1 << 20;

export class NativeMachine {
  constructor(private readonly session: MixedSession) {}

  private stoppedNative(): NativeEnginePort {
    const native = this.session.native;
    if (!native) throw userError(ErrorCode.NotStopped, 'The program is not running.');
    if (this.session.stoppedIn !== 'native') throw userError(ErrorCode.NotStopped, 'Memory and machine code are available while stopped in C.');
    return native;
  }

  async read(reference: string, offset: number, count: number): Promise<{ address: bigint; data: Uint8Array; unreadable: number }> {
    const native = this.stoppedNative();
    const address = parseAddress(reference, offset);
    const wanted = Math.max(0, Math.min(count, MAX_READ));
    const { data } = await native.readMemory(address, wanted);
    return { address, data, unreadable: wanted - data.length };
  }

  async write(reference: string, offset: number, data: Uint8Array): Promise<{ address: bigint; written: number }> {
    const native = this.stoppedNative();
    const address = parseAddress(reference, offset);
    try {
      await native.writeMemory(address, data);
    } catch (error) {
      throw userError(ErrorCode.MemoryUnavailable, `Cannot write ${data.length} bytes at 0x${address.toString(16)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { address, written: data.length };
  }

  async disassemble(reference: string, offset: number, instructionOffset: number, count: number): Promise<(NativeInstruction | { address: bigint; unreadable: true })[]> {
    const native = this.stoppedNative();
    return native.disassemble(parseAddress(reference, offset), instructionOffset, Math.max(0, Math.min(count, 4096)));
  }
}
