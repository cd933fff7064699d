// MI results turned into the engine's types: breakpoints (-break-insert, =breakpoint-*) and stops.

import type { BreakpointLocation, BreakpointOptions, GdbBreakpoint, GdbExit, GdbStop } from './engine-types';
import { list, num, str, tuple, type MiTuple, type MiValue } from './mi-parser';

/** Arguments of -break-insert; -f keeps a location gdb cannot find yet as a pending breakpoint. */
export function breakInsertArgs(location: BreakpointLocation, options: BreakpointOptions): string[] {
  const args = ['-f'];
  if (options.temporary) args.push('-t');
  if (options.condition) args.push('-c', options.condition);
  if (options.ignoreCount) args.push('-i', String(options.ignoreCount));
  if ('line' in location) args.push('--source', 'file' in location ? location.file : location.path, '--line', String(location.line));
  else if ('function' in location) args.push('--function', location.function);
  else args.push(`*${location.address}`);
  return args;
}

export function toBreakpoint(value: MiValue | undefined): GdbBreakpoint | undefined {
  const bkpt = tuple(value) ?? tuple(list(value)[0]);
  const number = num(bkpt?.number);
  if (!bkpt || number === undefined) return undefined;
  const addr = str(bkpt.addr);
  // With several locations (inlined code, templates) the first one carries file and line.
  const where = addr === '<MULTIPLE>' ? (tuple(list(bkpt.locations)[0]) ?? bkpt) : bkpt;
  const fullname = str(where.fullname);
  return {
    number,
    pending: addr === '<PENDING>' || str(bkpt.pending) !== undefined,
    file: str(where.file),
    path: fullname,
    line: num(where.line),
    func: str(where.func),
    addr: addr === '<PENDING>' ? undefined : str(where.addr),
  };
}

/** gdb prints exit codes in octal ("07", "0377"). */
function exitCode(results: MiTuple): number | undefined {
  const code = str(results['exit-code']);
  return code === undefined ? undefined : parseInt(code, 8);
}

/** The process ended: from `*stopped,reason="exited…"` (null when the stop is not an exit). */
export function toExit(results: MiTuple): GdbExit | null {
  switch (str(results.reason)) {
    case 'exited-normally':
      return { exitCode: 0 };
    case 'exited':
      return { exitCode: exitCode(results) };
    case 'exited-signalled':
      return { signal: str(results['signal-name']) };
    default:
      return null;
  }
}

export function toStop(results: MiTuple, fallbackThreadId: number): GdbStop {
  const frame = tuple(results.frame);
  const func = str(frame?.func);
  const fullname = str(frame?.fullname);
  const line = num(frame?.line);
  const addr = str(frame?.addr);
  return {
    threadId: num(results['thread-id']) ?? fallbackThreadId,
    reason: str(results.reason) ?? 'unknown',
    frame: frame ? { func, file: str(frame.file), fullname, line, addr } : undefined,
    location: frame ? { func, path: fullname, line, addr } : undefined,
    breakpointNumber: num(results.bkptno),
    signalName: str(results['signal-name']),
    signalMeaning: str(results['signal-meaning']),
  };
}
