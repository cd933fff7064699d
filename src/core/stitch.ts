// One stack in true order from the frames of two engines. gdb's physical walk says where the
// language boundaries are; JS frames get their names from V8 (when stopped in C) or are the live
// CDP frames (when stopped in JS), matched in order to the walk's JS slots. Pure, for tests.

import { ANONYMOUS_NAME } from '../language/enclosing-function';
import type { JsCallFrame, PhysicalFrame } from './engine-ports';

export type StackItem =
  | {
      kind: 'c';
      name: string;
      path?: string;
      line?: number;
      pc: string;
      /** gdb's frame level when gdb can address the frame (values are available). */
      level?: number;
      /** Below a paused JS or Python frame: gdb can address it once it holds the thread (inspect.ts). */
      readableWhileHeld?: boolean;
      /** No source: a library or runtime frame, shown de-emphasised. */
      subtle?: boolean;
      skipped?: boolean;
    }
  /** `unnamed`: V8 gave no name (top-level code or an anonymous function; see frame-names.ts). */
  | { kind: 'js'; name: string; unnamed?: boolean; url?: string; path?: string; line?: number; column?: number; live?: JsCallFrame; skipped?: boolean }
  /** `agentFrameId`: the Python agent's frame, when it is stopped there and can show values. */
  | { kind: 'py'; name: string; path: string; line: number; agentFrameId?: number; skipped?: boolean }
  | { kind: 'label'; name: string; boundary: Boundary }
  /** Frames that could not be read (and why), or where the walk ended early: said, never hidden. */
  | { kind: 'note'; name: string };

/** Caller language → callee language. */
/** `js-to-py`: TypeScript calling libpython's embedding API itself through koffi (no C of the user's between). */
export type Boundary = 'js-to-c' | 'c-to-js' | 'c-to-py' | 'py-to-c' | 'js-to-py';

export type MapToOriginal = (url: string, line: number, column: number) => { path: string; line: number; column: number } | undefined;

// Direction first, mechanism after: the CALL STACK cuts long rows at its right edge (about 35
// characters at the default 300 px sidebar), and the direction is what a reader looks for.
export const JS_TO_C_LABEL = 'JS → C (koffi)';
export const C_TO_JS_LABEL = 'C → JS (koffi callback)';
export const C_TO_PY_LABEL = 'C → Python (embedded)';
export const PY_TO_C_LABEL = 'Python → C (ctypes)';
export const JS_TO_PY_LABEL = 'JS → Python (koffi)';

const LABELS: Record<Boundary, string> = { 'js-to-c': JS_TO_C_LABEL, 'c-to-js': C_TO_JS_LABEL, 'c-to-py': C_TO_PY_LABEL, 'py-to-c': PY_TO_C_LABEL, 'js-to-py': JS_TO_PY_LABEL };
const LANGUAGE = { c: 'c', js: 'js', py: 'py' } as const;

function jsItem(name: string | undefined, url: string | undefined, line: number | undefined, column: number | undefined, map: MapToOriginal, live?: JsCallFrame): StackItem {
  const mapped = url && line !== undefined ? map(url, line, column ?? 1) : undefined;
  const path = mapped?.path ?? (url ? urlToPath(url) : undefined);
  return {
    kind: 'js',
    name: name || ANONYMOUS_NAME,
    unnamed: !name || undefined,
    url,
    path,
    line: mapped?.line ?? line,
    column: mapped?.column ?? column,
    live,
  };
}

export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) return decodeURIComponent(new URL(url).pathname);
  if (url.startsWith('/')) return url;
  return undefined;
}

/** Appends `item`, with a boundary label first when it changes language from the previous item. */
function push(items: StackItem[], item: StackItem): void {
  const previous = [...items].reverse().find((i): i is Exclude<StackItem, { kind: 'label' | 'note' }> => i.kind !== 'label' && i.kind !== 'note');
  if (previous && item.kind !== 'label' && item.kind !== 'note' && previous.kind !== item.kind) {
    // Walking outwards: the item is the caller, the previous one the callee (C above JS: JS called C).
    const boundary = `${LANGUAGE[item.kind]}-to-${LANGUAGE[previous.kind]}` as Boundary;
    if (boundary in LABELS) items.push({ kind: 'label', name: LABELS[boundary], boundary });
  }
  items.push(item);
}

/** A notice or an early end of the walk, as a row of its own. */
function noteItem(frame: Extract<PhysicalFrame, { kind: 'notice' | 'walk-stopped' }>): StackItem {
  return { kind: 'note', name: frame.kind === 'notice' ? frame.reason : `Stack walk stopped here: ${frame.reason}` };
}

function pyItem(frame: Extract<PhysicalFrame, { kind: 'python' }>): StackItem {
  return { kind: 'py', name: frame.name, path: frame.path, line: frame.line, agentFrameId: frame.agentFrameId };
}

