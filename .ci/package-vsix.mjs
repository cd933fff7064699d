// Packs the built extension (dist/, from `npm run build`) into a .vsix with vsce.
// Usage: node .ci/package-vsix.mjs [--out FILE]   (default: dist-vsix/polyglot-debug-<version>.vsix)
//
// vsce 4 needs node >= 22 while the project (and VS Code's extension host it targets) stays on 20,
// so vsce runs on the node 24 that .ci/setup-vscode installs under .tools/. --no-dependencies
// because esbuild has bundled every package into dist/; the run-time files the bundles load from
// disk (dist/grammars, dist/gdb-python) are copied there by .ci/copy-assets.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
let out;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = resolve(args[++i]);
  else fail(`unknown argument "${args[i]}" (usage: node .ci/package-vsix.mjs [--out FILE])`);
}

// Same override as .ci/setup-vscode, so a relocated tools folder works for both.
const tools = process.env.POLYGLOT_TOOLS ?? join(root, '.tools');
const node24 = join(tools, 'node24', 'bin', 'node');
if (!existsSync(node24)) fail(`${node24} is missing: vsce needs node >= 22; run bash .ci/setup-vscode`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
if (!existsSync(vsce)) fail('node_modules/@vscode/vsce is missing: run npm install');
for (const built of ['dist/extension.js', 'dist/debugAdapter.js', 'dist/grammars/tree-sitter.wasm', 'dist/gdb-python']) {
  if (!existsSync(join(root, built))) fail(`${built} is missing: run npm run build first (npm run package does)`);
}

const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
out ??= join(root, 'dist-vsix', `${name}-${version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

try {
  // stdin ignored: should vsce ever ask a question (missing LICENSE, repository…) it reads EOF and
  // stops instead of waiting forever in CI.
  execFileSync(node24, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
} catch (error) {
  fail(`vsce failed (${error.status !== null && error.status !== undefined ? `exit ${error.status}` : error.signal ?? error.message})`);
}
console.log(`package-vsix: ${relative(process.cwd(), out) || out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
