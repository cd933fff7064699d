// The launch experience: a configuration proposed for the open file (F5 without a launch.json, or
// "Add Configuration…") — TypeScript/JavaScript, a Python script, or a C/C++ source whose
// executable is in the workspace — the Python extension's interpreter for a .py program, and a
// preflight before a session starts that names what is missing with the command that installs it.

import * as vscode from 'vscode';
import { hostKindOf } from '../core/host-kind';
import { proposeLaunch, whyNoProposal } from '../core/launch-proposal';
import { preflight } from '../core/preflight';
import { selectedPythonInterpreter } from './python-extension';

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
    const file = vscode.window.activeTextEditor?.document.uri;
    void vscode.window.showInformationMessage(`Polyglot Debug: ${whyNoProposal(file?.scheme === 'file' ? file.fsPath : '')}`);
    return undefined;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const cwd = typeof config.cwd === 'string' ? config.cwd : (folder?.uri.fsPath ?? process.cwd());
    const kind = config.request === 'attach' ? 'attach' : programKind(config.program);
    if (kind === 'python' && config.python === undefined) {
      const selected = await selectedPythonInterpreter(folder?.uri);
      if (selected) config.python = selected;
    }
    const problems = preflight({ cwd, kind, python: config.python, gdbPath: config.gdbPath, runtimeExecutable: config.runtimeExecutable });
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

/** The kind of program, when it can be told; otherwise node (the adapter reports a bad program itself). */
function programKind(program: unknown): 'node' | 'python' | 'native' {
  if (typeof program !== 'string') return 'node';
  try {
    return hostKindOf(program);
  } catch {
    return 'node';
  }
}
