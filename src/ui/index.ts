// The debugger-side views of ABI insight: the live hover and the frame view.

import type * as vscode from 'vscode';
import { FrameView } from './frame-view';
import { LiveAbiHoverProvider } from './live-abi-hover';

export function registerLiveAbiViews(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [LiveAbiHoverProvider.register(), FrameView.register(extensionUri)];
}
