// The ABI hover on FFI declarations, calls and structs: koffi in TS/JS, ctypes in Python, C.
// The text is the CLI's (`polyglot-abi hover`); this class only adapts it to VS Code.

import * as vscode from 'vscode';
import { hoverMarkdown, subjectAt } from '../ffi-hover';
import { configuredTarget } from './abi-target';
import { parsedDocument } from './parsed-documents';

export const FFI_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'c'];

export class AbiHoverProvider implements vscode.HoverProvider {
  static register(): vscode.Disposable {
    return vscode.languages.registerHoverProvider(FFI_LANGUAGES, new AbiHoverProvider());
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    try {
      const file = await parsedDocument(document);
      if (token.isCancellationRequested) return undefined;
      const subject = subjectAt(file, { line: position.line, character: position.character });
      if (!subject) return undefined;
      return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(subject, { target: configuredTarget() })));
    } catch {
      return undefined; // a file we cannot read gets no hover rather than an error popup
    }
  }
}
