// Stack items as DAP frames, presented the way VS Code's JavaScript debugger presents its own:
// node's internal modules as `<node_internals>/…` sources, and frames of skipped files (skipFiles)
// greyed (`subtle`) with a `deemphasize` source, which the CALL STACK folds when several follow
// one another ("Show N More Stack Frames").

import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'node:path';
import { nodeInternalsPath } from '../core/skip-files';
import type { StackItem } from '../core/stitch';
import { labelText } from './labels';

export const SKIPPED_ORIGIN = 'Skipped by skipFiles';

/** Numbers for sources that have no file (node's internal modules), stable for the session. */
export class SourceReferences {
  private readonly byUrl = new Map<string, number>();
  private readonly urls: string[] = [];

  refFor(url: string): number {
    let ref = this.byUrl.get(url);
    if (ref === undefined) {
      this.urls.push(url);
      ref = this.urls.length;
      this.byUrl.set(url, ref);
    }
    return ref;
  }

  urlOf(ref: number): string | undefined {
    return this.urls[ref - 1];
  }
}

function sourceOf(item: Exclude<StackItem, { kind: 'label' | 'note' }>, refs: SourceReferences): DebugProtocol.Source | undefined {
  const internal = item.kind === 'js' && !item.path ? nodeInternalsPath(item.url) : undefined;
  let source: DebugProtocol.Source | undefined;
  // Python code run from a string (PyRun_SimpleString) has a pseudo file name such as `<string>`.
  if (item.path && !/^<.*>$/.test(basename(item.path))) source = { name: basename(item.path), path: item.path };
  else if (internal && item.kind === 'js' && item.url) source = { name: internal, sourceReference: refs.refFor(item.url), origin: 'internal module' };
  if (source && item.skipped) {
    source.presentationHint = 'deemphasize';
    source.origin = SKIPPED_ORIGIN;
  }
  return source;
}

export function toDapFrame(id: number, item: StackItem, refs: SourceReferences): DebugProtocol.StackFrame {
  if (item.kind === 'label') return { id, name: labelText(item), line: 0, column: 0, presentationHint: 'label' };
  if (item.kind === 'note') return { id, name: item.name, line: 0, column: 0, presentationHint: 'label' };
  const frame: DebugProtocol.StackFrame = { id, name: item.name, source: sourceOf(item, refs), line: item.line ?? 0, column: item.kind === 'js' ? (item.column ?? 1) : 1 };
  if ((item.kind === 'c' && item.subtle) || item.skipped) frame.presentationHint = 'subtle';
  if (item.kind === 'c') frame.instructionPointerReference = item.pc;
  return frame;
}
