// The editor side of ABI insight, registered at activation.

import * as vscode from 'vscode';
import { AbiHoverProvider } from './abi-hover-provider';
import { AbiInlayHintsProvider } from './abi-inlay-hints-provider';
import { FfiDiagnostics } from './ffi-diagnostics';
import { forgetDocument } from './parsed-documents';
import { warmParsers, type GrammarId } from '../syntax';

/** The grammar of the document that activated us first, then the others. */
function grammarsToWarm(): GrammarId[] {
  const all: GrammarId[] = ['typescript', 'python', 'javascript', 'c', 'tsx'];
  const active = vscode.window.activeTextEditor?.document.languageId;
  const first: GrammarId | undefined = active === 'typescript' || active === 'python' || active === 'javascript' || active === 'c' ? active : undefined;
  return first ? [first, ...all.filter((g) => g !== first)] : all;
}

export function registerAbiProviders(log: vscode.OutputChannel): vscode.Disposable {
  // Not awaited: activation goes on; a hover that comes first waits for its grammar as before.
  warmParsers(grammarsToWarm()).catch((err: unknown) => log.appendLine(`ABI parsers could not be warmed up: ${String(err)}`));
  return vscode.Disposable.from(
    AbiHoverProvider.register(),
    AbiInlayHintsProvider.register(),
    FfiDiagnostics.register(log),
    vscode.workspace.onDidCloseTextDocument(forgetDocument),
  );
}
