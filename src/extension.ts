// Activation: registers what this build offers — the ABI placement command, the ABI hover and
// inlay hints on FFI code, the launch configuration provider and preflight, the live ABI hover and
// frame view while stopped, and the `polyglot` debugger, whose session runs inline.

import * as vscode from 'vscode';
import { placeRequest } from './abi/contract';
import { formatPlacementTable, formatRecordLayout, recordsIn } from './abi/format';
import { AbiInputError, TARGET_IDS, type TargetId } from './abi/model';
import { hostTarget } from './abi/host';
import { PolyglotSession } from './dap/session';
import { registerAbiProviders } from './language/providers';
import { registerDebuggerUi } from './ui';

function configuredTarget(): TargetId {
  const setting = vscode.workspace.getConfiguration('polyglot').get<string>('abi.target', 'host');
  return TARGET_IDS.find((t) => t === setting) ?? hostTarget(process.platform, process.arch) ?? 'x86_64-sysv';
}

async function placePrototypeCommand(output: vscode.OutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const proto = await vscode.window.showInputBox({
    title: 'Polyglot: ABI placement',
    prompt: 'A C prototype, e.g. double scale(struct Point p, double k)',
    value: selected.trim().replace(/;$/, ''),
  });
  if (!proto) return;
  const decls = editor?.document.languageId === 'c' ? editor.document.getText() : '';
  try {
    const { placement } = placeRequest({ target: configuredTarget(), decls, proto }, { compare: true });
    const layouts = recordsIn([...placement.params.map((p) => p.type), placement.ret.type]).map(formatRecordLayout);
    output.appendLine([formatPlacementTable(placement), ...layouts].join('\n\n') + '\n');
    output.show(true);
  } catch (err) {
    const message = err instanceof AbiInputError ? err.message : String(err);
    void vscode.window.showErrorMessage(`Polyglot: cannot place "${proto}": ${message}`);
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Polyglot ABI');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('polyglot.abi.placePrototype', () => placePrototypeCommand(output)),
    registerAbiProviders(output),
    ...registerDebuggerUi(context.extensionUri),
    // The same session as the standalone adapter, run inside the extension host.
    vscode.debug.registerDebugAdapterDescriptorFactory('polyglot', {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new PolyglotSession() as unknown as vscode.DebugAdapter),
    }),
  );
}

export function deactivate(): void {
  // Nothing to tear down: every resource is in context.subscriptions.
}
