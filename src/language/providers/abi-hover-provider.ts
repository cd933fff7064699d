// The ABI hover on FFI declarations, calls and structs: koffi in TS/JS, ctypes in Python, C.
// The text is the CLI's (`polyglot-abi hover`); this class only adapts it to VS Code.

import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { TARGET_IDS, type TargetId } from '../../abi/model';
import { hoverMarkdown, subjectAt } from '../ffi/hover';
import { configuredTarget } from './abi-target';
import { parsedDocument } from './parsed-documents';

const SHOW_FOR_TARGET = 'polyglot.abi.hoverForTarget';

/** POLYGLOT_TIMING_FILE: when the first hover was asked and how long it took go there (the e2e test reads it). */
const timingFile = process.env.POLYGLOT_TIMING_FILE;
let firstHoverLogged = false;

/** The target of the next hover only, chosen with a link in the previous one. */
let nextHoverTarget: TargetId | undefined;

/** "Other targets: a · b" becomes links that show the same hover for that target. */
function withTargetLinks(markdown: string): vscode.MarkdownString {
  const linked = markdown.replace(/^Other targets: (.+)$/m, (_line, list: string) => {
    const links = list.split(' · ').map((target) => {
      const args = encodeURIComponent(JSON.stringify([target.trim()]));
      return `[${target.trim()}](command:${SHOW_FOR_TARGET}?${args})`;
    });
    return `Other targets: ${links.join(' · ')}`;
  });
  const text = new vscode.MarkdownString(linked);
  text.isTrusted = { enabledCommands: [SHOW_FOR_TARGET] };
  return text;
}

/** Files with FFI code. VS Code opens `.h` as C++: a header of C code is ours too. */
export const FFI_DOCUMENTS: vscode.DocumentSelector = [
  ...['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'c'].map((language) => ({ language })),
  { language: 'cpp', pattern: '**/*.h' },
];

export class AbiHoverProvider implements vscode.HoverProvider {
  static register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.languages.registerHoverProvider(FFI_DOCUMENTS, new AbiHoverProvider()),
      vscode.commands.registerCommand(SHOW_FOR_TARGET, async (target: string) => {
        nextHoverTarget = TARGET_IDS.find((t) => t === target);
        await vscode.commands.executeCommand('editor.action.showHover');
      }),
    );
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    try {
      const asked = Date.now();
      const file = await parsedDocument(document, { first: position.line, last: position.line });
      if (token.isCancellationRequested) return undefined;
      const subject = subjectAt(file, { line: position.line, character: position.character });
      if (timingFile && !firstHoverLogged) {
        firstHoverLogged = true;
        appendFileSync(timingFile, JSON.stringify({ event: 'first-hover', asked, answeredMs: Date.now() - asked, found: !!subject }) + '\n');
      }
      if (!subject) return undefined;
      const target = nextHoverTarget ?? configuredTarget();
      nextHoverTarget = undefined;
      return new vscode.Hover(withTargetLinks(hoverMarkdown(subject, { target })));
    } catch {
      return undefined; // a file we cannot read gets no hover rather than an error popup
    }
  }
}
