// Before a session: the configuration proposed for an open file (TypeScript through its tsconfig's
// outDir, JavaScript as it is) and the preflight's problems with their fixes.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { proposeLaunch, whyNoProposal } from '../../src/core/launch-proposal';
import { preflight } from '../../src/core/preflight';

const repo = fileURLToPath(new URL('../..', import.meta.url));

test('a TypeScript file is proposed with the outDir of its tsconfig (comments allowed)', () => {
  const root = mkdtempSync(join(tmpdir(), 'polyglot-proposal-'));
  try {
    mkdirSync(join(root, 'app', 'src'), { recursive: true });
    writeFileSync(join(root, 'app', 'tsconfig.json'), '{\n  // compiled here\n  "compilerOptions": { "outDir": "out/js", },\n}\n');
    writeFileSync(join(root, 'app', 'src', 'main.ts'), '');
    assert.deepEqual(proposeLaunch(join(root, 'app', 'src', 'main.ts'), root), {
      type: 'polyglot', request: 'launch', name: 'Polyglot: app/src/main.ts',
      program: '${workspaceFolder}/app/src/main.ts', cwd: '${workspaceFolder}/app',
      outFiles: ['${workspaceFolder}/app/out/js/**/*.js', '!**/node_modules/**'],
    });
    assert.equal(proposeLaunch(join(root, 'app', 'README.md'), root), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the bundled example gets the configuration its README shows', () => {
  const example = join(repo, 'examples', 'mixed');
  const proposal = proposeLaunch(join(example, 'src', 'app.ts'), example);
  assert.equal(proposal?.program, '${workspaceFolder}/src/app.ts');
  assert.deepEqual(proposal?.outFiles, ['${workspaceFolder}/build/js/**/*.js', '!**/node_modules/**']);
  assert.equal(proposeLaunch(join(example, 'build.mjs'), example)?.cwd, '${workspaceFolder}');
});

test('preflight names what is missing, with the command that installs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-preflight-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const scope = join(dir, 'ptrace_scope');
    writeFileSync(scope, '1\n');
    const empty = preflight({ cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: false });
    assert.deepEqual(empty.map((p) => p.fix), ['sudo apt-get install gdb', 'sudo apt-get install nodejs']);
    for (const tool of ['gdb', 'node']) {
      writeFileSync(join(bin, tool), '#!/bin/sh\n');
      chmodSync(join(bin, tool), 0o755);
    }
    assert.deepEqual(preflight({ cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: false }), []);
    writeFileSync(scope, '2\n');
    assert.deepEqual(preflight({ cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: false }).map((p) => p.fix), ['sudo sysctl kernel.yama.ptrace_scope=1']);
    assert.deepEqual(preflight({ cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: true }), []);
    writeFileSync(scope, '3\n');
    assert.match(preflight({ cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: true })[0]?.message ?? '', /until the next reboot/);
    assert.match(preflight({ cwd: dir, gdbPath: '/nowhere/gdb', pathVariable: bin, ptraceScopeFile: join(dir, 'none') })[0]?.message ?? '', /gdbPath/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Python script is proposed as it is; a C source runs the executable built from it; otherwise why not', async () => {
  // @ts-expect-error: a plain .mjs build script, no types
  const { buildCHostExample } = await import('../../examples/chost/build.mjs');
  const chost = buildCHostExample() as { root: string; cSource: string; workSource: string };
  assert.deepEqual(proposeLaunch(chost.workSource, chost.root), {
    type: 'polyglot', request: 'launch', name: 'Polyglot: python/work.py', program: '${workspaceFolder}/python/work.py', cwd: '${workspaceFolder}/python',
  });
  assert.deepEqual(proposeLaunch(chost.cSource, chost.root), {
    type: 'polyglot', request: 'launch', name: 'Polyglot: build/host', program: '${workspaceFolder}/build/host', cwd: '${workspaceFolder}/build',
  });
  const empty = mkdtempSync(join(tmpdir(), 'polyglot-proposal-c-'));
  try {
    writeFileSync(join(empty, 'tool.c'), 'int main(void) { return 0; }\n');
    assert.equal(proposeLaunch(join(empty, 'tool.c'), empty), undefined);
    assert.match(whyNoProposal(join(empty, 'tool.c')), /no executable built from tool\.c.*gcc -g/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('preflight asks for what the kind of program needs: node, a Python interpreter, nothing more for C; attach under ptrace_scope 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-preflight-kinds-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'gdb'), '#!/bin/sh\n');
    chmodSync(join(bin, 'gdb'), 0o755);
    const scope = join(dir, 'ptrace_scope');
    writeFileSync(scope, '1\n');
    const base = { cwd: dir, pathVariable: bin, ptraceScopeFile: scope, isRoot: false };
    assert.deepEqual(preflight({ ...base, kind: 'native' }), []);
    assert.deepEqual(preflight({ ...base, kind: 'python' }).map((p) => p.fix), ['sudo apt-get install python3']);
    assert.match(preflight({ ...base, kind: 'python', python: '/nowhere/python' })[0]?.message ?? '', /"python"/);
    assert.deepEqual(preflight({ ...base, kind: 'attach' }).map((p) => p.fix), ['sudo sysctl kernel.yama.ptrace_scope=0']);
    assert.deepEqual(preflight({ ...base, kind: 'attach', isRoot: true }), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
