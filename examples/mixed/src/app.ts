// The mixed-mode example: TypeScript calls C through koffi, and C calls a TypeScript callback.
// Run it under Polyglot Debug to see one call stack across both languages.
import * as koffi from 'koffi';
import * as path from 'node:path';

const lib = koffi.load(process.env.SCENE_LIBRARY || path.join(__dirname, '..', 'libscene.so'));

koffi.struct('Point', { x: 'double', y: 'double' });
const OnStep = koffi.proto('int OnStep(int step, double value)');
const scene_scale = lib.func('double scene_scale(Point p, double k)');
const scene_walk = lib.func('int scene_walk(int steps, OnStep *on_step)');
const scene_add = lib.func('int scene_add(int a, int b)');
const scene_crash = lib.func('int scene_crash(int *where)');

function onStep(step: number, value: number): number {
  const tenths = tenthsOf(value, step); // @callback-entry
  const sum = scene_add(tenths, step); // @callback-add
  return sum; // @callback-return
}

function measure(x: number, y: number): number {
  const factor = Number(process.env.SCENE_FACTOR ?? 2);
  const length = scene_scale({ x, y }, factor); // @call-scale
  return length; // @after-scale
}

/** Pure JavaScript work, for steps that never leave TypeScript. */
function tally(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += i; // @tally-loop
  }
  return sum;
}

function main(): void {
  const length = measure(3, 4); // @call-measure
  const callback = koffi.register(onStep, koffi.pointer(OnStep));
  const total = scene_walk(Number(process.env.SCENE_STEPS ?? 3), callback); // @call-walk
  koffi.unregister(callback);
  const counted = tally(Number(process.env.SCENE_TALLY ?? 3));
  console.log(`length ${length}, total ${total}, tally ${counted}`); // @report
  if (process.env.SCENE_CATCH === '1') {
    try {
      JSON.parse('{ not json'); // @caught
    } catch {
      // a caught exception: only the "Caught Exceptions" filter stops here
    }
  }
  if (process.env.SCENE_THROW === '1') throw new Error(`scene failed after ${total}`); // @throw
  if (process.env.SCENE_CRASH === '1') scene_crash(null); // @call-crash
}

main();
label();

/** C that calls libc (strlen, snprintf): a step in there stays in the user's code. */
function label(): void {
  const scene_label = lib.func('int scene_label(const char *text, int n)');
  const size = scene_label('scene', 7); // @call-label
  console.log(`label ${size}`); // @after-label
}

/** SCENE_CALLBACK_THROW=N: the callback throws at step N — an exception in JavaScript that C called. */
function tenthsOf(value: number, step: number): number {
  if (process.env.SCENE_CALLBACK_THROW === String(step)) throw new Error(`callback failed at step ${step}`); // @callback-throw
  return Math.round(value * 10);
}

// SCENE_SERVE=1: run on as a service (to attach to), measuring every 50 ms.
if (process.env.SCENE_SERVE === '1') setInterval(() => measure(1, 2), 50);
