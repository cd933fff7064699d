import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsCallFrame, PhysicalFrame } from '../../src/core/engine-ports';
import { stitchJsStop, stitchNativeStop, type MapToOriginal, type StackItem } from '../../src/core/stitch';

const toTs: MapToOriginal = (url, line, column) => (url.endsWith('app.js') ? { path: '/src/app.ts', line: line + 100, column } : undefined);
const show = (items: StackItem[]) =>
  items.map((i) => (i.kind === 'label' || i.kind === 'note' ? `-- ${i.name}` : `${i.kind} ${i.name} ${i.path ?? '-'}:${i.line ?? '-'}${i.kind === 'c' && i.level !== undefined ? ` #${i.level}` : ''}`));

const native = (func: string, path?: string, line?: number, level?: number): PhysicalFrame => ({ kind: 'native', func, path, line, pc: '0x1', level });
const js = (name: string, line: number): PhysicalFrame => ({ kind: 'js', pc: '0x2', name, url: 'file:///b/app.js', line, column: 3 });

test('a stop in C under a callback: segments in order, labels at each crossing, runtime frames dropped', () => {
  const physical: PhysicalFrame[] = [
    native('scene_add', '/c/scene.c', 15, 0),
    native('ffi_internal', undefined, undefined, 1),
    { kind: 'koffi-switch', pc: '0x3' },
    { kind: 'v8-internal', pc: '0x4' },
    js('onStep', 16),
    { kind: 'koffi-trampoline', pc: '0x5' },
    native('scene_walk', '/c/scene.c', 25, 4),
    { kind: 'koffi-switch', pc: '0x6' },
    js('main', 30),
    native('node::Start', undefined, undefined, 9),
  ];
  assert.deepEqual(show(stitchNativeStop(physical, toTs)), [
    'c scene_add /c/scene.c:15 #0',
    '-- JS → C (koffi)',
    'js onStep /src/app.ts:116',
    '-- C → JS (koffi callback)',
    'c scene_walk /c/scene.c:25 #4',
    '-- JS → C (koffi)',
    'js main /src/app.ts:130',
  ]);
});

test('a crash inside a library keeps the library frames at the top', () => {
  const physical = [native('strlen'), native('scene_len', '/c/scene.c', 5, 1), js('main', 3)];
  assert.deepEqual(show(stitchNativeStop(physical, toTs)), ['c strlen -:-', 'c scene_len /c/scene.c:5 #1', '-- JS → C (koffi)', 'js main /src/app.ts:103']);
});

test('a JS stop takes the live frames for the JS slots and keeps deeper C frames without values', () => {
  const live = (name: string, line: number): JsCallFrame => ({ callFrameId: name, functionName: name, url: 'file:///b/app.js', line, column: 1, scopes: [] });
  const physical: PhysicalFrame[] = [native('uv_sem_wait'), native('node::inspector::loop'), js('x', 0), native('scene_walk', '/c/scene.c', 25, 7), js('y', 0)];
  const items = stitchJsStop([live('onStep', 16), live('main', 30)], physical, toTs);
  assert.deepEqual(show(items), ['js onStep /src/app.ts:116', '-- C → JS (koffi callback)', 'c scene_walk /c/scene.c:25', '-- JS → C (koffi)', 'js main /src/app.ts:130']);
  assert.equal(items[0]?.kind === 'js' && items[0].live?.callFrameId, 'onStep');
});

test('without a walk a JS stop is the live frames alone; extra live frames are kept', () => {
  const live: JsCallFrame[] = [{ callFrameId: 'a', functionName: '', url: 'node:internal/x', line: 1, column: 1, scopes: [] }];
  assert.deepEqual(show(stitchJsStop(live, undefined, toTs)), ['js <anonymous> -:1']);
  assert.deepEqual(show(stitchJsStop(live, [native('main')], toTs)), ['js <anonymous> -:1']);
});

test('a notice and an early end of the walk are rows of their own, between the frames they concern', () => {
  const physical: PhysicalFrame[] = [
    native('scene_add', '/n/scene.c', 15, 0),
    { kind: 'koffi-switch', pc: '0x3' },
    { kind: 'notice', reason: 'JavaScript frames unavailable: V8 99.1 not recognised (test)' },
    { kind: 'koffi-trampoline', pc: '0x4' },
    native('scene_walk', '/n/scene.c', 25),
    { kind: 'walk-stopped', reason: 'no FDE covers 0x1234' },
  ];
  assert.deepEqual(show(stitchNativeStop(physical, toTs)), [
    'c scene_add /n/scene.c:15 #0',
    '-- JavaScript frames unavailable: V8 99.1 not recognised (test)',
    'c scene_walk /n/scene.c:25',
    '-- Stack walk stopped here: no FDE covers 0x1234',
  ]);
});

test('C built without -g in a user library keeps its frames by name (and the labels around them); other frames without source do not', () => {
  const physical: PhysicalFrame[] = [
    { kind: 'native', func: 'scene_add', pc: '0x10', module: '/app/build/libscene.so', level: 0 },
    { kind: 'native', func: 'ffi_internal', pc: '0x11', module: '/app/node_modules/koffi/koffi.node', level: 1 },
    { kind: 'koffi-switch', pc: '0x3' },
    js('onStep', 16),
    { kind: 'koffi-trampoline', pc: '0x5' },
    { kind: 'native', func: 'scene_walk', pc: '0x12', module: '/app/build/libscene.so', level: 4 },
    { kind: 'koffi-switch', pc: '0x6' },
    js('main', 30),
  ];
  const isUserModule = (module: string | undefined) => !!module?.startsWith('/app/') && !module.includes('node_modules');
  const shown = show(stitchNativeStop(physical, toTs, { isUserModule }));
  assert.deepEqual(shown.filter((line) => !line.startsWith('c ffi_internal')), [
    'c scene_add -:- #0',
    '-- JS → C (koffi)',
    'js onStep /src/app.ts:116',
    '-- C → JS (koffi callback)',
    'c scene_walk -:- #4',
    '-- JS → C (koffi)',
    'js main /src/app.ts:130',
  ]);
  // Without the option (as before): the middle frame without source is dropped, and its labels with it.
  assert.ok(!show(stitchNativeStop(physical, toTs)).some((line) => line.includes('scene_walk')));
});
