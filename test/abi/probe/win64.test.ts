// Win64: natively through __attribute__((ms_abi)) (types whose layout matches Windows), and
// the full LLP64 type set through foreign.ts (MSVC-ABI clang and mingw-w64 gcc objects).
import { probeTests } from './suite';

probeTests(['x86_64-win64/gcc (ms_abi)', 'x86_64-win64/clang (ms_abi)', 'x86_64-win64/clang (win64-msvc-clang)', 'x86_64-win64/gcc (win64-mingw-gcc)']);
