// The live half of the ABI hover, while a `polyglot` session is stopped: on a C function whose
// call is the selected frame, what each argument location held at the call; on a call (C, koffi,
// ctypes) on the stopped line, its argument expressions evaluated in the current frame beside the
// location each goes to. VS Code shows it under the static hover of abi-hover-provider.ts.

import * as vscode from 'vscode';
import { shortLocation } from '../abi/format';
import { placeFunction, subjectAt } from '../language/ffi/hover';
import { FFI_DOCUMENTS } from '../language/providers/abi-hover-provider';
import { configuredTarget } from '../language/providers/abi-target';
import { parsedDocument } from '../language/providers/parsed-documents';
import type { FfiCall, FfiFunction } from '../language/ffi/model';
import { evaluatedCallMarkdown, liveFrameMarkdown, type EvaluatedArgument } from './live-abi-markdown';
import { evaluateIn, forgetFrames, frameAbiOf, framePosition, selectedPolyglotFrame, type SelectedFrame } from './stopped-frame';

/** A hover must not run the program's code: calls, assignments, increments. */
const HAS_SIDE_EFFECTS = /[\w$\])]\s*\(|\+\+|--|(^|[^=!<>])=(?!=)/;

export class LiveAbiHoverProvider implements vscode.HoverProvider {
  static register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.languages.registerHoverProvider(FFI_DOCUMENTS, new LiveAbiHoverProvider()),
      vscode.debug.onDidChangeActiveStackItem(forgetFrames),
    );
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const frame = selectedPolyglotFrame();
    if (!frame) return undefined;
    try {
      const subject = subjectAt(await parsedDocument(document, { first: position.line, last: position.line }), { line: position.line, character: position.character });
      if (subject?.kind !== 'function') return undefined;
      const parts: string[] = [];
      const abi = await frameAbiOf(frame);
      if (abi && abi.function === subject.fn.name) parts.push(liveFrameMarkdown(abi));
      if (subject.call && !token.isCancellationRequested) {
        const evaluated = await this.callOnStoppedLine(document, frame, subject.fn, subject.call);
        if (evaluated) parts.push(evaluated);
      }
      return parts.length > 0 ? new vscode.Hover(parts.map((p) => new vscode.MarkdownString(p))) : undefined;
    } catch {
      return undefined; // a live view that fails leaves the static hover alone
    }
  }

  private async callOnStoppedLine(document: vscode.TextDocument, frame: SelectedFrame, fn: FfiFunction, call: FfiCall): Promise<string | undefined> {
    const where = await framePosition(frame);
    const line = where && where.path === document.uri.fsPath ? where.line - 1 : -1;
    if (line < call.range.start.line || line > call.range.end.line) return undefined;
    const placement = placeFunction(fn, call, { target: configuredTarget() });
    const args: EvaluatedArgument[] = [];
    for (const [index, range] of call.argumentRanges.entries()) {
      const param = placement.params[index];
      if (!param) break;
      const text = document.getText(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character));
      // An object literal is a block statement unless parenthesised.
      const expression = document.languageId.startsWith('typescript') || document.languageId.startsWith('javascript') ? `(${text})` : text;
      const value = HAS_SIDE_EFFECTS.test(text) ? '(not evaluated: it calls or assigns)' : await evaluateIn(frame, expression);
      args.push({ name: param.name, location: shortLocation(param), expression: text, value });
    }
    return evaluatedCallMarkdown(fn.name, args);
  }
}
