// Speed of the editor features on FFI code, measured on the pure cores the providers call:
//   hover        p50/p99 over every declaration and call of examples/abi (all three languages)
//   inlay hints  a generated 5,000-line koffi file, whole file
//   first hover  a fresh process: grammar load + parse + placement (what activation costs)
//   open+hover   the first hover after opening a new 5,000-line koffi / ctypes file in a running
//                extension (parsers warmed as activation does): through DocumentFacts, the
//                providers' own path, on a text never seen (cold caches) — against tree-sitter's
//                parse alone, and against reading the whole file (what later requests use)
// Each is set against the bare ABI engine placing the same prototype (the raw engine).
// Usage: node --import tsx bench/abi-editor.mts
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { answerPlaceRequest } from '../src/abi/contract';
import { ffiHints } from '../src/language/ffi/hints';
import { hoverMarkdown, subjectAt } from '../src/language/ffi/hover';
import { parseFfiFile } from '../src/language/ffi/file';
import { DocumentFacts } from '../src/language/ffi/document-facts';
import { generatedCtypesFile, generatedKoffiFile } from './ffi-files';

const target = 'x86_64-sysv' as const;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

async function hoverTimes(): Promise<number[]> {
  const times: number[] = [];
  for (const name of ['geometry.ts', 'geometry.py', 'geometry.h']) {
    const path = fileURLToPath(new URL(`../examples/abi/${name}`, import.meta.url));
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    for (let round = 0; round < 20; round++) {
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character < (lines[line]?.length ?? 0); character += 4) {
          const t = performance.now();
          // The provider parses once per document version; a hover re-parses only after an edit.
          const file = await parseFfiFile(path, round === 0 ? text : text);
          const subject = subjectAt(file, { line, character });
          if (subject) hoverMarkdown(subject, { target });
          if (subject) times.push(performance.now() - t);
        }
      }
    }
  }
  return times;
}

async function hintTimes(): Promise<{ parse: number; hints: number; visible: number; count: number }> {
  const text = generatedKoffiFile(5000);
  let parse = 0;
  let hints = 0;
  let count = 0;
  let visible = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const file = await parseFfiFile('big.ts', text);
    const t1 = performance.now();
    count = ffiHints(file, { target }).length;
    const t2 = performance.now();
    // What VS Code asks for: the visible range, about 100 lines, somewhere in the file.
    const first = 1000 * round;
    ffiHints(file, { target: 'x86_64-win64' }, { first, last: first + 100 });
    const t3 = performance.now();
    if (round > 0) {
      parse += t1 - t0;
      hints += t2 - t1;
      visible += t3 - t2;
    }
  }
  return { parse: parse / 4, hints: hints / 4, visible: visible / 4, count };
}

function rawPlaceTimes(): number[] {
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    answerPlaceRequest({ id: i, target, decls: 'struct P { double x; double y; };', proto: `double f${i % 50}(struct P p, int n, double k, const char *s)` });
    times.push(performance.now() - t);
  }
  return times;
}

function firstHoverMs(): number {
  const script = `const t=performance.now();const {parseFfiFile}=require('./src/language/ffi/file');const {subjectAt,hoverMarkdown}=require('./src/language/ffi/hover');
(async()=>{const fs=require('fs');const p='examples/abi/geometry.ts';const f=await parseFfiFile(p,fs.readFileSync(p,'utf8'));
const s=f.calls[0]?subjectAt(f,f.calls[0].calleeRange.start):null;if(s)hoverMarkdown(s,{target:'x86_64-sysv'});console.log(performance.now()-t);})();`;
  const root = fileURLToPath(new URL('..', import.meta.url));
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' }).trim());
}

/**
 * Opening new files one after another (each text unseen, so nothing of it is cached), then one
 * hover on a call in the middle of each, asked as the hover provider asks: through a new
 * DocumentFacts, for the hovered line. The parsers are warmed first, as activation does.
 */
async function openAndHoverTimes(kind: 'ts' | 'py'): Promise<{ first: number[]; parseOnly: number[]; whole: number[] }> {
  const { parseText, warmParsers } = await import('../src/language/syntax');
  await warmParsers(['typescript', 'python', 'javascript', 'c', 'tsx']);
  const first: number[] = [];
  const parseOnly: number[] = [];
  const whole: number[] = [];
  for (let salt = 0; salt < 9; salt++) {
    const text = kind === 'ts' ? generatedKoffiFile(5000, `_${salt}`) : generatedCtypesFile(5000, `_${salt}`);
    // Line 2500 is a call in both files, its callee's name at the start of the line.
    const at = { line: 2500, character: 1 };
    const t0 = performance.now();
    const facts = new DocumentFacts(`big${salt}.${kind}`, text, {});
    const file = await facts.get({ first: at.line, last: at.line });
    const subject = subjectAt(file, at);
    if (subject?.kind !== 'function' || subject.call === null) throw new Error('no call to hover in the generated file');
    const markdown = hoverMarkdown(subject, { target });
    const t1 = performance.now();
    facts.dispose();
    const tree = await parseText(kind === 'ts' ? 'typescript' : 'python', text);
    const t2 = performance.now();
    tree.delete();
    const all = await parseFfiFile(`big${salt}.${kind}`, text);
    const t3 = performance.now();
    const wholeSubject = subjectAt(all, at);
    if (!wholeSubject || hoverMarkdown(wholeSubject, { target }) !== markdown) throw new Error('the first hover differs from the whole file\'s');
    // The first file warms what the parsers' first real file warms (V8's tiers); it is not counted.
    if (salt > 0) {
      first.push(t1 - t0);
      parseOnly.push(t2 - t1);
      whole.push(t3 - t2);
    }
  }
  return { first, parseOnly, whole };
}

const hovers = await hoverTimes();
const hints = await hintTimes();
const raw = rawPlaceTimes();
const first = firstHoverMs();
const openTs = await openAndHoverTimes('ts');
const openPy = await openAndHoverTimes('py');
console.log('ABI editor features (ms)');
console.log(`hover over examples/abi (${hovers.length} hovers)   p50 ${pct(hovers, 0.5).toFixed(3)}  p99 ${pct(hovers, 0.99).toFixed(3)}   (aim p99 ≤ 10)`);
console.log(`raw engine, one placement                  p50 ${pct(raw, 0.5).toFixed(3)}  p99 ${pct(raw, 0.99).toFixed(3)}   hover/raw p50 ${(pct(hovers, 0.5) / pct(raw, 0.5)).toFixed(1)}×`);
console.log(`inlay hints, 5,000-line koffi file         whole file ${hints.hints.toFixed(1)} for ${hints.count} hints; a 100-line visible range ${hints.visible.toFixed(1)} (+ parse ${hints.parse.toFixed(1)} once per edit)   (aim ≤ 50)`);
console.log(`first hover in a fresh process             ${first.toFixed(0)} (grammar load, parse, placement; aim ≤ 300)`);
for (const [name, open] of [['koffi (.ts)', openTs], ['ctypes (.py)', openPy]] as const) {
  console.log(
    `open + first hover, 5,000-line ${name.padEnd(12)} median ${pct(open.first, 0.5).toFixed(0)} (max ${Math.max(...open.first).toFixed(0)}); ` +
      `tree-sitter parse alone ${pct(open.parseOnly, 0.5).toFixed(0)}: ${(pct(open.first, 0.5) / pct(open.parseOnly, 0.5)).toFixed(1)}×; ` +
      `reading the whole file ${pct(open.whole, 0.5).toFixed(0)}   (aim ≤ 150)`,
  );
}
console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
