// The FFI facts of one open document version, as the editor's providers ask for them. The first
// requests on a version (a hover, the visible lines' hints) read only what their lines need; the
// whole file is read once the editor has been quiet for a moment, and answers everything after.
// Pure: no vscode (the provider passes the version's text), so the bench times this very path.

import { parseFfiFile, type FfiParseOptions, type FocusLines } from './file';
import type { FfiFile } from './model';

/** How long the editor must be quiet before the whole file is read. */
export const WHOLE_FILE_AFTER_QUIET_MS = 400;

export class DocumentFacts {
  private whole: Promise<FfiFile> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRequestAt = 0;

  constructor(
    private readonly fileName: string,
    private readonly text: string,
    private readonly options: Omit<FfiParseOptions, 'focus'>,
    private readonly quietMs = WHOLE_FILE_AFTER_QUIET_MS,
  ) {}

  /** The facts a request on `lines` needs (the whole file's once read), or the whole file's without lines. */
  get(lines?: FocusLines): Promise<FfiFile> {
    this.lastRequestAt = Date.now();
    if (this.whole) return this.whole;
    if (!lines) return this.readWhole();
    this.scheduleWhole();
    return parseFfiFile(this.fileName, this.text, { ...this.options, focus: lines });
  }

  /** Stops a pending read of the whole file (the document changed or closed). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readWhole(): Promise<FfiFile> {
    this.dispose();
    this.whole ??= parseFfiFile(this.fileName, this.text, this.options);
    return this.whole;
  }

  private scheduleWhole(): void {
    if (this.timer) return;
    const wait = (): void => {
      const quietFor = Date.now() - this.lastRequestAt;
      this.timer = quietFor >= this.quietMs ? null : setTimeout(wait, this.quietMs - quietFor);
      // A read that fails here fails again, and is reported, when a request needs it.
      if (!this.timer) this.readWhole().catch(() => undefined);
    };
    this.timer = setTimeout(wait, this.quietMs);
    // Never what keeps a process (the CLI's, a test's) alive.
    (this.timer as { unref?: () => void }).unref?.();
  }
}
