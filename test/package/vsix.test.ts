// The marketplace package: `node .ci/package-vsix.mjs` (vsce on node 24) over the built dist/, then
// the .vsix read back as a zip — what it holds, what it must not hold, its manifest, and its
// bundles run from an extracted copy with no node_modules anywhere above them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { findMarker } from '../language/golden';

const root = fileURLToPath(new URL('../..', import.meta.url));
const node24 = join(process.env.POLYGLOT_TOOLS ?? join(root, '.tools'), 'node24', 'bin', 'node');

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeader: number;
}

/** The central directory of a zip (a .vsix is one); enough for vsce's output: no zip64, no spanning. */
function readZip(zip: Buffer): ZipEntry[] {
  const minEnd = Math.max(0, zip.length - 22 - 0xffff); // the end record is followed by a comment of at most 64 KiB
  let end = zip.length - 22;
  while (end >= minEnd && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= minEnd, 'not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  const entries: ZipEntry[] = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${i} is corrupt`);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localHeader: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

function unzipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeader;
  assert.equal(zip.readUInt32LE(at), 0x04034b50, `local header of ${entry.name} is corrupt`);
  // Sizes come from the central directory: the local header's may be zero when a data descriptor follows.
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  assert.equal(entry.method, 8, `${entry.name}: compression method ${entry.method} is neither stored nor deflate`);
  return inflateRawSync(data);
}

let work = '';
let vsixPath = '';
let vsix = Buffer.alloc(0);
let entries: ZipEntry[] = [];
const names = () => entries.map((e) => e.name);

before(() => {
  // Fail at once with the fix rather than through the script: without node 24 vsce cannot run.
  assert.ok(existsSync(node24), `${node24} is missing: vsce 4 needs node >= 22; run bash .ci/setup-vscode`);
  assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'polyglot-vsix-'));
  vsixPath = join(work, 'polyglot-debug.vsix');
  // Its own output path, so a concurrent `npm run package` in the checkout is not overwritten.
  const result = spawnSync(process.execPath, [join(root, '.ci', 'package-vsix.mjs'), '--out', vsixPath], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  assert.equal(result.status, 0, `packaging failed (${result.error?.message ?? result.signal ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  vsix = readFileSync(vsixPath);
  entries = readZip(vsix);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the .vsix holds the bundles, the files they load at run time and the marketplace files', (t) => {
  const gdbHelpers = readdirSync(join(root, 'src', 'engines', 'gdb', 'python')).filter((f) => f.endsWith('.py'));
  assert.ok(gdbHelpers.length > 0);
  const grammars = ['tree-sitter.wasm', ...['typescript', 'tsx', 'javascript', 'python', 'c'].map((l) => `tree-sitter-${l}.wasm`)];
  const expected = [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/dist/debugAdapter.js',
    'extension/dist/cli.js',
    ...gdbHelpers.map((f) => `extension/dist/gdb-python/${f}`),
    ...grammars.map((f) => `extension/dist/grammars/${f}`),
    'extension/syntaxes/koffi-c-injection.tmLanguage.json',
    'extension/media/icon.png',
    // vsce renames these three to the names the marketplace looks for.
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/readme.md',
    'extension.vsixmanifest',
  ];
  for (const name of expected) assert.ok(names().includes(name), `${name} is in the .vsix (it has: ${names().join(', ')})`);
  t.diagnostic(`${vsixPath}: ${(statSync(vsixPath).size / 1024).toFixed(0)} KiB, ${entries.length} entries`);
});

test('the .vsix holds nothing from outside the allow-list of .vscodeignore', () => {
  const forbidden = ['src/', 'test/', 'node_modules/', 'examples/', 'bench/', '.ci/', '.tools/', '.work/', 'out/', 'dist-vsix/', '.git/'];
  for (const name of names()) {
    for (const folder of forbidden) assert.ok(!name.startsWith(`extension/${folder}`), `${name} should not be packaged`);
    assert.doesNotMatch(name, /\.(map|ts|mts|vsix)$/, `${name} should not be packaged`);
    const mediaAllowed = /^extension\/media\/([\w-]+\.png|frame-view\.(css|js))$/;
    assert.ok(!name.startsWith('extension/media/') || mediaAllowed.test(name), `${name}: only the icon and the frame view's assets of media/ are packaged`);
  }
});

