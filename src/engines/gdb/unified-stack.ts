// The physical stack through our gdb Python command `polyglot-stack` (python/polyglot_gdb.py),
// which prints one JSON line; JS frames' script offsets become lines and columns here.

import { ErrorCode, userError } from '../common/errors';
import type { NativeFrame } from './engine-types';
import { positionInScript } from './js-positions';
import type { MiConnection } from './mi-connection';
import { str } from './mi-parser';

/**
 * The walk, and the thread's stack pointer read with it (the innermost frame's `sp`). `miCommand`:
 * gdb 13+ answers `-polyglot-stack` in its result record, written at once; through the console
 * (gdb 12) every character of the JSON is a write of its own. `afterStep`: the thread was only
 * stepped since its last walk (see gdb-engine.ts), so the helper may keep that walk's older frames.
 */
export async function readUnifiedStack(mi: MiConnection, threadId: number, options: { jsNames: boolean; miCommand: boolean; afterStep?: boolean }): Promise<{ frames: NativeFrame[]; sp?: bigint }> {
  const flags = [...(options.jsNames ? ['--js-names'] : []), ...(options.afterStep ? ['--after-step'] : [])];
  const text = options.miCommand
    ? (str((await mi.command('-polyglot-stack', '--thread', String(threadId), '--frame', '0', ...flags)).stack) ?? '')
    : await mi.consoleCommand(`polyglot-stack ${flags.join(' ')}`.trim(), { thread: threadId, frame: 0 });
  const line = text
    .split('\n')
    .filter((l) => l.startsWith('['))
    .pop();
  if (!line) throw userError(ErrorCode.Internal, `gdb did not return a stack: ${text.trim().slice(0, 300)}`);
  const frames = JSON.parse(line) as (NativeFrame & { sp?: string })[];
  const sp = frames[0]?.sp;
  if (frames[0]) delete frames[0].sp;
  for (const frame of frames) {
    if (frame.kind === 'native' && frame.fullname) frame.path = frame.fullname;
    if (frame.kind === 'js' && frame.url && frame.offset !== undefined) Object.assign(frame, positionInScript(frame.url, frame.offset));
  }
  return { frames, sp: sp === undefined ? undefined : BigInt(sp) };
}
