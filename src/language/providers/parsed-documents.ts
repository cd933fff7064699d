// One parse per document version, shared by the hover and inlay-hint providers.

import * as vscode from 'vscode';
import { EDITOR_BUDGET } from '../budget';
import { parseFfiFile } from '../ffi/file';
import type { FfiFile } from '../ffi/model';

const cache = new Map<string, { version: number; file: Promise<FfiFile> }>();

export function parsedDocument(document: vscode.TextDocument): Promise<FfiFile> {
  const key = document.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === document.version) return hit.file;
  // The build's preprocessor runs a compiler: only where the user trusts the workspace.
  const file = parseFfiFile(document.fileName, document.getText(), { budget: EDITOR_BUDGET, compileCommands: vscode.workspace.isTrusted });
  cache.set(key, { version: document.version, file });
  return file;
}

export function forgetDocument(document: vscode.TextDocument): void {
  cache.delete(document.uri.toString());
}
