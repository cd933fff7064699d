// The launch experience: a configuration proposed for the open TypeScript/JavaScript file (F5
// without a launch.json, or "Add Configuration…"), and a preflight before a session starts that
// names what is missing with the command that installs it.

import * as vscode from 'vscode';
import { proposeLaunch } from '../core/launch-proposal';
import { preflight } from '../core/preflight';

const COPY = 'Copy command';

export class PolyglotConfigurationProvider implements vscode.DebugConfigurationProvider {
  static register(): vscode.Disposable {
    const provider = new PolyglotConfigurationProvider();
    return vscode.Disposable.from(
      vscode.debug.registerDebugConfigurationProvider('polyglot', provider),
      vscode.debug.registerDebugConfigurationProvider('polyglot', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    );
  }

  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const proposal = this.proposalForActiveFile(folder);
    return proposal ? [proposal] : [];
  }

  /** F5 with no launch.json arrives here with an empty configuration. */
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (config.type || config.request || config.name) return config;
    const proposal = this.proposalForActiveFile(folder);
    if (proposal) return proposal;
    void vscode.window.showInformationMessage('Polyglot Debug: open the TypeScript or JavaScript file to debug (the program that loads your C library with koffi), then press F5.');
    return undefined;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const cwd = typeof config.cwd === 'string' ? config.cwd : (folder?.uri.fsPath ?? process.cwd());
    const problems = preflight({ cwd, gdbPath: config.gdbPath, runtimeExecutable: config.runtimeExecutable });
    if (problems.length === 0) return config;
    for (const problem of problems) {
      const choice = await vscode.window.showErrorMessage(`Polyglot Debug cannot start: ${problem.message}${problem.fix ? ` Fix: ${problem.fix}` : ''}`, ...(problem.fix ? [COPY] : []));
      if (choice === COPY && problem.fix) await vscode.env.clipboard.writeText(problem.fix);
    }
    return undefined; // abort: VS Code shows nothing more
  }

  private proposalForActiveFile(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration | undefined {
    const document = vscode.window.activeTextEditor?.document;
    const root = folder ?? (document ? vscode.workspace.getWorkspaceFolder(document.uri) : undefined);
    if (!document || document.uri.scheme !== 'file' || !root) return undefined;
    const proposal = proposeLaunch(document.uri.fsPath, root.uri.fsPath);
    return proposal ? { ...proposal } : undefined;
  }
}
