// A node:test reporter for test/run.mjs: one JSON line per started and per finished test and per
// line a test file writes to stderr; run.mjs turns them into its per-file lines and its summary.

function describeError(error) {
  // The runner wraps what the test threw (ERR_TEST_FAILURE); the cause is what the user wants.
  const cause = error?.cause ?? error;
  if (cause instanceof Error) return { message: String(cause.message), stack: String(cause.stack ?? '') };
  return { message: String(cause), stack: '' };
}

export default async function* reporter(source) {
  for await (const { type, data } of source) {
    if (type === 'test:pass' || type === 'test:fail') {
      yield `${JSON.stringify({
        type,
        name: data.name,
        nesting: data.nesting,
        file: data.file,
        line: data.line,
        column: data.column,
        skipped: (data.skip !== undefined && data.skip !== false) || (data.todo !== undefined && data.todo !== false),
        suite: data.details?.type === 'suite',
        failureType: data.details?.error?.failureType,
        error: type === 'test:fail' ? describeError(data.details?.error) : undefined,
      })}\n`;
    } else if (type === 'test:dequeue') {
      yield `${JSON.stringify({ type, name: data.name })}\n`;
    } else if (type === 'test:stderr') {
      yield `${JSON.stringify({ type, message: data.message })}\n`;
    }
  }
}
