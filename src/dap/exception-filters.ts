// The exception filters VS Code shows in the BREAKPOINTS view. C signals (SIGSEGV, SIGABRT,
// SIGFPE, …) always stop: gdb reports them and a crashed process cannot go on anyway.

import type { DebugProtocol } from '@vscode/debugprotocol';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  // Named and ordered as VS Code's JavaScript debugger names its filters.
  { filter: 'js-all', label: 'JavaScript: Caught Exceptions', default: false, description: 'Breaks on every JavaScript exception when it is thrown, even if it is caught later.' },
  {
    filter: 'js-uncaught',
    label: 'JavaScript: Uncaught Exceptions',
    default: true,
    description: 'Breaks where a JavaScript exception is thrown that no JavaScript code catches — also in a callback that C called, before it leaves for C.',
  },
  // Named as VS Code's Python debugger names its filters; "uncaught" here means leaving Python.
  { filter: 'py-uncaught', label: 'Python: Uncaught Exceptions', default: true, description: 'Stop on the line that raised a Python exception that no Python code catches: it leaves Python for the C code that called it.' },
  { filter: 'py-raised', label: 'Python: Raised Exceptions', default: false, description: 'Stop whenever your Python code raises an exception, caught or not.' },
  { filter: 'py-user-uncaught', label: 'Python: User Uncaught Exceptions', default: false, description: 'Stop when a Python exception raised in your code escapes into the library code that called it.' },
];
