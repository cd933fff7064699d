// The exception filters VS Code shows in the BREAKPOINTS view. C signals (SIGSEGV, SIGABRT,
// SIGFPE, …) always stop: gdb reports them and a crashed process cannot go on anyway.

import type { DebugProtocol } from '@vscode/debugprotocol';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'js-uncaught', label: 'JavaScript: Uncaught Exceptions', default: true, description: 'Stop when a JavaScript exception is not caught.' },
  { filter: 'js-all', label: 'JavaScript: Caught Exceptions', default: false, description: 'Stop on every JavaScript exception, caught or not.' },
  { filter: 'py-uncaught', label: 'Python: Uncaught Exceptions', default: true, description: 'Stop where a Python exception leaves Python for the C code that called it.' },
  { filter: 'py-raised', label: 'Python: Raised Exceptions', default: false, description: 'Stop on every Python exception when it is raised (traces all Python code: slower).' },
];
