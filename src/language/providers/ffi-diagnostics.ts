// Mismatch diagnostics: every koffi/ctypes declaration in the workspace compared with the C
// prototype found in the workspace's .c/.h files (the same check as `polyglot-abi check`),
// refreshed on save; a quick fix rewrites a koffi or ctypes declaration from the C prototype.

import * as vscode from 'vscode';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteCtypesDeclaration, rewriteKoffiDeclaration } from '../ffi/fix';
import { checkTree, type LocatedMismatch } from '../ffi/workspace';
import { EDITOR_BUDGET } from '../budget';
import { configuredTarget } from './abi-target';
import { lastEditorRequestAt } from './parsed-documents';

const SOURCE = 'polyglot-abi';
const RELEVANT = /\.(ts|tsx|js|mjs|cjs|py|c|h)$/;

/** The mismatch behind each of our diagnostics, for the quick fix. */
const wanted = new WeakMap<vscode.Diagnostic, LocatedMismatch>();

/** The declaration rewritten to match C, or null when this declaration cannot be rewritten. */
function rewritten(document: vscode.TextDocument, range: vscode.Range, mismatch: LocatedMismatch): string | null {
  const text = document.getText(range);
  if (document.languageId !== 'python') return rewriteKoffiDeclaration(text, mismatch.cPrototype);
  return mismatch.ctypes ? rewriteCtypesDeclaration(text, mismatch.ctypes) : null;
}

export class FfiDiagnostics implements vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private timer: NodeJS.Timeout | undefined;

  static register(log: vscode.OutputChannel): vscode.Disposable {
    const diagnostics = new FfiDiagnostics(log);
    // The first check of the whole workspace loads every language's grammar and parses every file
    // (seconds on a loaded machine, in chunks that hold the extension host's thread for up to a
    // second): it waits for a quiet moment, so the first hovers and inlay hints of the file just
    // opened are not queued behind it (measured by test/e2e/workbench.test.ts).
    diagnostics.firstCheckWhenQuiet(Date.now());
    return vscode.Disposable.from(
      diagnostics.collection,
      vscode.workspace.onDidSaveTextDocument((document) => RELEVANT.test(document.fileName) && diagnostics.schedule()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('polyglot.abi.target') && diagnostics.schedule()),
      vscode.languages.registerCodeActionsProvider(['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'python'], diagnostics, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
      { dispose: () => clearTimeout(diagnostics.timer) },
    );
  }

  private constructor(private readonly log: vscode.OutputChannel) {}

  /** The first check: once the editor's first hover or hints are served and 2 s pass quiet (at most 20 s after activation). */
  private firstCheckWhenQuiet(activatedAt: number): void {
    this.timer = setTimeout(() => {
      const waiting = lastEditorRequestAt === 0 || Date.now() - lastEditorRequestAt < 2_000;
      const busy = waiting && Date.now() - activatedAt < 20_000;
      if (busy) this.firstCheckWhenQuiet(activatedAt);
      else void this.refresh();
    }, Date.now() - activatedAt < 3_000 ? 3_000 : 1_000);
  }

  private schedule(delayMs = 400): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    const started = Date.now();
    try {
      await this.check();
    } finally {
      // For the e2e test's account of where the first hover's time goes (see abi-hover-provider.ts).
      if (process.env.POLYGLOT_TIMING_FILE) appendFileSync(process.env.POLYGLOT_TIMING_FILE, JSON.stringify({ event: 'workspace-check', at: started, ms: Date.now() - started }) + '\n');
    }
  }

  private async check(): Promise<void> {
    const target = configuredTarget();
    this.collection.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        const byFile = new Map<string, vscode.Diagnostic[]>();
        for (const mismatch of await checkTree(folder.uri.fsPath, target, { budget: EDITOR_BUDGET, compileCommands: vscode.workspace.isTrusted })) {
          const { start, end } = mismatch.range;
          const breaks = mismatch.breaksOn.length > 0 ? ` Breaks on ${mismatch.breaksOn.join(', ')}.` : ' The call works on every modelled target; the values mean something else.';
          const diagnostic = new vscode.Diagnostic(
            new vscode.Range(start.line, start.character, end.line, end.character),
            `${mismatch.function} does not match its C prototype: ${mismatch.differences.join('; ')}.${breaks}\ndeclared: ${mismatch.foreignPrototype}\nC:        ${mismatch.cPrototype}`,
            mismatch.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Hint,
          );
          if (mismatch.cLocation) {
            const c = mismatch.cLocation.range;
            diagnostic.relatedInformation = [
              new vscode.DiagnosticRelatedInformation(
                new vscode.Location(vscode.Uri.file(join(folder.uri.fsPath, mismatch.cLocation.path)), new vscode.Range(c.start.line, c.start.character, c.end.line, c.end.character)),
                `the C prototype: ${mismatch.cPrototype}`,
              ),
            ];
          }
          diagnostic.source = SOURCE;
          wanted.set(diagnostic, mismatch);
          const path = join(folder.uri.fsPath, mismatch.path);
          byFile.set(path, [...(byFile.get(path) ?? []), diagnostic]);
        }
        for (const [path, list] of byFile) this.collection.set(vscode.Uri.file(path), list);
      } catch (error) {
        this.log.appendLine(`FFI check of ${folder.uri.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === SOURCE && wanted.has(d))
      .flatMap((diagnostic) => {
        const mismatch = wanted.get(diagnostic)!;
        const replacement = rewritten(document, diagnostic.range, mismatch);
        if (replacement === null) return [];
        const action = new vscode.CodeAction(`Declare as the C prototype: ${mismatch.cPrototype}`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, replacement);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        return [action];
      });
  }
}
