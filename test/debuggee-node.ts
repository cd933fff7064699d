// The node that tests run their debuggee programs on: POLYGLOT_TEST_NODE (the absolute path of a
// node binary; test/run.mjs sets it for each node of --nodes), else the node running the tests.
import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';

function chosenNode(): string {
  const wanted = process.env.POLYGLOT_TEST_NODE;
  if (!wanted) return process.execPath;
  if (!isAbsolute(wanted)) throw new Error(`POLYGLOT_TEST_NODE must be an absolute path to a node binary, not "${wanted}"`);
  try {
    accessSync(wanted, constants.X_OK);
  } catch {
    throw new Error(`POLYGLOT_TEST_NODE=${wanted} is not an executable file (bash .ci/setup --tests installs the test nodes into .tools)`);
  }
  return wanted;
}

export const debuggeeNode = chosenNode();
