// The frame the user has selected in a stopped `polyglot` session, and what the adapter says of
// it: its ABI picture (polyglot/frameAbi), its source position, values of expressions in it.
// Answers are cached per selected frame: hovers ask often, the program does not move meanwhile.

import * as vscode from 'vscode';
import type { FrameAbi } from '../core/frame-abi';

export interface SelectedFrame {
  session: vscode.DebugSession;
  threadId: number;
  frameId: number;
}

export function selectedPolyglotFrame(): SelectedFrame | undefined {
  const item = vscode.debug.activeStackItem;
  if (!(item instanceof vscode.DebugStackFrame) || item.session.type !== 'polyglot') return undefined;
  return { session: item.session, threadId: item.threadId, frameId: item.frameId };
}

const abiCache = new Map<string, Promise<FrameAbi | null>>();
const keyOf = (frame: SelectedFrame): string => `${frame.session.id}:${frame.frameId}`;

export function forgetFrames(): void {
  abiCache.clear();
}

/** The ABI picture of the frame; null when it is not a C frame the adapter can place. */
export function frameAbiOf(frame: SelectedFrame): Promise<FrameAbi | null> {
  const key = keyOf(frame);
  let answer = abiCache.get(key);
  if (!answer) {
    answer = Promise.resolve(frame.session.customRequest('polyglot/frameAbi', { frameId: frame.frameId }))
      .then((body: { abi?: FrameAbi | null }) => body?.abi ?? null)
      .catch(() => null);
    abiCache.set(key, answer);
  }
  return answer;
}

/** The selected frame's source file and 1-based line. */
export async function framePosition(frame: SelectedFrame): Promise<{ path: string; line: number } | undefined> {
  const trace = (await frame.session.customRequest('stackTrace', { threadId: frame.threadId })) as { stackFrames: { id: number; line: number; source?: { path?: string } }[] };
  const found = trace.stackFrames.find((f) => f.id === frame.frameId);
  const path = found?.source?.path;
  if (!path) return undefined;
  // In a remote window VS Code hands paths back as URIs of the remote (vscode-remote://host/path).
  return { path: /^[a-z][\w+.-]*:\/\//i.test(path) ? vscode.Uri.parse(path).path : path, line: found.line };
}

/** The value of `expression` in the frame, or the adapter's reason for having none. */
export async function evaluateIn(frame: SelectedFrame, expression: string): Promise<string> {
  try {
    const body = (await frame.session.customRequest('evaluate', { expression, frameId: frame.frameId, context: 'hover' })) as { result: string };
    return body.result;
  } catch (error) {
    return `(${error instanceof Error ? error.message : String(error)})`;
  }
}
