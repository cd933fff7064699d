// The editor side of ABI insight, registered at activation.

import * as vscode from 'vscode';
import { AbiHoverProvider } from './abi-hover-provider';
import { AbiInlayHintsProvider } from './abi-inlay-hints-provider';
import { FfiDiagnostics } from './ffi-diagnostics';
import { forgetDocument } from './parsed-documents';

export function registerAbiProviders(log: vscode.OutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    AbiHoverProvider.register(),
    AbiInlayHintsProvider.register(),
    FfiDiagnostics.register(log),
    vscode.workspace.onDidCloseTextDocument(forgetDocument),
  );
}
