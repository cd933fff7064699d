import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLibraryScript, UserCode } from '../../src/core/user-code';

const dir = mkdtempSync(join(tmpdir(), 'user-code-'));
const file = (relative: string) => {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '/* */\n');
  return path;
};
const mine = file('app/native/scene.c');
const listed = file('vendor/lib/helper.c');
const addon = file('app/node_modules/addon/src/addon.c');

test('C sources under a root that exist are user code; libc and libpython paths, missing files and node_modules are not', () => {
  const code = new UserCode([join(dir, 'app')]);
  assert.equal(code.isUserSource(mine), true);
  assert.equal(code.isUserSource(join(dir, 'app', 'native', 'gone.c')), false);
  assert.equal(code.isUserSource(addon), false);
  assert.equal(code.isUserSource(listed), false);
  assert.equal(code.isUserSource('/build/python3.11-abc/Objects/call.c'), false);
  assert.equal(code.isUserSource('../sysdeps/x86_64/multiarch/strlen-evex.S'), false);
  assert.equal(code.isUserSource(undefined), false);
  // A root is a folder, not a name prefix.
  assert.equal(new UserCode([join(dir, 'ap')]).isUserSource(mine), false);
});

test('listed paths add user code; with justMyCode off every existing source is', () => {
  assert.equal(new UserCode([join(dir, 'app'), join(dir, 'vendor')]).isUserSource(listed), true);
  assert.equal(new UserCode([join(dir, 'app'), listed]).isUserSource(listed), true);
  const off = new UserCode([join(dir, 'app')], false);
  assert.equal(off.isUserSource(listed), true);
  assert.equal(off.isUserSource(addon), true);
  assert.equal(off.isUserSource('/build/python3.11-abc/Objects/call.c'), false);
});

test('node internals and installed packages are library scripts', () => {
  assert.equal(isLibraryScript('node:internal/modules/cjs/loader'), true);
  assert.equal(isLibraryScript('file:///p/node_modules/koffi/index.js'), true);
  assert.equal(isLibraryScript(''), true);
  assert.equal(isLibraryScript('file:///p/build/js/app.js'), false);
});
