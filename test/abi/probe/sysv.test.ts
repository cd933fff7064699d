// x86-64 System V, native gcc and clang.
import { probeTests } from './suite';

probeTests(['x86_64-sysv/gcc', 'x86_64-sysv/clang']);
