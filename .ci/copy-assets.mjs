// Copies what the bundles load at run time beside them, where the code looks first (a packaged
// extension has no node_modules and no src/): the tree-sitter runtime and grammars
// (dist/grammars, see src/language/syntax.ts) and the gdb Python helpers (dist/gdb-python, see
// src/engines/gdb/gdb-engine.ts). Run after esbuild, from the repository root or anywhere.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const out = join(root, 'dist', 'grammars');
const runtime = join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm');
const grammars = join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');

mkdirSync(out, { recursive: true });
copyFileSync(runtime, join(out, 'tree-sitter.wasm'));
for (const language of ['typescript', 'tsx', 'javascript', 'python', 'c']) {
  const file = `tree-sitter-${language}.wasm`;
  copyFileSync(join(grammars, file), join(out, file));
}

const gdbPython = join(root, 'src', 'engines', 'gdb', 'python');
const gdbOut = join(root, 'dist', 'gdb-python');
mkdirSync(gdbOut, { recursive: true });
for (const file of readdirSync(gdbPython).filter((f) => f.endsWith('.py'))) copyFileSync(join(gdbPython, file), join(gdbOut, file));

// The Python agent and its sitecustomize bootstrap (dist/python-agent, see src/engines/python).
const agentSource = join(root, 'src', 'engines', 'python', 'agent');
const agentOut = join(root, 'dist', 'python-agent');
mkdirSync(agentOut, { recursive: true });
for (const file of readdirSync(agentSource).filter((f) => f.endsWith('.py'))) copyFileSync(join(agentSource, file), join(agentOut, file));
