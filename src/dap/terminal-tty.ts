// `console: integratedTerminal`: VS Code opens a terminal running a tiny node script that tells us
// its tty over a Unix socket in a private (0700) directory and then just holds the terminal
// open; gdb gives that tty to the debuggee. No shell string is built: the arguments are an array.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, userError, withTimeout } from '../engines/common/errors';

type RunInTerminal = (args: DebugProtocol.RunInTerminalRequestArguments, timeout: number, cb: (response: DebugProtocol.RunInTerminalResponse) => void) => void;

const HOLDER = [
  "const net = require('net'); const fs = require('fs');",
  "const s = net.connect(process.argv[1], () => s.write(fs.readlinkSync('/proc/self/fd/0')));",
  "process.stdout.write('Polyglot Debug: the program runs in this terminal.\\n');",
  "s.on('close', () => process.exit(0)); setInterval(() => {}, 1 << 30);",
].join(' ');

export async function openTerminalTty(runInTerminal: RunInTerminal, cwd: string | undefined): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-tty-'));
  const socketPath = join(dir, 'tty.sock');
  try {
    const ttyName = new Promise<string>((resolve, reject) => {
      const server = createServer((socket) => {
        socket.setEncoding('utf8');
        socket.once('data', (data: string) => {
          server.close();
          resolve(data.trim());
        });
      });
      server.on('error', reject);
      server.listen(socketPath);
    });
    runInTerminal({ kind: 'integrated', title: 'Polyglot Debug', cwd: cwd ?? process.cwd(), args: [process.execPath, '-e', HOLDER, socketPath] }, 10_000, () => undefined);
    const tty = await withTimeout(ttyName, 15_000, 'The integrated terminal', 'Use "console": "internalConsole" if the terminal cannot start.');
    if (!tty.startsWith('/dev/')) throw userError(ErrorCode.Unsupported, `The integrated terminal has no tty (${tty}).`);
    return tty;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
