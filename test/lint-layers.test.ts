// The per-folder import rules of eslint.config.mjs: the layering is enforced, not hoped for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'polyglot/layer-imports').map((m) => m.message);
}

test('src/abi imports nothing outside itself', async () => {
  assert.deepEqual(await layerErrors('src/abi/place/x.ts', "import { a } from '../model';\nexport const b = a;\n"), []);
  const errors = await layerErrors('src/abi/x.ts', "import { readFileSync } from 'node:fs';\nimport * as v from 'vscode';\nimport { c } from '../cli';\nexport { readFileSync, v, c };\n");
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.match(errors[0]!, /the ABI engine is pure/);
});

test('vscode only in extension.ts, ui/ and language/providers/', async () => {
  const code = "import * as vscode from 'vscode';\nexport const v = vscode;\n";
  assert.deepEqual(await layerErrors('src/extension.ts', code), []);
  assert.deepEqual(await layerErrors('src/language/providers/hover.ts', code), []);
  assert.equal((await layerErrors('src/language/koffi/parse.ts', code)).length, 1);
  assert.equal((await layerErrors('src/core/stitch.ts', code)).length, 1);
  assert.equal((await layerErrors('src/engines/gdb/mi.ts', code)).length, 1);
});

test('only dap/ imports @vscode/debugadapter; engines import only their folder and common', async () => {
  const dap = "import { DebugSession } from '@vscode/debugadapter';\nexport const d = DebugSession;\n";
  assert.deepEqual(await layerErrors('src/dap/session.ts', dap), []);
  assert.equal((await layerErrors('src/core/x.ts', dap)).length, 1);
  assert.deepEqual(await layerErrors('src/engines/gdb/session.ts', "import { p } from './mi';\nimport { q } from '../common/engine';\nexport { p, q };\n"), []);
  assert.equal((await layerErrors('src/engines/gdb/session.ts', "import { c } from '../cdp/client';\nexport { c };\n")).length, 1);
});

test('each source language of src/language keeps to its folder, the FFI model and the syntax layer', async () => {
  const own = "import { m } from './types';\nimport type { FfiFile } from '../ffi/model';\nimport { parseText } from '../syntax';\nimport { parseC } from '../../abi/c';\nexport { m, parseText, parseC };\nexport type { FfiFile };\n";
  assert.deepEqual(await layerErrors('src/language/koffi/parse.ts', own), []);
  const errors = await layerErrors('src/language/koffi/parse.ts', "import { parseCtypes } from '../ctypes/parse';\nimport { checkTree } from '../ffi/workspace';\nexport { parseCtypes, checkTree };\n");
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(errors[0]!, /own folder/);
  // The shared FFI layer pairs the languages, so it may read all of them.
  assert.deepEqual(await layerErrors('src/language/ffi/file.ts', "import { parseCtypes } from '../ctypes/parse';\nimport { parseKoffi } from '../koffi/parse';\nexport { parseCtypes, parseKoffi };\n"), []);
});
