// node's inspector talks on the debuggee's stderr: the WebSocket URL we connect to (with its
// unguessable id, published nowhere else thanks to --inspect-publish-uid=stderr), and chatter
// that means nothing to the user. This filter finds the first and hides the rest.

const URL_PATTERN = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/;
const CHATTER = [
  /^Debugger listening on ws:\/\/\S+\r?$/,
  /^For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector\r?$/,
  /^Debugger attached\.\r?$/,
  /^Waiting for the debugger to disconnect\.\.\.\r?$/,
  /^Debugger ending on ws:\/\/\S+\r?$/,
];
const CHATTER_STARTS = ['Debugger listening', 'For help, see', 'Debugger attached', 'Waiting for the debugger', 'Debugger ending'];
export const WAITING_FOR_DISCONNECT = 'Waiting for the debugger to disconnect...';

export class InspectorOutputFilter {
  private pending = '';
  url: string | undefined;

  constructor(
    private readonly onUrl: (url: string) => void,
    private readonly onWaitingForDisconnect: () => void,
  ) {}

  /** Takes a chunk of debuggee output; returns what the user should see. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    const lastBreak = text.lastIndexOf('\n');
    // Hold back an unfinished line only while it could still become inspector chatter.
    const tail = text.slice(lastBreak + 1);
    const holdTail = tail !== '' && CHATTER_STARTS.some((start) => start.startsWith(tail) || tail.startsWith(start));
    this.pending = holdTail ? tail : '';
    const complete = holdTail ? text.slice(0, lastBreak + 1) : text;
    const shown: string[] = [];
    for (const line of complete.split(/(?<=\n)/)) {
      const bare = line.replace(/\n$/, '');
      const url = URL_PATTERN.exec(bare);
      if (url?.[1] && !this.url) {
        this.url = url[1];
        this.onUrl(url[1]);
      }
      if (bare.startsWith(WAITING_FOR_DISCONNECT)) this.onWaitingForDisconnect();
      if (!CHATTER.some((re) => re.test(bare))) shown.push(line);
    }
    return shown.join('');
  }
}
