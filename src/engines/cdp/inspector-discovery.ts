// Opening the V8 inspector of a running node process and finding its WebSocket URL safely: node
// opens it on SIGUSR1 (on 127.0.0.1, port 9229 unless that is taken); the port is read from the
// process's own listening sockets (/proc/PID/fd → socket inodes → /proc/PID/net/tcp), so the URL
// is that process's and never another's that happens to listen on 9229; only loopback is used.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { get } from 'node:http';
import { ErrorCode, userError } from '../common/errors';

const OPEN_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/** Loopback TCP ports `pid` listens on (IPv4 and IPv6). */
export function loopbackListeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, , state] = [fields[1], fields[2], fields[3]];
      const inode = fields[9];
      if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue; // 0A: LISTEN
      const [address, port] = local.split(':') as [string, string];
      const loopback = address === '0100007F' || address === '00000000000000000000000001000000';
      const any = /^0+$/.test(address);
      if (loopback || any) ports.push(parseInt(port, 16));
    }
  }
  return ports;
}

/** The inspector's WebSocket URL on 127.0.0.1:`port`, or null when that port is no inspector. */
function inspectorUrlAt(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/json/list', timeout: 2_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk.length + body.length > 1 << 20 ? '' : chunk));
      response.on('end', () => {
        try {
          const targets = JSON.parse(body) as { webSocketDebuggerUrl?: string }[];
          const url = targets.find((t) => t.webSocketDebuggerUrl?.startsWith(`ws://127.0.0.1:${port}/`))?.webSocketDebuggerUrl;
          resolve(url ?? null);
        } catch {
          resolve(null);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

async function findInspector(_pid: number, ports: number[]): Promise<string | null> {
  for (const port of ports) {
    const url = await inspectorUrlAt(port);
    if (url) return url;
  }
  return null;
}

/** Whether `pid` is a node process (its executable is named node…), the only kind SIGUSR1 is safe for. */
export function isNodeProcess(pid: number): boolean {
  try {
    return /^node(js)?[\d.]*$/.test(readlinkSync(`/proc/${pid}/exe`).split('/').pop() ?? '');
  } catch {
    return false;
  }
}

/**
 * The WebSocket URL of the inspector of node process `pid`, opening it with SIGUSR1 if it is not
 * open (`openedNow`: then it should be closed again when the debugger leaves).
 */
export async function openNodeInspector(pid: number): Promise<{ url: string; openedNow: boolean }> {
  const before = loopbackListeningPorts(pid);
  const open = await findInspector(pid, before);
  if (open) return { url: open, openedNow: false };
  if (!isNodeProcess(pid)) throw userError(ErrorCode.InspectorFailed, `Process ${pid} is not a node process: its V8 inspector cannot be opened.`);
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const fresh = loopbackListeningPorts(pid).filter((port) => !before.includes(port));
    const url = await findInspector(pid, fresh);
    if (url) return { url, openedNow: true };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw userError(
    ErrorCode.InspectorFailed,
    `Node process ${pid} opened no inspector within ${OPEN_TIMEOUT_MS / 1000} s of SIGUSR1. Was it started with --disable-sigusr1 or without inspector support, or is its event loop blocked? Start it with --inspect instead.`,
  );
}
