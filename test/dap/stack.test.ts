// The one stack: C and TypeScript frames in their true order with the boundary labels, from a
// stop in C and from a stop in a JS callback that C called.
import { test } from 'node:test';
import { assertGolden } from '../language/golden';
import { example, finish, launchWith, lineOf, stackText, startClient, stopped } from './harness';

const ex = example();

test('stopped in C called from TS: C frames, the koffi label, then the TS callers with TS lines', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@scale-len') }]);
    await stopped(client, 'breakpoint');
    assertGolden('../../dap/golden/stack-in-c.txt', (await stackText(client)) + '\n');
  } finally {
    await finish(client);
  }
});

test('stopped in C inside a JS callback inside C: every segment in order', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.cSource, line: lineOf(ex.cSource, '@add') }]);
    await stopped(client, 'breakpoint');
    assertGolden('../../dap/golden/stack-in-c-under-callback.txt', (await stackText(client)) + '\n');
  } finally {
    await finish(client);
  }
});

test('stopped in a JS callback called from C: callback, label, C, label, outer TS', async () => {
  const client = await startClient();
  try {
    await launchWith(client, [{ path: ex.appSource, line: lineOf(ex.appSource, '@callback-entry') }]);
    await stopped(client, 'breakpoint');
    assertGolden('../../dap/golden/stack-in-callback.txt', (await stackText(client)) + '\n');
  } finally {
    await finish(client);
  }
});
