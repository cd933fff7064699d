// `check` on real koffi code: packages from the npm registry that depend on koffi are fetched
// with npm itself (`npm view`, `npm pack`), unpacked into a temporary folder and checked as a
// user would (`polyglot-abi check` on the package), printing per package what was found,
// compared, left without a C counterpart or not understood, and the diagnostics.
//   node --import tsx bench/ffi-npm-dependents.mts [--target T] [--details FILE]
//        [--headers PACKAGE=DIR]... [PACKAGE ...]
// Packages default to a few that declare koffi as a dependency; any other can be named. Their
// dist/, out/ and build/ folders are read too (a workspace check skips them as build output). Packages
// rarely ship the C headers of the library they bind: --headers copies a folder of them (taken
// from the library's own sources) into the unpacked package before the check.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetId } from '../src/abi/model';
import { checkWorkspace } from '../src/language/ffi/workspace';

const DEFAULT_PACKAGES = ['tlsclientwrapper', 'vosk-koffi', '@mariozechner/pi-tui'];

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const target = (flag('--target') ?? 'x86_64-sysv') as TargetId;
const headers = new Map<string, string>();
for (let spec = flag('--headers'); spec !== undefined; spec = flag('--headers')) {
  const at = spec.lastIndexOf('=');
  headers.set(spec.slice(0, at), spec.slice(at + 1));
}
const detailsFile = flag('--details');
const packages = args.length > 0 ? args : DEFAULT_PACKAGES;

function npm(...argv: string[]): string {
  return execFileSync('npm', argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

const work = mkdtempSync(join(tmpdir(), 'ffi-npm-dependents-'));
const details: string[] = [];
console.log(`check over npm packages that depend on koffi (${target})`);
console.log('package                         version   files  found  compared  without C  not understood  errors  hints');
try {
  for (const name of packages) {
    let version = '?';
    try {
      const view = JSON.parse(npm('view', name, 'version', 'dependencies', 'optionalDependencies', 'peerDependencies', '--json')) as Record<string, unknown>;
      version = String(view['version'] ?? '?');
      const deps = { ...(view['dependencies'] as object), ...(view['optionalDependencies'] as object), ...(view['peerDependencies'] as object) };
      if (!Object.hasOwn(deps, 'koffi')) console.log(`${name.padEnd(32)}${version.padEnd(10)}(does not depend on koffi; checked anyway)`);
      const dir = join(work, name.replace(/[/@]/g, '_'));
      mkdirSync(dir, { recursive: true });
      const packed = JSON.parse(npm('pack', `${name}@${version}`, '--json', '--pack-destination', dir)) as { filename: string }[];
      execFileSync('tar', ['-xzf', join(dir, packed[0]!.filename), '-C', dir], { timeout: 60_000 });
      const root = join(dir, 'package');
      // A workspace check skips build output (dist, out, build); in a published package that is
      // the code users run, so it is read here under another name.
      for (const built of ['dist', 'out', 'build']) if (existsSync(join(root, built))) renameSync(join(root, built), join(root, `${built}.published`));
      const extra = headers.get(name);
      if (extra) cpSync(extra, join(root, 'polyglot-headers'), { recursive: true });
      const report = await checkWorkspace(root, target);
      const errors = report.mismatches.filter((m) => m.severity === 'error').length;
      const hints = report.mismatches.length - errors;
      const t = report.total;
      console.log(
        `${name.padEnd(32)}${version.padEnd(10)}${String(report.files.length).padStart(5)}  ${String(t.found).padStart(5)}  ${String(t.compared).padStart(8)}  ${String(t.withoutC).padStart(9)}  ${String(t.notUnderstood).padStart(14)}  ${String(errors).padStart(6)}  ${String(hints).padStart(5)}`,
      );
      details.push(`## ${name}@${version}: ${report.cFunctions} C functions in the package`);
      for (const m of report.mismatches) {
        details.push(`${m.severity}: ${m.path}:${m.range.start.line + 1} ${m.function}: ${m.differences.join('; ')}`, `  declared: ${m.foreignPrototype}`, `  C:        ${m.cPrototype} (${m.cLocation?.path ?? '?'})`);
      }
      for (const n of report.notUnderstood) details.push(`not understood: ${n.path}:${n.line} ${n.function}: ${n.reason}`);
      for (const n of report.withoutC) details.push(`without C: ${n.path}:${n.line} ${n.function}`);
      const unreadable = readdirSync(root, { recursive: true }).length;
      details.push(`(${unreadable} entries unpacked)`, '');
    } catch (err) {
      console.log(`${name.padEnd(32)}${version.padEnd(10)}could not be fetched or checked: ${(err as Error).message.split('\n')[0]}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (detailsFile) {
  writeFileSync(detailsFile, details.join('\n') + '\n');
  console.log(`details: ${detailsFile}`);
} else console.log(details.join('\n'));
