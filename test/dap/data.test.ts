// Values in both languages: C arguments (structs expandable), registers, evaluate and setVariable
// through gdb; JS scopes, evaluate and setVariable through the inspector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectOutput, evaluateTop, example, finish, launchWith, lineOf, localsOfTop, startClient, stopped, topFrame } from './harness';

const ex = example();

test('C frame: struct argument expands, registers scope, evaluate, setVariable changes the result', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@scale-len') }]);
    await stopped(client, 'breakpoint');
    const locals = await localsOfTop(client);
    const p = locals.get('p');
    assert.ok(p && p.variablesReference > 0, 'p is expandable');
    const fields = (await client.variablesRequest({ variablesReference: p.variablesReference })).body.variables;
    assert.deepEqual(
      fields.map((f) => [f.name, f.value]),
      [
        ['x', '3'],
        ['y', '4'],
      ],
    );
    assert.equal(locals.get('k')?.value, '2');
    assert.equal(await evaluateTop(client, 'p.x * p.y + k'), '14');
    assert.equal(await evaluateTop(client, 'k', 'hover'), '2');

    const top = await topFrame(client);
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    const registers = scopes.find((s) => s.name === 'Registers');
    assert.ok(registers, 'a Registers scope');
    const regs = (await client.variablesRequest({ variablesReference: registers.variablesReference })).body.variables;
    assert.ok(regs.some((r) => r.name === 'rip'), 'rip is listed');

    const localsScope = scopes[0]!;
    const set = await client.setVariableRequest({ variablesReference: localsScope.variablesReference, name: 'k', value: '3' });
    assert.equal(set.body.value, '3');
    await client.continueRequest({ threadId: 1 });
    await client.waitForEvent('terminated');
    assert.match(output.text(), /length 15, total 18, tally 3/);
  } finally {
    await finish(client);
  }
});

test('JS frame: locals, evaluate on the frame and for hovers, setVariable changes what the program prints', async () => {
  const client = await startClient();
  const output = collectOutput(client);
  try {
    await launchWith(client, [{ path: ex.appSource, line: lineOf(ex.appSource, '@call-scale') }]);
    await stopped(client, 'breakpoint');
    const locals = await localsOfTop(client);
    assert.equal(locals.get('factor')?.value, '2');
    assert.equal(locals.get('x')?.value, '3');
    assert.equal(await evaluateTop(client, 'x * 100 + y'), '304');
    assert.equal(await evaluateTop(client, '({ x, y })', 'hover'), '{x: 3, y: 4}');
    const top = await topFrame(client);
    const local = (await client.scopesRequest({ frameId: top.id })).body.scopes[0]!;
    const set = await client.setVariableRequest({ variablesReference: local.variablesReference, name: 'factor', value: '3' });
    assert.equal(set.body.value, '3');
    await client.continueRequest({ threadId: 1 });
    await client.waitForEvent('terminated');
    assert.match(output.text(), /length 15, total 18, tally 3/);
  } finally {
    await finish(client);
  }
});
