// Whatever else reaches the Python agent's socket — garbage, an endless line, a wrong token — is
// turned away without taking the engine down, and the real agent of a real interpreter still
// connects afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { PythonEngine } from '../../src/engines/python/python-engine';

const engines: PythonEngine[] = [];
after(async () => {
  for (const engine of engines) await engine.close();
});

async function engineWithAddress(): Promise<{ engine: PythonEngine; env: Record<string, string> }> {
  const engine = await PythonEngine.start();
  engines.push(engine);
  return { engine, env: engine.environment(undefined) };
}

/** Sends `bytes` and resolves once the engine has closed the connection. */
async function turnedAway(address: string, bytes: string | Buffer): Promise<void> {
  const socket: Socket = connect(address);
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  socket.write(bytes);
  const timer = setTimeout(() => socket.destroy(new Error('the engine kept a connection it should have refused')), 10_000);
  await closed;
  clearTimeout(timer);
}

test('garbage, an endless line and a wrong token are refused; the real agent then connects', async () => {
  const { engine, env } = await engineWithAddress();
  const address = env.POLYGLOT_PYTHON_AGENT!;
  await turnedAway(address, 'GET / HTTP/1.1\r\n\r\n');
  await turnedAway(address, Buffer.alloc(64 * 1024, 0x41));
  await turnedAway(address, `${JSON.stringify({ event: 'hello', body: { token: 'f'.repeat(64), role: 'control' } })}\n`);
  await turnedAway(address, `${JSON.stringify({ event: 'hello', body: { token: null } })}\n`);
  assert.equal(engine.connected, false);

  const connected = once(engine, 'connected');
  const python = spawn('python3', ['-c', 'print("agent test")'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const timer = setTimeout(() => python.kill(), 20_000);
  await connected;
  assert.equal(engine.connected, true);
  await once(python, 'exit');
  clearTimeout(timer);
});
