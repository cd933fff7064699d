// The compatibility matrix: the debuggee suites (DAP, the gdb stack walks; run.mjs lists them) on node 20, 22 and 24, once
// with this machine's gdb and CPython, once inside a Debian 13 root (gdb 16, CPython 3.13) and once
// inside a Debian 14 testing root (gdb 18, CPython 3.14; both made by .ci/setup-matrix, entered by
// .ci/in-root). Prints node × gdb × Python with passed/total in each cell; --table also writes that
// table into the README between its matrix markers.
//
// Usage: node test/matrix.mjs [--table] [--only=host|debian-13|debian-14] [substring…]   (npm run test:matrix -- --table)
// Substrings pick test files as run.mjs's do (a quick check of a few suites in every place).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tools = process.env.POLYGLOT_TOOLS ?? join(root, '.tools');
const nodes = JSON.parse(readFileSync(join(root, '.ci', 'test-nodes.json'), 'utf8'));
const README = join(root, 'README.md');
const START = '<!-- matrix:start (written by npm run test:matrix -- --table) -->';
const END = '<!-- matrix:end -->';

const args = process.argv.slice(2);
const writeTable = args.includes('--table');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const filters = args.filter((a) => !a.startsWith('--'));

function sh(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (${result.status ?? result.signal})`);
}

/** The run.mjs command for the suites on every node, its JSON results written to `json`. */
function runArgs(json) {
  return [join(root, 'test', 'run.mjs'), `--nodes=${Object.keys(nodes).join(',')}`, '--debuggee-only', `--json=${json}`, ...filters];
}

/** The suites inside a Debian root made by `.ci/setup-matrix SUITE`, with its own example builds. */
function inRoot(name, suite, label) {
  return {
    name,
    suite,
    label,
    run(json) {
      const rootfs = join(tools, `debian-${suite}`);
      // Per checkout too: .tools may be shared by several checkouts (POLYGLOT_TOOLS), and a build
      // made from another one names that one's sources in its debug info (and looks up to date).
      const builds = join(tools, 'matrix-build', `${name}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);
      const binds = ['--bind', root];
      if (relative(root, tools).startsWith('..')) binds.push('--bind', tools);
      // The root's own example builds (its gcc, its libpython), over the checkout's.
      const examples = readdirSync(join(root, 'examples')).filter((e) => existsSync(join(root, 'examples', e, 'build.mjs')));
      for (const example of examples) binds.push('--over', `${join(root, 'examples', example, 'build')}=${join(builds, example)}`);
      const runner = join(tools, `node-v${nodes['20']}`, 'bin', 'node');
      return spawnSync('bash', [join(root, '.ci', 'in-root'), rootfs, ...binds, '--', runner, ...runArgs(json)], { cwd: root, stdio: 'inherit' }).status;
    },
  };
}

const where = [
  {
    name: 'host',
    run(json) {
      return spawnSync(process.execPath, runArgs(json), { cwd: root, stdio: 'inherit' }).status;
    },
  },
  inRoot('debian-13', 'trixie', 'Debian 13 root'),
  inRoot('debian-14', 'forky', 'Debian 14 (testing) root'),
].filter((w) => !only || w.name === only);

function tableOf(stacks) {
  const majors = Object.keys(nodes);
  const rows = new Map();
  for (const s of stacks) {
    const key = `gdb ${s.gdb} · CPython ${s.python}${s.debugInfo.length ? ` (+ debug info: ${s.debugInfo.join(', ')})` : ''} · ${s.where}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key).set(s.node.split('.')[0], s);
  }
  const header = `| gdb · CPython · system | ${majors.map((m) => `node ${rows.values().next().value?.get(m)?.node ?? m}`).join(' | ')} |`;
  const lines = [header, `|---|${majors.map(() => '---:').join('|')}|`];
  for (const [key, byNode] of rows) {
    const cells = majors.map((m) => {
      const s = byNode.get(m);
      if (!s) return 'not run';
      const total = s.passed + s.failed + s.skipped;
      return `${s.passed}/${total}${s.skipped ? ` (${s.skipped} skipped)` : ''}`;
    });
    lines.push(`| ${key} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function main() {
  const started = Date.now();
  sh('bash', ['.ci/setup-nodes']);
  for (const w of where.filter((w) => w.suite)) sh('bash', ['.ci/setup-matrix', w.suite]);
  const scratch = join(root, 'test-artifacts', 'matrix');
  mkdirSync(scratch, { recursive: true });
  const stacks = [];
  let failed = false;
  for (const w of where) {
    const json = join(scratch, `${w.name}.json`);
    rmSync(json, { force: true });
    console.log(`\nmatrix: the debuggee suites on ${w.name}`);
    const status = w.run(json);
    let result;
    try {
      result = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      throw new Error(`the run on ${w.name} wrote no results (exit ${status}); see its output above`);
    }
    failed ||= status !== 0;
    stacks.push(...result.stacks.map((s) => ({ ...s, where: w.label ?? hostName() })));
  }
  const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!README.md') ? ' with uncommitted changes' : ''}`;
  const date = new Date().toISOString().slice(0, 10);
  const table = tableOf(stacks);
  const minutes = ((Date.now() - started) / 60_000).toFixed(0);
  console.log(`\n${table}\n\n(commit ${commit}, ${date}, ${minutes} min)`);
  writeFileSync(join(scratch, 'matrix.json'), `${JSON.stringify({ commit, date, stacks }, null, 2)}\n`);
  if (writeTable) {
    const readme = readFileSync(README, 'utf8');
    const from = readme.indexOf(START);
    const to = readme.indexOf(END);
    if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section to write the table into`);
    const failing = stacks
      .filter((s) => s.failures.length)
      .map((s) => `- ${s.label}, ${s.where}:\n${s.failures.map((f) => `  - ${f}`).join('\n')}`)
      .join('\n');
    const details = failing ? `\n<details><summary>The failing tests</summary>\n\n${failing}\n\n</details>\n` : '';
    const section = `${START}\nPassed/total tests of the suites that run a debuggee, measured on commit ${commit} (${date}) by \`npm run test:matrix -- --table\`:\n\n${table}\n${details}`;
    writeFileSync(README, readme.slice(0, from) + section + readme.slice(to));
    console.log('matrix: the table is written into README.md');
  }
  process.exit(failed ? 1 : 0);
}

function hostName() {
  try {
    return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1] ?? 'host';
  } catch {
    return 'host';
  }
}

main();
