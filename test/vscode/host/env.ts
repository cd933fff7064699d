// What the node:test file outside hands the extension host, and small helpers shared by the cases.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';

function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these tests through test/vscode/ext-host.test.ts`);
  return value;
}

/** The repository (the extension under test is loaded from it). */
export const repo = required('POLYGLOT_REPO');
/** The workspace folder VS Code opened: copies of the ABI example and of the mismatch fixtures. */
export const workspace = required('POLYGLOT_WORKSPACE');
/** The node that runs the debuggee (the extension host's own node may be newer than we support). */
export const debuggeeNode = required('POLYGLOT_DEBUGGEE_NODE');

export const EXTENSION_ID = 'polyglot-debug.polyglot-debug';

/** What `polyglot-abi` (the shipped CLI) prints for the same question. */
export function cli(...args: string[]): string {
  try {
    return execFileSync(process.execPath, [join(repo, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    if (typeof stdout === 'string' && stdout) return stdout; // `check` exits 1 when it finds mismatches
    throw error;
  }
}

/** 0-based position of the first `marker` in `document` (after `after`, if given). */
export function positionOf(document: vscode.TextDocument, marker: string, after = ''): vscode.Position {
  const text = document.getText();
  const index = text.indexOf(marker, after ? Math.max(0, text.indexOf(after)) : 0);
  assert.ok(index >= 0, `${marker} not found in ${document.fileName}`);
  return document.positionAt(index);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function open(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(workspace, relativePath)));
  await vscode.window.showTextDocument(document);
  return document;
}

/** A picture of the workbench as it is now, taken by the runner outside (see code-server.ts). */
export async function screenshot(name: string, settleMs = 0): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, settleMs)); // e.g. a webview still loading
  console.log(`polyglot-screenshot:${name}`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

/** The next stack frame VS Code selects: the top of the next stop. Arm it before the stop. */
export function nextStop(): Promise<vscode.DebugStackFrame> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item instanceof vscode.DebugStackFrame) {
        listener.dispose();
        resolve(item);
      }
    });
  });
}

/** Stops a debug session and waits until VS Code has ended it. */
export async function stopSession(session: vscode.DebugSession): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    const listener = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id !== session.id) return;
      listener.dispose();
      resolve();
    });
  });
  await vscode.debug.stopDebugging(session);
  await ended;
}
