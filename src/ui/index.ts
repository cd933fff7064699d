// The debugger side of the extension's UI: the launch experience, the live ABI hover and the
// frame view.

import type * as vscode from 'vscode';
import { PolyglotConfigurationProvider } from './debug-configuration';
import { FrameView } from './frame-view';
import { LiveAbiHoverProvider } from './live-abi-hover';

export function registerDebuggerUi(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [PolyglotConfigurationProvider.register(), LiveAbiHoverProvider.register(), FrameView.register(extensionUri)];
}
