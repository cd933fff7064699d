// Live ABI while stopped, in a real VS Code: the hover on the C function being called shows what
// each argument location held at the call; the hover on a koffi call on the stopped TS line shows
// its arguments evaluated; "Polyglot: Show ABI frame" draws the selected call's frame.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { debuggeeNode, nextStop, repo, screenshot, stopSession } from './env';
import { test } from './runner';

const example = join(repo, 'examples', 'mixed');
const appSource = join(example, 'src', 'app.ts');
const cSource = join(example, 'native', 'scene.c');

function at(path: string, marker: string): vscode.Location {
  const line = readFileSync(path, 'utf8').split('\n').findIndex((text) => text.includes(marker));
  assert.ok(line >= 0, `${marker} not found in ${path}`);
  return new vscode.Location(vscode.Uri.file(path), new vscode.Position(line, 0));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n---\n');
}

interface FrameViewState {
  abi: { function: string; source: string; params: { name: string; value?: string; pieces: { loc: string }[] }[] } | null;
}

test('while stopped: live values in the ABI hover (TS call and C function) and in the frame view', async () => {
  const breakpoints = [new vscode.SourceBreakpoint(at(appSource, '@call-scale')), new vscode.SourceBreakpoint(at(cSource, '@scale-len'))];
  vscode.debug.addBreakpoints(breakpoints);
  let session: vscode.DebugSession | undefined;
  try {
    const firstStop = nextStop();
    assert.ok(await vscode.debug.startDebugging(undefined, {
      type: 'polyglot', request: 'launch', name: 'Polyglot: live ABI', program: appSource, cwd: example,
      outFiles: [join(example, 'build', 'js', '**', '*.js')], runtimeExecutable: debuggeeNode,
    }));
    session = (await firstStop).session;

    // Stopped on `scene_scale({ x, y }, factor)` in TypeScript: the arguments, evaluated.
    const ts = await vscode.workspace.openTextDocument(appSource);
    await vscode.window.showTextDocument(ts);
    const callLine = at(appSource, '@call-scale').range.start.line;
    const call = new vscode.Position(callLine, ts.lineAt(callLine).text.indexOf('scene_scale(') + 2);
    const tsHover = await hoverText(ts.uri, call);
    assert.match(tsHover, /Live: the arguments of this call of `scene_scale`/);
    assert.match(tsHover, /\| k \| xmm2 \| `factor` \| `2` \|/);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('live-hover-ts-call');

    // On into C: the hover on scene_scale shows what xmm0–xmm2 held at the call.
    const cStop = nextStop();
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await cStop;
    const c = await vscode.workspace.openTextDocument(cSource);
    await vscode.window.showTextDocument(c);
    const definition = new vscode.Position(at(cSource, 'double scene_scale(').range.start.line, 'double scene_'.length);
    const cHover = await hoverText(c.uri, definition);
    assert.match(cHover, /Live: this call of `scene_scale`/);
    assert.match(cHover, /\| p \| xmm0 \+ xmm1 \| `00 00 00 00 00 00 08 40 · 00 00 00 00 00 00 10 40` \| `\{x = 3, y = 4\}` \|/);
    assert.match(cHover, /\| k \| xmm2 \| `00 00 00 00 00 00 00 40` \| `2` \|/);

    const state = await vscode.commands.executeCommand<FrameViewState>('polyglot.abi.showFrame');
    assert.equal(state.abi?.function, 'scene_scale');
    assert.equal(state.abi?.source, 'snapshot');
    assert.deepEqual(state.abi?.params.map((p) => [p.name, p.value]), [['p', '{x = 3, y = 4}'], ['k', '2']]);
    await screenshot('abi-frame-view', 4000);
  } finally {
    vscode.debug.removeBreakpoints(breakpoints);
    if (session) await stopSession(session);
  }
}, 120_000);

test('without a debug session the frame view shows the static layout of the call at the cursor', async () => {
  const document = await vscode.workspace.openTextDocument(join(repo, 'examples', 'abi', 'geometry.c'));
  const editor = await vscode.window.showTextDocument(document);
  const line = document.getText().split('\n').findIndex((text) => text.includes('matrix_rotate(&identity'));
  const column = document.lineAt(line).text.indexOf('matrix_rotate') + 3;
  editor.selection = new vscode.Selection(line, column, line, column);
  const state = await vscode.commands.executeCommand<FrameViewState & { abi: { sret: { loc: string } | null; target: string } | null }>('polyglot.abi.showFrame');
  assert.equal(state.abi?.function, 'matrix_rotate');
  assert.equal(state.abi?.source, 'none');
  assert.equal(state.abi?.sret?.loc, 'rdi', 'struct Matrix comes back through a hidden pointer');
  assert.deepEqual(state.abi?.params.map((p) => [p.name, p.pieces.map((x) => x.loc).join('+'), p.value]), [['m', 'rsi', undefined], ['angle', 'xmm0', undefined], ['axis', 'rdx', undefined]]);
  await screenshot('abi-frame-view-static', 4000);
});
