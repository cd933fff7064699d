// One list of error codes and two kinds of error: a user error says what failed and what to do,
// and is shown as is; an internal error is a bug or an engine misbehaving, shown with its code
// and logged with its details.

export enum ErrorCode {
  GdbNotFound = 1001,
  GdbTooOld = 1002,
  PtraceNotPermitted = 1003,
  ProgramNotFound = 1004,
  RuntimeNotFound = 1005,
  KoffiMissing = 1006,
  InspectorFailed = 1007,
  EngineExited = 1008,
  EngineTimeout = 1009,
  InvalidLaunchConfig = 1010,
  NotStopped = 1011,
  EvaluateFailed = 1012,
  Unsupported = 1013,
  MemoryUnavailable = 1014,
  Internal = 1100,
}

export class PolyglotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** True when the user can act on the message; false for bugs and engine faults. */
    readonly userFacing: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = userFacing ? 'UserError' : 'InternalError';
  }
}

export const userError = (code: ErrorCode, message: string, cause?: unknown): PolyglotError =>
  new PolyglotError(code, message, true, { cause });

export const internalError = (message: string, cause?: unknown): PolyglotError =>
  new PolyglotError(ErrorCode.Internal, message, false, { cause });

/** Rejects with a user error naming `what` when `promise` is not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, hint = ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(userError(ErrorCode.EngineTimeout, `${what} did not answer within ${ms / 1000} s.${hint ? ' ' + hint : ''}`)),
      ms,
    );
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
