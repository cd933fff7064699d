// The `polyglot` debugger in a real VS Code: vscode.debug.startDebugging with a launch
// configuration, breakpoints set through the editor API, and the stitched stack the workbench's
// CALL STACK view receives — the same golden stack as the DAP tests.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { debuggeeNode, nextStop, repo, screenshot, stopSession, waitFor } from './env';
import { test } from './runner';

const example = join(repo, 'examples', 'mixed');
const appSource = join(example, 'src', 'app.ts');
const cSource = join(example, 'native', 'scene.c');

function lineOf(path: string, marker: string): number {
  const index = readFileSync(path, 'utf8').split('\n').findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `${marker} not found in ${path}`);
  return index;
}

function stackText(frames: DebugProtocol.StackFrame[]): string {
  return frames
    .filter((f) => f.presentationHint === 'label' || (f.source?.path && !f.source.path.includes('node:') && f.presentationHint !== 'subtle'))
    .map((f) => (f.presentationHint === 'label' ? f.name : `${f.name} ${basename(f.source?.path ?? '?')}:${f.line}`))
    .join('\n');
}

test('startDebugging stops at a C breakpoint under a TS callback with the stitched stack', async () => {
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(cSource), new vscode.Position(lineOf(cSource, '@add'), 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  const stopped = nextStop();
  try {
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'polyglot', request: 'launch', name: 'Polyglot: mixed example',
      program: appSource, cwd: example, outFiles: [join(example, 'build', 'js', '**', '*.js')],
      runtimeExecutable: debuggeeNode,
    });
    assert.ok(started, 'startDebugging returned false');
    const top = await stopped;
    const session = top.session;
    const trace = (await session.customRequest('stackTrace', { threadId: top.threadId })) as DebugProtocol.StackTraceResponse['body'];
    const expected = readFileSync(join(repo, 'test', 'dap', 'golden', 'stack-in-c-under-callback.txt'), 'utf8').trim();
    assert.equal(stackText(trace.stackFrames), expected);
    await stopSession(session);
    await waitFor('the session to end', () => (vscode.debug.activeDebugSession ? undefined : true));
  } finally {
    vscode.debug.removeBreakpoints([breakpoint]);
  }
}, 120_000);

test('a Python breakpoint in the three-language example stops with TS, C and Python on one stack', async () => {
  const chain = join(repo, 'examples', 'chain');
  const pySource = join(chain, 'python', 'compute.py');
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(pySource), new vscode.Position(lineOf(pySource, '@py-scale'), 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  const stopped = nextStop();
  try {
    assert.ok(await vscode.debug.startDebugging(undefined, {
      type: 'polyglot', request: 'launch', name: 'Polyglot: chain example',
      program: join(chain, 'src', 'app.ts'), cwd: chain, outFiles: [join(chain, 'build', 'js', '**', '*.js')],
      runtimeExecutable: debuggeeNode,
    }));
    const top = await stopped;
    const trace = (await top.session.customRequest('stackTrace', { threadId: top.threadId })) as DebugProtocol.StackTraceResponse['body'];
    const expected = readFileSync(join(repo, 'test', 'dap', 'golden', 'stack-in-python.txt'), 'utf8').trim();
    assert.equal(stackText(trace.stackFrames), expected);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(pySource));
    await screenshot('python-breakpoint');
    await stopSession(top.session);
  } finally {
    vscode.debug.removeBreakpoints([breakpoint]);
  }
}, 120_000);
