// The debugger side of the extension's UI: the launch experience, the live ABI hover, the frame
// view and the process picker of attach configurations.

import type * as vscode from 'vscode';
import { PolyglotConfigurationProvider } from './debug-configuration';
import { FrameView } from './frame-view';
import { LiveAbiHoverProvider } from './live-abi-hover';
import { registerProcessPicker } from './process-picker';

export function registerDebuggerUi(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [PolyglotConfigurationProvider.register(), LiveAbiHoverProvider.register(), FrameView.register(extensionUri), registerProcessPicker()];
}
