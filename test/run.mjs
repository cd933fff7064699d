// Runs the test files under test/ with node's built-in runner (TypeScript through tsx), a few files
// at a time, and prints a short report: one line per file, every failure in full, and last a plain
// `N passed, N failed, N skipped` line (CI reads it; the exit code is non-zero on any failure).
//
// Usage: node test/run.mjs [--nodes=20,22,24] [--debuggee-only] [--jobs=N] [--json=FILE] [substring…]
//   substring…  only files whose path contains one of them
//   --debuggee-only  only the suites that run a debuggee node (test/matrix.mjs runs those)
//   --nodes     the suites that run a debuggee node (DAP, unified stack) run once per node: a major
//               (the official build .ci/setup --tests puts in .tools, see .ci/test-nodes.json) or
//               an absolute path; without it they run on POLYGLOT_TEST_NODE or this node
//   --jobs      files run at once (default 3: the DAP files mostly wait on gdb, V8 and the debuggee;
//               on 2 cores, with 4 at once each took 1.3–1.6× as long as with 2: more done a minute)
//   --json      also write the counts per stack and the failures to FILE (test/matrix.mjs reads it)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tools = process.env.POLYGLOT_TOOLS ?? join(root, '.tools');
/** Test files that start a debuggee node: they run once per node of --nodes. */
const DEBUGGEE_SUITES = ['test/dap/', 'test/engines/gdb/unified-stack.test.ts', 'test/engines/gdb/read-only-walk.test.ts', 'test/engines/gdb/walk-after-step.test.ts', 'test/engines/gdb/elf-symbols.test.ts', 'test/engines/gdb/v8-break-symbols.test.ts'];
/** Debuggee suites that start no node (a C program, a Python program): once, on the first of --nodes. */
const NODE_FREE_SUITES = ['test/dap/chost.test.ts', 'test/dap/pyhost.test.ts', 'test/dap/launch-input.test.ts', 'test/dap/attach-native.test.ts'];
/** The files that take minutes (measured), longest first; the others follow in path order. */
const LONGEST = ['test/dap/python.test.ts', 'test/vscode/ext-host.test.ts', 'test/e2e/workbench.test.ts', 'test/dap/steps.test.ts', 'test/dap/stops.test.ts'];

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

function parseArgs(argv) {
  const options = { nodes: undefined, debuggeeOnly: false, jobs: 3, json: undefined, filters: [] };
  for (const arg of argv) {
    const [key, value] = arg.startsWith('--') ? [arg.slice(2, arg.includes('=') ? arg.indexOf('=') : undefined), arg.split('=').slice(1).join('=')] : [undefined, arg];
    if (key === 'nodes') options.nodes = value.split(',').filter(Boolean);
    else if (key === 'debuggee-only') options.debuggeeOnly = true;
    else if (key === 'jobs') options.jobs = Math.max(1, Number(value) || 1);
    else if (key === 'json') options.json = value;
    else if (key !== undefined) fail(`unknown option --${key} (see the usage at the top of test/run.mjs)`);
    else options.filters.push(value);
  }
  return options;
}

function fail(message) {
  console.error(`test/run.mjs: ${message}`);
  process.exit(2);
}

/** A node of --nodes (a major or a path) → its absolute path. */
function nodePath(spec) {
  if (spec.startsWith('/')) return spec;
  const versions = JSON.parse(readFileSync(join(root, '.ci', 'test-nodes.json'), 'utf8'));
  const version = versions[spec];
  if (!version) fail(`--nodes: no official build of node ${spec} in .ci/test-nodes.json (majors: ${Object.keys(versions).join(', ')})`);
  const path = join(tools, `node-v${version}`, 'bin', 'node');
  if (!existsSync(path)) fail(`node ${version} is not installed at ${path}: run \`bash .ci/setup --tests\``);
  return path;
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

function installed(pkg) {
  return firstLine('dpkg-query', ['-W', '-f=${Status}', pkg])?.endsWith('install ok installed') ?? false;
}

/** What a debuggee suite ran on: node, gdb, and the CPython the examples embed (python3-config's). */
function describeStack(node) {
  const gdb = firstLine('gdb', ['--version'])?.match(/(\d+\.\d+(\.\d+)?)\s*$/)?.[1] ?? 'missing';
  const python = firstLine('/usr/bin/python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']) ?? 'missing';
  const minor = python.split('.').slice(0, 2).join('.');
  const debugInfo = [installed(`libpython${minor}-dbg`) && 'libpython', installed('libc6-dbg') && 'libc'].filter(Boolean);
  const nodeVersion = (node === process.execPath ? process.version : firstLine(node, ['--version']) ?? 'v?').replace(/^v/, '');
  const label = `node ${nodeVersion} · gdb ${gdb} · Python ${python}${debugInfo.length ? ` (debug info: ${debugInfo.join(', ')})` : ''}`;
  return { node: nodeVersion, nodePath: node, gdb, python, debugInfo, label };
}

