// package.json's launch schema and the LaunchConfig type must describe the same attributes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES } from '../../src/core/launch-config';

test('the polyglot debugger contribution lists exactly the launch and attach attributes, with their types', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'polyglot');
  const launch = debuggerContribution.configurationAttributes.launch;
  assert.deepEqual(launch.required, ['program']);
  const declared = Object.fromEntries(Object.entries(launch.properties as Record<string, { type: string | string[] }>).map(([name, schema]) => [name, schema.type]));
  assert.deepEqual(declared, LAUNCH_ATTRIBUTES);
  const attach = debuggerContribution.configurationAttributes.attach;
  assert.deepEqual(attach.required, ['processId']);
  const attachDeclared = Object.fromEntries(Object.entries(attach.properties as Record<string, { type: string | string[] }>).map(([name, schema]) => [name, schema.type]));
  assert.deepEqual(attachDeclared, ATTACH_ATTRIBUTES);
  for (const snippet of debuggerContribution.configurationSnippets) {
    const attributes = snippet.body.request === 'attach' ? ATTACH_ATTRIBUTES : LAUNCH_ATTRIBUTES;
    for (const key of Object.keys(snippet.body)) {
      assert.ok(['type', 'request', 'name'].includes(key) || key in attributes, `snippet attribute ${key} is a ${snippet.body.request} attribute`);
    }
  }
  assert.equal(debuggerContribution.variables.pickProcess, 'polyglot.pickProcess');
  assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'polyglot.pickProcess'));
});
