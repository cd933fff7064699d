// Standalone debug adapter: DAP on stdin/stdout (`node dist/debugAdapter.js`).
import { runStandalone } from './dap/session';

runStandalone();
