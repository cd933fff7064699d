// Lint: typescript-eslint's recommended rules plus our layering, enforced per folder so the
// pure cores stay free of VS Code and of each other (see README "Architecture").
import { dirname, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

const SRC = resolve('src');

/** Folder rules, first match wins. `project` lists the src/ folders a file may import from. */
const LAYERS = [
  { files: 'abi/', project: ['abi/'], packages: false, why: 'the ABI engine is pure: it imports nothing outside src/abi' },
  { files: 'engines/common/', project: ['engines/common/', 'common/'], packages: true, why: 'engines import only common code' },
  { files: 'engines/', project: ['engines/common/', 'common/'], packages: true, ownFolderDepth: 2, why: 'an engine imports only its own folder and common code' },
  { files: 'language/providers/', project: ['language/', 'abi/', 'common/'], packages: true, vscode: true, why: 'providers stay thin over the pure parsers' },
  ...['koffi/', 'ctypes/', 'c/'].map((lang) => ({
    files: `language/${lang}`,
    project: [`language/${lang}`, 'language/ffi/model', 'language/syntax', 'language/budget', 'language/files', 'abi/', 'common/'],
    packages: true,
    why: 'each source language reads only its own folder, the shared FFI model and the syntax layer',
  })),
  { files: 'language/', project: ['language/', 'abi/', 'common/'], packages: true, why: 'parsers are pure and VS Code-free' },
  { files: 'dap/', project: ['dap/', 'core/', 'engines/', 'abi/', 'language/', 'common/'], packages: true, debugAdapter: true, why: 'the DAP session orchestrates' },
  { files: 'core/', project: ['core/', 'engines/', 'abi/', 'language/', 'common/'], packages: true, why: 'the core is VS Code- and DAP-free' },
  { files: 'ui/', project: ['ui/', 'abi/', 'language/', 'common/', 'dap/', 'core/'], packages: true, vscode: true, why: 'UI code' },
  { files: 'extension.ts', project: [''], packages: true, vscode: true, why: 'activation' },
  { files: '', project: [''], packages: true, why: 'entry points' },
];

function layerOf(file) {
  const rel = relative(SRC, file).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  const layer = LAYERS.find((l) => rel.startsWith(l.files));
  return layer ? { layer, rel } : null;
}

const layerImports = {
  meta: { type: 'problem', schema: [], messages: { forbidden: '{{what}} is not allowed here: {{why}}.' } },
  create(context) {
    const found = layerOf(context.filename);
    if (!found) return {};
    const { layer, rel } = found;
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const report = (what) => context.report({ node, messageId: 'forbidden', data: { what, why: layer.why } });
      if (!source.startsWith('.')) {
        if (source === 'vscode' && !layer.vscode) return report('importing vscode');
        if (source.startsWith('@vscode/debugadapter') && !layer.debugAdapter) return report(`importing ${source}`);
        if (!layer.packages) return report(`importing the package "${source}"`);
        return;
      }
      const target = relative(SRC, resolve(dirname(context.filename), source)).split(sep).join('/');
      if (target.startsWith('..')) return report(`importing "${source}" from outside src/`);
      const own = layer.ownFolderDepth ? rel.split('/').slice(0, layer.ownFolderDepth).join('/') + '/' : null;
      const allowed = layer.project.some((p) => target.startsWith(p) || `${target}/`.startsWith(p)) || (own && target.startsWith(own));
      if (!allowed) report(`importing "${source}"`);
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.work/', 'examples/**/build/', 'test/**/fixtures/', '.tools/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { polyglot: { rules: { 'layer-imports': layerImports } } },
    rules: {
      'polyglot/layer-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