test('the packaged manifest: a workspace extension, limited in untrusted workspaces, with its icon', () => {
  const entry = entries.find((e) => e.name === 'extension/package.json');
  assert.ok(entry);
  const manifest = JSON.parse(unzipEntry(vsix, entry).toString('utf8'));
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
  assert.match(manifest.capabilities.untrustedWorkspaces.description, /trust/);
  assert.equal(manifest.capabilities.virtualWorkspaces, false);
  assert.equal(manifest.icon, 'media/icon.png');
  assert.equal(manifest.main, './dist/extension.js');
  for (const asset of ['frame-view.css', 'frame-view.js']) assert.ok(entries.some((e) => e.name === `extension/media/${asset}`), `the frame view's ${asset} is packaged`);
  const icon = entries.find((e) => e.name === 'extension/media/icon.png');
  assert.ok(icon);
  const png = unzipEntry(vsix, icon);
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'the marketplace wants an icon of at least 128×128');
});

test('the packaged bundles run from an extracted copy, finding their wasm and helpers without node_modules', async () => {
  const extracted = join(work, 'x');
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const file = join(extracted, entry.name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, unzipEntry(vsix, entry));
  }
  // node would find a node_modules in any folder above the copy; then the bundle's fallback to
  // web-tree-sitter's own wasm could hide a missing dist/grammars.
  for (let dir = extracted; dir !== dirname(dir); dir = dirname(dir)) {
    assert.ok(!existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists: this check needs a temp folder outside any package`);
  }
  // The CLI's parse cache in this test's folder, never the user's.
  const env: NodeJS.ProcessEnv = { ...process.env, POLYGLOT_ABI_CACHE: join(work, 'abi-cache') };
  delete env.NODE_PATH;

  const example = join(root, 'examples', 'abi', 'geometry.ts');
  const at = findMarker(readFileSync(example, 'utf8'), 'vec3_dot(Vec3');
  const cli = join(extracted, 'extension', 'dist', 'cli.js');
  const hover = spawnSync(process.execPath, [cli, 'hover', example, String(at.line), String(at.column), '--target', 'x86_64-sysv'], {
    cwd: extracted,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(hover.status, 0, hover.stderr);
  assert.match(hover.stdout, /^\| arg \| where \| type \| bytes \| class \|$/m);
  assert.match(hover.stdout, /^\| `a` \| `xmm0` ← bytes 0–7, `xmm1` ← bytes 8–11 \| `Vec3` \| 12 \| SSE, SSE \|$/m);

  // The debug adapter starts and answers DAP's first request: its bundle needs nothing beside it.
  const adapter = spawn(process.execPath, [join(extracted, 'extension', 'dist', 'debugAdapter.js')], { cwd: extracted, env, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const response = await new Promise<{ success: boolean; message?: string; body?: { supportsConfigurationDoneRequest?: boolean } }>((resolve, reject) => {
      let stdout = Buffer.alloc(0);
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`no answer to initialize in 30 s; stderr: ${stderr}`)), 30_000);
      adapter.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      adapter.on('exit', (code) => reject(new Error(`the adapter exited (${code}) before answering; stderr: ${stderr}`)));
      adapter.stdout.on('data', (chunk: Buffer) => {
        stdout = Buffer.concat([stdout, chunk]);
        // DAP framing: a Content-Length header, a blank line, that many bytes of JSON; events may come first.
        for (;;) {
          const headerEnd = stdout.indexOf('\r\n\r\n');
          const length = Number(/Content-Length: (\d+)/.exec(stdout.toString('latin1', 0, Math.max(headerEnd, 0)))?.[1]);
          if (headerEnd < 0 || !(length >= 0) || stdout.length < headerEnd + 4 + length) return;
          const message = JSON.parse(stdout.toString('utf8', headerEnd + 4, headerEnd + 4 + length));
          stdout = stdout.subarray(headerEnd + 4 + length);
          if (message.type === 'response' && message.command === 'initialize') {
            clearTimeout(timer);
            resolve(message);
            return;
          }
        }
      });
      const request = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'polyglot', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true } });
      adapter.stdin.write(`Content-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
    });
    assert.equal(response.success, true, response.message);
    assert.equal(response.body?.supportsConfigurationDoneRequest, true);
  } finally {
    adapter.kill();
  }
});
