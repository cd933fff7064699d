// Inlay hints before each argument of an FFI call: `rdi:`, `xmm0:`, `stack+8:`, `&rdx:`.
// `polyglot.abi.inlayHints` turns them off; changing it or the target refreshes them.

import * as vscode from 'vscode';
import { ffiHints } from '../ffi/hints';
import { FFI_DOCUMENTS } from './abi-hover-provider';
import { configuredTarget } from './abi-target';
import { parsedDocument } from './parsed-documents';

export class AbiInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  static register(): vscode.Disposable {
    const provider = new AbiInlayHintsProvider();
    return vscode.Disposable.from(
      provider.changed,
      vscode.languages.registerInlayHintsProvider(FFI_DOCUMENTS, provider),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('polyglot.abi')) provider.changed.fire();
      }),
    );
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    if (!vscode.workspace.getConfiguration('polyglot').get<boolean>('abi.inlayHints', true)) return [];
    try {
      const file = await parsedDocument(document, { first: range.start.line, last: range.end.line });
      if (token.isCancellationRequested) return [];
      return ffiHints(file, { target: configuredTarget() }, { first: range.start.line, last: range.end.line }).map((hint) => {
        const inlay = new vscode.InlayHint(new vscode.Position(hint.position.line, hint.position.character), hint.label, vscode.InlayHintKind.Parameter);
        inlay.tooltip = hint.tooltip;
        inlay.paddingRight = true;
        return inlay;
      });
    } catch {
      return [];
    }
  }
}
