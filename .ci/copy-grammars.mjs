// Copies the tree-sitter runtime and the grammars we parse with beside the bundles
// (dist/grammars), where src/language/syntax.ts looks first: a packaged extension has no
// node_modules. Run after esbuild, from the repository root or anywhere.
import { copyFileSync, mkdirSync } from 'node:fs';
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