/** Runs one file; resolves with its results, each with its full name (suite › test › subtest). */
/** A file still running after this long is ended and counted as a failure: a hang never stalls CI. */
const FILE_LIMIT_MINUTES = Number(process.env.POLYGLOT_TEST_FILE_MINUTES) || 15;
const running = new Set();

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

// The files run in their own process groups, which ctrl-C does not reach: end them here.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) killGroup(child);
    process.exit(130);
  });
}

// What the CLI keeps by content (parsed files) goes to a folder of this run's own, never the
// user's ~/.cache/polyglot-abi; tests that look at the cache make their own inside it.
const abiCache = process.env.POLYGLOT_ABI_CACHE ? null : mkdtempSync(join(tmpdir(), 'polyglot-test-abi-cache-'));
process.on('exit', () => {
  if (abiCache) rmSync(abiCache, { recursive: true, force: true });
});

function runFile(file, env) {
  return new Promise((resolve) => {
    const reporter = pathToFileURL(join(root, 'test', 'reporter.mjs')).href;
    // Its own process group, so that a hung file is ended with everything it started.
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', file], {
      cwd: root,
      env: { ...process.env, ...(abiCache ? { POLYGLOT_ABI_CACHE: abiCache } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    const started = Date.now();
    const pending = []; // finished tests whose parent has not finished yet
    const stderr = [];
    const inProgress = new Set(); // names of the tests started and not finished
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, FILE_LIMIT_MINUTES * 60_000);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue; // a line a test printed itself
        }
        if (event.type === 'test:stderr') {
          stderr.push(event.message);
          continue;
        }
        if (event.type === 'test:dequeue') {
          inProgress.add(event.name);
          continue;
        }
        inProgress.delete(event.name);
        // Children finish before their parent: the entries deeper than this one are its subtests.
        const entry = { ...event, names: [event.name], children: [] };
        while (pending.length && pending[pending.length - 1].nesting > event.nesting) entry.children.unshift(pending.pop());
        pending.push(entry);
      }
    });
    child.stderr.on('data', (chunk) => stderr.push(String(chunk)));
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      running.delete(child);
      const results = [];
      const walk = (entry, prefix) => {
        const names = [...prefix, entry.name];
        for (const child of entry.children) walk(child, names);
        const leaf = entry.children.length === 0 && !entry.suite;
        const ownFailure = entry.type === 'test:fail' && entry.failureType !== 'subtestsFailed';
        if (leaf || ownFailure) results.push({ ...entry, name: names.join(' › '), status: entry.type === 'test:fail' ? 'failed' : entry.skipped ? 'skipped' : 'passed' });
      };
      for (const entry of pending) walk(entry, []);
      const stderrTail = stderr.join('').trimEnd().split('\n').slice(-30).join('\n');
      if (timedOut) {
        const still = [...inProgress].filter((n) => n !== file && n !== join(root, file));
        results.push({ name: `${file} (the test process)`, status: 'failed', file, error: { message: `ended after ${FILE_LIMIT_MINUTES} minutes (POLYGLOT_TEST_FILE_MINUTES); still running: ${still.join('; ') || 'unknown'}`, stack: '' } });
      } else if ((code !== 0 || signal) && !results.some((r) => r.status === 'failed')) {
        results.push({ name: `${file} (the test process)`, status: 'failed', file, error: { message: `exited with ${signal ?? `code ${code}`} and no failed test`, stack: '' } });
      }
      for (const r of results) if (r.status === 'failed' && (r.name === file || r.name.startsWith(`${file} (`) || r.name === join(root, file))) r.stderr = stderrTail;
      resolve({ results, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const count = (results, status) => results.filter((r) => r.status === status).length;

/** `test/dap/steps.test.ts › suite › test`, or the file alone when the file itself failed. */
function fullName(result) {
  const file = result.file ? relative(root, result.file.startsWith('file:') ? fileURLToPath(result.file) : result.file) : '';
  const fileItself = !file || result.name === file || result.name.startsWith(`${file} (`) || result.name === join(root, file);
  return fileItself ? result.name.replace(root, '') : `${file} › ${result.name}`;
}

function formatFailure(failure) {
  const name = fullName(failure);
  const frames = (failure.error?.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l) && l.includes(root) && !l.includes('node_modules'))
    .slice(0, 3)
    .map((l) => `    ${l.trim().replace(root, '')}`);
  return [
    `✗ ${failure.stack ? `[${failure.stack}] ` : ''}${name}`,
    ...(failure.error?.message ?? '').split('\n').map((l) => `    ${l}`),
    ...(frames.length ? frames : failure.line ? [`    declared at line ${failure.line} of the file`] : []),
    ...(failure.stderr ? ['    stderr of the test process:', ...failure.stderr.split('\n').map((l) => `      ${l}`)] : []),
  ].join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const isDebuggee = (f) => DEBUGGEE_SUITES.some((s) => f.startsWith(s));
  const files = findTests(join(root, 'test'))
    .filter((f) => options.filters.length === 0 || options.filters.some((s) => f.includes(s)))
    .filter((f) => !options.debuggeeOnly || isDebuggee(f))
    .sort();
  if (files.length === 0) fail(`no test files match ${options.filters.join(' ') || 'test/**/*.test.ts'}`);
  const nodes = options.nodes ? options.nodes.map(nodePath) : [process.env.POLYGLOT_TEST_NODE || process.execPath];
  const stacks = nodes.map(describeStack);

  // The longest files first, so the run does not end on one slow file with the other core idle.
  const rank = (job) => (LONGEST.includes(job.file) ? LONGEST.indexOf(job.file) : LONGEST.length);
  const jobs = [
    ...stacks.flatMap((stack, index) => files.filter(isDebuggee).filter((f) => index === 0 || !NODE_FREE_SUITES.includes(f)).map((file) => ({ file, stack }))),
    ...files.filter((f) => !isDebuggee(f)).map((file) => ({ file })),
  ].sort((a, b) => rank(a) - rank(b));
  console.log(`test: ${files.length} files, ${options.jobs} at a time; the debuggee suites on ${stacks.map((s) => s.label).join('; ')}`);

  const started = Date.now();
  const done = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const env = job.stack ? { POLYGLOT_TEST_NODE: job.stack.nodePath } : {};
      const { results, seconds } = await runFile(job.file, env);
      done.push({ ...job, results });
      const failed = count(results, 'failed');
      const skipped = count(results, 'skipped');
      const on = job.stack && stacks.length > 1 ? ` (node ${job.stack.node})` : '';
      console.log(`  ${failed ? 'FAIL' : 'ok  '}  ${job.file}${on}  ${count(results, 'passed')} passed${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}  ${seconds.toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, jobs.length) }, worker));

  const all = done.flatMap((job) => job.results.map((r) => ({ ...r, stack: job.stack?.label })));
  const failures = all.filter((r) => r.status === 'failed');
  if (failures.length) console.log(`\n${failures.length} failed:\n\n${failures.map(formatFailure).join('\n\n')}\n`);
  if (options.json) {
    const perStack = stacks.map((stack) => {
      const results = done.filter((job) => job.stack === stack).flatMap((job) => job.results);
      return { ...stack, passed: count(results, 'passed'), failed: count(results, 'failed'), skipped: count(results, 'skipped'), failures: results.filter((r) => r.status === 'failed').map(fullName) };
    });
    writeFileSync(options.json, `${JSON.stringify({ stacks: perStack, passed: count(all, 'passed'), failed: failures.length, skipped: count(all, 'skipped') }, null, 2)}\n`);
  }
  console.log(`(${((Date.now() - started) / 60_000).toFixed(1)} min)`);
  console.log(`${count(all, 'passed')} passed, ${failures.length} failed, ${count(all, 'skipped')} skipped`);
  process.exit(failures.length ? 1 : 0);
}

await main();
