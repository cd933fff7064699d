// When node's inspector thread has read what we sent. It reads the WebSocket and hands each request
// to the main thread (queue, V8 interrupt) in the same turn of its event loop; only the main thread
// answers. While gdb or the Python agent holds the main thread no answer can come, yet a request
// must be in V8's hands before JavaScript runs again: a breakpoint set while C runs must stop the
// callback C calls next, a pause queued for a step out of C must come before the caller's next call.
// The inspector thread is an ordinary thread: on a busy machine it may read long after we wrote.
//
// The same thread serves the inspector's HTTP endpoints itself. A connection opened after our
// WebSocket frames were written becomes readable after them, and its request is read at least
// one turn of the loop after it is accepted: once the answer to a GET on a new connection is here,
// the frames written before it have been read and handed over. Only loopback is involved.

import { get } from 'node:http';

/** An inspector that does not answer at all is one that is gone or going: never wait longer. */
const GONE_MS = 5_000;

/** Resolves once node's inspector at `wsUrl` (ws://127.0.0.1:PORT/…) has read all that was written to it before. */
export function inspectorHasRead(wsUrl: string): Promise<void> {
  const { hostname, port } = new URL(wsUrl);
  return new Promise((resolve) => {
    const request = get({ host: hostname, port, path: '/json/version', agent: false, timeout: GONE_MS }, (response) => {
      response.resume();
      response.on('end', () => resolve());
      response.on('error', () => resolve());
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve());
  });
}
