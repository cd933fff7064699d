// The shapes the gdb engine hands out: stops, breakpoints, stack frames, values, and its events.
// Locations carry gdb's own names (file as compiled, fullname absolute); `path` repeats fullname.

import type { GdbVariable } from './var-objects';

export interface GdbFrameLocation {
  func?: string;
  /** The file name as the compiler recorded it. */
  file?: string;
  /** Absolute path of the source, when gdb found it. */
  fullname?: string;
  line?: number;
  addr?: string;
}

export interface GdbStop {
  threadId: number;
  /** gdb's reason: breakpoint-hit, end-stepping-range, function-finished, signal-received, … */
  reason: string;
  frame?: GdbFrameLocation;
  /** The same place with `path` = fullname (what src/core reads). */
  location?: { func?: string; path?: string; line?: number; addr?: string };
  breakpointNumber?: number;
  signalName?: string;
  signalMeaning?: string;
}

export interface GdbBreakpoint {
  number: number;
  /** Set but not yet in any loaded code (e.g. a library not loaded yet). */
  pending: boolean;
  file?: string;
  /** Absolute path, when gdb knows it (alias of fullname). */
  path?: string;
  line?: number;
  func?: string;
  addr?: string;
}

export type BreakpointLocation = { file: string; line: number } | { path: string; line: number } | { function: string } | { address: string };

export interface BreakpointOptions {
  condition?: string;
  ignoreCount?: number;
  temporary?: boolean;
}

/** One frame of a thread's physical stack, innermost first. */
export type NativeFrame =
  | {
      kind: 'native';
      pc: string;
      func?: string;
      file?: string;
      fullname?: string;
      /** Alias of fullname. */
      path?: string;
      line?: number;
      /** The shared library holding pc; absent for the main executable. */
      module?: string;
      /** gdb's frame level, when gdb can address the frame (values are available). */
      level?: number;
    }
  | {
      kind: 'js';
      pc: string;
      /** V8's frame pointer of the frame. */
      fp?: string;
      name?: string;
      /** The script's name as V8 knows it: a path (CommonJS) or a file:// URL (ES modules). */
      url?: string;
      /** Character offset of the running call in the script. */
      offset?: number;
      /** 1-based. */
      line?: number;
      /** 1-based. */
      column?: number;
      /** Why the frame could not be read from V8's heap. */
      error?: string;
    }
  /** V8 stub, entry and exit frames: machinery, hidden from users. */
  | { kind: 'v8-internal'; pc: string }
  /** koffi's SwitchAndRelay: the frames below ran JavaScript that called into C. */
  | { kind: 'koffi-switch'; pc: string }
  /** koffi's TrampolineN: the frames above are a JavaScript callback that C called. */
  | { kind: 'koffi-trampoline'; pc: string }
  /** Frames that could not be read here and why (e.g. a V8 whose heap layout is not recognised). */
  | { kind: 'notice'; reason: string }
  /** The walk could go no further: the frames after this point are unknown, and why. */
  | { kind: 'walk-stopped'; reason: string };

/** Kept for older imports. */
export type GdbFrame = NativeFrame;

export interface GdbExit {
  exitCode?: number;
  signal?: string;
}

export interface LaunchOptions {
  program: string;
  args: string[];
  cwd: string;
  /** Added to gdb's environment; null removes a variable. */
  env: Record<string, string | null>;
  /** A terminal for the program's stdio; without one the engine relays it ('output', writeInput). */
  tty?: string;
}

export interface GdbEngineEvents {
  stopped: [GdbStop];
  running: [{ threadId?: number; allThreads: boolean }];
  exited: [GdbExit];
  output: [string];
  console: [string];
  'library-loaded': [{ path: string }];
  'breakpoint-modified': [GdbBreakpoint];
  /** A pending breakpoint found its code (also reported as breakpoint-modified). */
  'breakpoint-resolved': [GdbBreakpoint];
  fatal: [Error];
}

export type { GdbVariable };

/** What an entry snapshot reads on a function's first instruction (polyglot_entry.py). */
export interface EntryCapture {
  /** Argument registers, read whole (vector registers: 128 bits). */
  registers: readonly string[];
  stackPointer: string;
  /** Canonical frame address minus the stack pointer at the first instruction. */
  entryCfaOffset: number;
  /** Where the return address is when it is not on the stack (AArch64: x30). */
  linkRegister?: string;
  /** Bytes of the incoming stack argument area read from the CFA on. */
  stackBytes: number;
  /** By-reference arguments: where the pointer is (a register or `stack+N`) and how much it points at. */
  pointees: readonly { loc: string; size: number }[];
}

/** One call's entry snapshot as gdb recorded it. */
export interface EntryRecord {
  func: string;
  cfa: bigint;
  returnAddress?: bigint;
  registers: Map<string, bigint>;
  stack: Uint8Array;
  pointees: Map<bigint, Uint8Array>;
}
