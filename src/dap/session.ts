// The `polyglot` debug session. This build carries the ABI engine only; the mixed-mode
// engines (gdb, V8 inspector, Python agent) arrive with the debugger issues, so a launch
// says so plainly instead of pretending to start.

import { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ErrorCodes = {
  debuggingUnavailable: 1001,
} as const;

export class PolyglotSession extends DebugSession {
  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse): void {
    this.sendErrorResponse(response, {
      id: ErrorCodes.debuggingUnavailable,
      format: 'Polyglot Debug {version}: mixed-mode launch is not available in this build yet; the ABI tools (polyglot-abi, "Polyglot: Show ABI placement") are.',
      variables: { version: '0.1.0' },
      showUser: true,
    });
  }
}

/** Runs one session over stdin/stdout, as `node dist/debugAdapter.js`. */
export function runStandalone(): void {
  DebugSession.run(PolyglotSession);
}
