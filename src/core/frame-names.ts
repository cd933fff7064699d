// One name for code outside every function, whichever engine saw the frame: V8 names top-level
// code '' when paused there (live CDP frames) and gdb's walk of V8's heap has no name either. The
// source around the frame's position says whether it is top-level code (`<module>`, Python's own
// name for it) or an anonymous function (`<anonymous>`, as VS Code's JavaScript debugger shows it).

import { scriptText } from '../engines/gdb/js-positions';
import { enclosingFunctionName } from '../language/enclosing-function';
import type { StackItem } from './stitch';

export async function nameUnnamedJsFrames(items: StackItem[]): Promise<StackItem[]> {
  return Promise.all(
    items.map(async (item) => {
      if (item.kind !== 'js' || !item.unnamed || !item.path || item.line === undefined) return item;
      const text = scriptText(item.path);
      const name = text === undefined ? null : await enclosingFunctionName(item.path, text, item.line, item.column ?? 1).catch(() => null);
      return name ? { ...item, name } : item;
    }),
  );
}

/**
 * Reads the outline of a source file the stack is likely to show (the program's entry file)
 * ahead of time. The first outline also loads the language's parser (~0.1 s), which otherwise
 * holds up the first stop's stack, after the walk; started with the walk, it overlaps it.
 */
export function prepareFrameNames(path: string): void {
  const text = scriptText(path);
  if (text !== undefined) void enclosingFunctionName(path, text, 1, 1).catch(() => null);
}
