// package.json's launch schema and the LaunchConfig type must describe the same attributes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LAUNCH_ATTRIBUTES } from '../../src/core/launch-config';

test('the polyglot debugger contribution lists exactly the launch attributes, with their types', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'polyglot');
  const launch = debuggerContribution.configurationAttributes.launch;
  assert.deepEqual(launch.required, ['program']);
  const declared = Object.fromEntries(Object.entries(launch.properties as Record<string, { type: string | string[] }>).map(([name, schema]) => [name, schema.type]));
  assert.deepEqual(declared, LAUNCH_ATTRIBUTES);
  for (const snippet of debuggerContribution.configurationSnippets) {
    for (const key of Object.keys(snippet.body)) {
      assert.ok(['type', 'request', 'name'].includes(key) || key in LAUNCH_ATTRIBUTES, `snippet attribute ${key} is a launch attribute`);
    }
  }
});
