// Standalone debug adapter: DAP on stdin/stdout (`node dist/debugAdapter.js`). Loaded as a module
// it only exports the session, for a host that runs it in its own process as VS Code does through
// the extension (bench/inline-client.ts).
import { PolyglotSession, runStandalone } from './dap/session';

export { PolyglotSession };

if (require.main === module) runStandalone();
