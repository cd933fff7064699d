// "Polyglot: Show ABI frame": a webview with the picture of the selected call's frame — live while
// a `polyglot` session is stopped in C (it follows the selected stack frame), the static layout of
// the FFI function at the cursor otherwise — and a switch between the ABI targets.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { TARGET_IDS, type TargetId } from '../abi/model';
import { describeFrame, type FrameAbi } from '../core/frame-abi';
import { placeFunction, subjectAt } from '../language/ffi/hover';
import type { FfiCall, FfiFunction } from '../language/ffi/model';
import { configuredTarget } from '../language/providers/abi-target';
import { parsedDocument } from '../language/providers/parsed-documents';
import { emptyBody, frameBody, framePage } from './frame-html';
import { frameAbiOf, selectedPolyglotFrame } from './stopped-frame';

export const SHOW_FRAME_COMMAND = 'polyglot.abi.showFrame';

/** What the view shows; the command returns it too, so tests and other extensions can read it. */
export interface FrameViewState {
  abi: FrameAbi | null;
  message?: string;
}

export class FrameView {
  private panel: vscode.WebviewPanel | undefined;
  /** The function shown statically (from the editor), for target switches. */
  private staticSubject: { fn: FfiFunction; call: FfiCall | null } | undefined;
  private state: FrameViewState = { abi: null };
  /** The first render writes the page; later ones message its script, which keeps keyboard focus. */
  private pageLoaded = false;

  static register(extensionUri: vscode.Uri): vscode.Disposable {
    const view = new FrameView(extensionUri);
    return vscode.Disposable.from(
      vscode.commands.registerCommand(SHOW_FRAME_COMMAND, () => view.show()),
      vscode.debug.onDidChangeActiveStackItem(() => view.panel && void view.refresh()),
      { dispose: () => view.panel?.dispose() },
    );
  }

  private constructor(private readonly extensionUri: vscode.Uri) {}

  async show(): Promise<FrameViewState> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('polyglot.abiFrame', 'ABI frame', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: { type?: string; target?: string }) => {
        const target = TARGET_IDS.find((t) => t === message.target);
        if (message.type === 'target' && target) void this.refresh(target);
      });
      this.pageLoaded = false;
    } else {
      this.panel.reveal(undefined, true);
    }
    return this.refresh();
  }

  private assets(webview: vscode.Webview): { cspSource: string; nonce: string; styleUri: string; scriptUri: string } {
    const media = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', file)).toString();
    return { cspSource: webview.cspSource, nonce: randomBytes(16).toString('base64'), styleUri: media('frame-view.css'), scriptUri: media('frame-view.js') };
  }

  private async refresh(target?: TargetId): Promise<FrameViewState> {
    this.state = await this.compute(target);
    const body = this.state.abi ? frameBody(this.state.abi, TARGET_IDS) : emptyBody(this.state.message ?? '');
    if (!this.panel) return this.state;
    if (this.pageLoaded) await this.panel.webview.postMessage({ type: 'render', body });
    else this.panel.webview.html = framePage(body, this.assets(this.panel.webview));
    this.pageLoaded = true;
    return this.state;
  }

  private async compute(target: TargetId | undefined): Promise<FrameViewState> {
    const frame = selectedPolyglotFrame();
    const live = frame ? await frameAbiOf(frame) : null;
    if (live && (!target || target === live.target)) {
      this.staticSubject = undefined;
      return { abi: live };
    }
    const subject = live ? await this.subjectNamed(live.function) : await this.subjectAtCursor();
    if (!subject) {
      return { abi: null, message: 'Stop in a C function, or put the cursor on an FFI declaration or call, then run "Polyglot: Show ABI frame".' };
    }
    this.staticSubject = subject;
    try {
      const chosen = target ?? configuredTarget();
      const placement = placeFunction(subject.fn, subject.call, { target: chosen });
      const note = live ? `Static layout on ${chosen}; live values are shown for ${live.target}, where the program runs.` : 'Static layout: live values appear while stopped in this function.';
      return { abi: describeFrame({ fn: subject.fn, placement }, null, 'none', note) };
    } catch (error) {
      return { abi: null, message: `Cannot place ${subject.fn.name}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private async subjectAtCursor(): Promise<{ fn: FfiFunction; call: FfiCall | null } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return this.staticSubject;
    const at = { line: editor.selection.active.line, character: editor.selection.active.character };
    const subject = subjectAt(await parsedDocument(editor.document, { first: at.line, last: at.line }), at);
    return subject?.kind === 'function' ? { fn: subject.fn, call: subject.call } : this.staticSubject;
  }

  private async subjectNamed(name: string): Promise<{ fn: FfiFunction; call: FfiCall | null } | undefined> {
    if (this.staticSubject?.fn.name === name) return this.staticSubject;
    const editor = vscode.window.activeTextEditor;
    const file = editor ? await parsedDocument(editor.document) : undefined;
    const fn = file?.functions.find((f) => f.name === name);
    return fn ? { fn, call: null } : undefined;
  }
}
