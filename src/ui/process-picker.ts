// `${command:pickProcess}` for attach configurations: a quick pick of this user's processes, with
// what can be debugged in each; the chosen process id, or undefined (the launch is cancelled).

import * as vscode from 'vscode';
import { attachableProcesses } from '../core/process-list';

const KIND_LABEL = { node: 'node (JS/TS · C)', python: 'Python · C', native: 'C/C++' } as const;

export async function pickProcess(): Promise<string | undefined> {
  if (process.platform !== 'linux') {
    void vscode.window.showErrorMessage('Polyglot Debug attaches to processes on Linux only.');
    return undefined;
  }
  const items = attachableProcesses().map((p) => ({
    label: `${p.pid}`,
    description: KIND_LABEL[p.kind],
    detail: p.command.length > 200 ? p.command.slice(0, 200) + '…' : p.command,
    pid: p.pid,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Polyglot: attach to a process',
    placeHolder: 'Type a process id or part of a command line',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked ? String(picked.pid) : undefined;
}

export function registerProcessPicker(): vscode.Disposable {
  return vscode.commands.registerCommand('polyglot.pickProcess', pickProcess);
}
