// One parse per document version, shared by the hover and inlay-hint providers.

import * as vscode from 'vscode';
import { EDITOR_BUDGET } from '../budget';
import { configuredTarget } from './abi-target';
import { parseFfiFile } from '../ffi/file';
import type { FfiFile } from '../ffi/model';

const cache = new Map<string, { version: number; target: string; file: Promise<FfiFile> }>();

/** When a hover or inlay hint last asked for a document: the workspace check waits for a quiet moment. */
export let lastEditorRequestAt = 0;

export function parsedDocument(document: vscode.TextDocument): Promise<FfiFile> {
  lastEditorRequestAt = Date.now();
  const key = document.uri.toString();
  const hit = cache.get(key);
  // The target's predefined macros decide C's #ifdefs, so a new target reads C files again.
  const target = configuredTarget();
  if (hit && hit.version === document.version && hit.target === target) return hit.file;
  // The build's preprocessor runs a compiler: only where the user trusts the workspace.
  const file = parseFfiFile(document.fileName, document.getText(), { budget: EDITOR_BUDGET, compileCommands: vscode.workspace.isTrusted, target });
  cache.set(key, { version: document.version, target, file });
  return file;
}

export function forgetDocument(document: vscode.TextDocument): void {
  cache.delete(document.uri.toString());
}
