// extensionTestsPath entry: the extension host requires this bundle and awaits `run()`.
import './abi.cases';
import './debug.cases';
import './live-abi.cases';
import { runCases } from './runner';

export function run(): Promise<void> {
  return runCases(process.env.POLYGLOT_EXT_RESULTS);
}
