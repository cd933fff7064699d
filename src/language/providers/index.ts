// The editor side of ABI insight, registered at activation.

import * as vscode from 'vscode';
import { AbiHoverProvider } from './abi-hover-provider';
import { AbiInlayHintsProvider } from './abi-inlay-hints-provider';
import { forgetDocument } from './parsed-documents';

export function registerAbiProviders(): vscode.Disposable {
  return vscode.Disposable.from(AbiHoverProvider.register(), AbiInlayHintsProvider.register(), vscode.workspace.onDidCloseTextDocument(forgetDocument));
}
