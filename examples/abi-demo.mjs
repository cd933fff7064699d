// The ABI demo: where each call of examples/abi/geometry.h puts its arguments, on every
// target, through the shipped `polyglot-abi` bundle.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { markdownForTerminal } from './terminal-text.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const header = fileURLToPath(new URL('abi/geometry.h', import.meta.url));
const targets = ['x86_64-sysv', 'x86_64-win64', 'aarch64-aapcs64', 'arm64-apple'];
const calls = [
  { proto: 'float vec3_dot(Vec3 a, Vec3 b)' },
  { proto: 'Sample sample_scale(Sample s, double k)' },
  { proto: 'struct Matrix matrix_rotate(const struct Matrix *m, double angle, int axis)' },
  { proto: 'int header_check(struct Header h, long checksum, unsigned __int128 nonce)' },
  { proto: 'int log_values(const char *fmt, ...)', varargs: ['double', 'int', 'double'] },
];

let failed = false;
for (const { proto, varargs = [] } of calls) {
  for (const target of targets) {
    const args = ['place', '--target', target, '--decls-file', header, '--proto', proto];
    for (const type of varargs) args.push('--vararg', type);
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    process.stdout.write(result.stdout + (result.stderr ?? '') + '\n');
    failed ||= result.status !== 0;
  }
}
// The same engine on source files: the hover of a koffi call and of a ctypes call, and the
// consistency check of the bindings against the header.
const source = (name) => fileURLToPath(new URL(`abi/${name}`, import.meta.url));
for (const args of [
  ['hover', source('geometry.ts'), '16', '18', '--target', 'x86_64-sysv'],
  ['hover', source('geometry.py'), '27', '12', '--target', 'aarch64-aapcs64'],
  ['check', fileURLToPath(new URL('abi', import.meta.url)), '--target', 'x86_64-win64'],
]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  // The hover is the editor's Markdown: shown here as a terminal shows text.
  const shown = args[0] === 'hover' ? markdownForTerminal(result.stdout) : result.stdout;
  process.stdout.write(`$ polyglot-abi ${args.map((a) => a.replace(/.*examples\//, 'examples/')).join(' ')}\n${shown}${result.stderr ?? ''}\n`);
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