/**
 * Which C frames without a source still belong in the stack: the user's own code built without
 * -g (by its library), shown by symbol name like any C frame. Others without source are runtime
 * plumbing (node, koffi, libffi, libpython's internals).
 */
export interface StitchOptions {
  isUserModule?: (module: string | undefined) => boolean;
}

type NativePhysical = Extract<PhysicalFrame, { kind: 'native' }>;

function userWithoutSource(frame: NativePhysical, options: StitchOptions): boolean {
  return !frame.path && !!frame.func && (options.isUserModule?.(frame.module) ?? false);
}

function cItem(frame: NativePhysical, addressable: boolean, options: StitchOptions = {}): StackItem {
  return {
    kind: 'c',
    name: frame.func ?? frame.pc,
    path: frame.path,
    line: frame.line,
    pc: frame.pc,
    level: addressable ? frame.level : undefined,
    readableWhileHeld: !addressable && frame.level !== undefined ? true : undefined,
    subtle: frame.path || userWithoutSource(frame, options) ? undefined : true,
  };
}

/**
 * Stopped in C: every frame comes from the walk. Frames without source are kept only at the
 * very top (a crash inside libc is worth seeing); elsewhere they are runtime plumbing.
 */
export function stitchNativeStop(physical: readonly PhysicalFrame[], map: MapToOriginal, options: StitchOptions = {}): StackItem[] {
  const items: StackItem[] = [];
  for (const frame of physical) {
    if (frame.kind === 'native') {
      const atTop = items.every((i) => i.kind === 'c' && i.subtle);
      if (frame.path || atTop || userWithoutSource(frame, options)) push(items, cItem(frame, true, options));
    } else if (frame.kind === 'js') {
      push(items, jsItem(frame.name, frame.url, frame.line, frame.column, map));
    } else if (frame.kind === 'python') {
      push(items, pyItem(frame));
    } else if (frame.kind === 'notice' || frame.kind === 'walk-stopped') {
      push(items, noteItem(frame));
    }
  }
  return dropLeadingSubtle(items);
}

/**
 * Stopped in Python: the agent's frames (already in place, see python-stitch.ts) and every other
 * frame from the walk; C frames are shown without values (the thread runs Python code).
 */
export function stitchPythonStop(physical: readonly PhysicalFrame[], map: MapToOriginal, options: StitchOptions = {}): StackItem[] {
  const items: StackItem[] = [];
  for (const frame of physical) {
    if (frame.kind === 'python') push(items, pyItem(frame));
    else if (items.length === 0) continue; // the agent's own waiting, above the user's frame
    else if (frame.kind === 'native' && (frame.path || userWithoutSource(frame, options))) push(items, cItem(frame, false, options));
    else if (frame.kind === 'js') push(items, jsItem(frame.name, frame.url, frame.line, frame.column, map));
    else if (frame.kind === 'notice' || frame.kind === 'walk-stopped') push(items, noteItem(frame));
  }
  return items;
}

/** Subtle frames above the first real frame are kept only if a real C frame follows them directly. */
function dropLeadingSubtle(items: StackItem[]): StackItem[] {
  const firstReal = items.findIndex((i) => !(i.kind === 'c' && i.subtle));
  if (firstReal <= 0) return items;
  return items[firstReal]?.kind === 'c' ? items : items.slice(firstReal);
}

/**
 * Stopped in JS: the live CDP frames, in order, with the C segments the walk found between them.
 * Without a walk (no native code involved) the CDP frames are the whole stack.
 */
export function stitchJsStop(live: readonly JsCallFrame[], physical: readonly PhysicalFrame[] | undefined, map: MapToOriginal, options: StitchOptions = {}): StackItem[] {
  const liveItem = (frame: JsCallFrame) => jsItem(frame.functionName, frame.url, frame.line, frame.column, map, frame);
  if (!physical) return live.map(liveItem);
  const items: StackItem[] = [];
  let next = 0;
  let seenJs = false;
  for (const frame of physical) {
    if (frame.kind === 'js') {
      const match = live[next];
      if (!match) continue;
      next++;
      seenJs = true;
      push(items, liveItem(match));
    } else if (frame.kind === 'native' && (frame.path || userWithoutSource(frame, options)) && seenJs) {
      // C frames further down than a paused JS frame: gdb cannot address them once the thread runs on.
      push(items, cItem(frame, false, options));
    } else if (frame.kind === 'python' && seenJs) {
      push(items, pyItem(frame));
    } else if (frame.kind === 'walk-stopped' && seenJs) {
      push(items, noteItem(frame));
    }
  }
  for (const frame of live.slice(next)) push(items, liveItem(frame));
  return items;
}
