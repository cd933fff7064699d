// One reading per document version, shared by the hover and inlay-hint providers: the first
// requests read only their lines, the whole file is read when the editor is quiet (DocumentFacts).

import * as vscode from 'vscode';
import { EDITOR_BUDGET } from '../budget';
import { configuredTarget } from './abi-target';
import { DocumentFacts } from '../ffi/document-facts';
import type { FocusLines } from '../ffi/file';
import type { FfiFile } from '../ffi/model';

const cache = new Map<string, { version: number; target: string; facts: DocumentFacts }>();

/** When a hover or inlay hint last asked for a document: the workspace check waits for a quiet moment. */
export let lastEditorRequestAt = 0;

/** The document's FFI facts: what a request on `lines` needs, or (without lines) the whole file's. */
export function parsedDocument(document: vscode.TextDocument, lines?: FocusLines): Promise<FfiFile> {
  lastEditorRequestAt = Date.now();
  const key = document.uri.toString();
  let hit = cache.get(key);
  // The target's predefined macros decide C's #ifdefs, so a new target reads C files again.
  const target = configuredTarget();
  if (!hit || hit.version !== document.version || hit.target !== target) {
    hit?.facts.dispose();
    const { version } = document;
    // The build's preprocessor runs a compiler: only where the user trusts the workspace.
    const options = { budget: EDITOR_BUDGET, compileCommands: vscode.workspace.isTrusted, target };
    hit = { version, target, facts: new DocumentFacts(document.fileName, document.getText(), options) };
    cache.set(key, hit);
  }
  return hit.facts.get(lines);
}

export function forgetDocument(document: vscode.TextDocument): void {
  cache.get(document.uri.toString())?.facts.dispose();
  cache.delete(document.uri.toString());
}
