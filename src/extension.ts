// Activation: registers what this build offers — the ABI placement command, the ABI hover and
// inlay hints on FFI code, the launch configuration provider and preflight, the live ABI hover and
// frame view while stopped, and the `polyglot` debugger, whose session runs inline.

import { bundleStart } from './load-start'; // first: the modules below are evaluated after it
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { placeRequest } from './abi/contract';
import { formatPlacementTable, formatRecordLayout, recordsIn } from './abi/format';
import { AbiInputError, TARGET_IDS, type TargetId } from './abi/model';
import { hostTarget } from './abi/host';
import { PolyglotSession } from './dap/session';
import { registerAbiProviders } from './language/providers';
import { registerDebuggerUi } from './ui';

/** Evaluating the bundle's modules: the part of activation that happens before activate(). */
const loadMs = performance.now() - bundleStart;

async function selectTargetCommand(): Promise<void> {
  const current = vscode.workspace.getConfiguration('polyglot').get<string>('abi.target', 'host');
  const picked = await vscode.window.showQuickPick(
    ['host', ...TARGET_IDS].map((id) => ({ label: id, description: id === current ? 'current' : id === 'host' ? `this machine: ${hostTarget(process.platform, process.arch) ?? 'not modelled'}` : undefined })),
    { title: 'Polyglot: ABI target of hovers, inlay hints and diagnostics' },
  );
  if (picked) await vscode.workspace.getConfiguration('polyglot').update('abi.target', picked.label, vscode.ConfigurationTarget.Global);
}

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

/** What activation returns: its cost (loading the bundle plus activate()), for the tests to report. */
export interface PolyglotApi {
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PolyglotApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Polyglot ABI');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('polyglot.abi.placePrototype', () => placePrototypeCommand(output)),
    vscode.commands.registerCommand('polyglot.abi.selectTarget', selectTargetCommand),
    registerAbiProviders(output),
    ...registerDebuggerUi(context.extensionUri),
    // The same session as the standalone adapter, run inside the extension host.
    vscode.debug.registerDebugAdapterDescriptorFactory('polyglot', {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new PolyglotSession() as unknown as vscode.DebugAdapter),
    }),
  );
  const activationMs = loadMs + (performance.now() - started);
  // For the e2e test's account of where the first hover's time goes (see abi-hover-provider.ts).
  if (process.env.POLYGLOT_TIMING_FILE) {
    const file = process.env.POLYGLOT_TIMING_FILE;
    appendFileSync(file, JSON.stringify({ event: 'activated', at: Date.now(), activationMs }) + '\n');
    // How long the extension host's thread was busy (anyone's work) in the first 20 s: a timer's lateness.
    let last = Date.now();
    const sampler = setInterval(() => {
      const now = Date.now();
      if (now - last > 250) appendFileSync(file, JSON.stringify({ event: 'host-busy', at: last, ms: now - last - 100 }) + '\n');
      last = now;
    }, 100);
    setTimeout(() => clearInterval(sampler), 20_000).unref();
    sampler.unref();
  }
  return { activationMs };
}

export function deactivate(): void {
  // Nothing to tear down: every resource is in context.subscriptions.
}
