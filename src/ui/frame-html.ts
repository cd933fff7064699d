// The ABI frame view's page: the frame picture as HTML tables, themed with VS Code's CSS variables
// (media/frame-view.css), a target switch handled by media/frame-view.js. Only our own scripts run
// (a nonce in the content security policy); every text from the debuggee is escaped.

import type { FrameAbi } from '../core/frame-abi';
import { framePicture } from './frame-picture';

export interface PageAssets {
  cspSource: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const code = (text: string | undefined): string => (text ? `<code>${escape(text)}</code>` : '');

export function frameBody(abi: FrameAbi, targets: readonly string[]): string {
  const picture = framePicture(abi);
  const options = targets.map((t) => `<option value="${escape(t)}"${t === abi.target ? ' selected' : ''}>${escape(t)}</option>`).join('');
  const registers = picture.registers.length === 0
    ? '<p>No argument is passed in registers.</p>'
    : `<table aria-label="Argument registers"><thead><tr><th scope="col">register</th><th scope="col">argument</th><th scope="col">part</th><th scope="col">bytes</th><th scope="col">value</th></tr></thead><tbody>${picture.registers
        .map((r) => `<tr><th scope="row">${code(r.register)}</th><td>${escape(r.argument)}</td><td>${escape(r.part)}</td><td>${code(r.bytes)}</td><td>${code(r.value)}</td></tr>`)
        .join('')}</tbody></table>`;
  const stack = `<table aria-label="Stack frame, high addresses first"><thead><tr><th scope="col">offset</th><th scope="col">address</th><th scope="col">size</th><th scope="col">what</th><th scope="col">bytes</th><th scope="col">value</th></tr></thead><tbody>${picture.stack
    .map((row) => `<tr class="${row.kind}"><th scope="row">${code(`CFA${row.from >= 0 ? '+' : ''}${row.from}`)}</th><td>${code(row.address)}</td><td>${row.size}</td><td>${escape(row.label)}</td><td>${code(row.bytes)}</td><td>${code(row.value)}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<header><h1>${code(abi.prototype)}</h1>
<label for="target">Target</label> <select id="target">${options}</select>
<span class="source ${escape(abi.source)}">${abi.source === 'none' ? 'static layout' : 'live values'}</span></header>
<section aria-labelledby="regs"><h2 id="regs">Argument registers</h2>${registers}</section>
<section aria-labelledby="stack"><h2 id="stack">Stack (CFA = the stack pointer before the call${abi.cfa ? `: ${code(abi.cfa)}` : ''})</h2>${stack}</section>
<section aria-labelledby="notes"><h2 id="notes">Notes</h2><ul>${picture.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul></section>
${abi.layouts.length > 0 ? `<section aria-labelledby="layouts"><h2 id="layouts">Layouts</h2><pre>${escape(abi.layouts.join('\n\n'))}</pre></section>` : ''}`;
}

export function framePage(body: string, assets: PageAssets): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${assets.cspSource}; script-src 'nonce-${assets.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${assets.styleUri}"><title>ABI frame</title></head>
<body><main id="frame">${body}</main><script nonce="${assets.nonce}" src="${assets.scriptUri}"></script></body></html>`;
}

export function emptyBody(message: string): string {
  return `<p class="empty">${escape(message)}</p>`;
}
