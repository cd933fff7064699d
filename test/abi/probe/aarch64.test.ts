// AArch64 Linux (AAPCS64): aarch64-linux-gnu-gcc and clang --target=aarch64-linux-gnu, run under qemu-aarch64.
import { probeTests } from './suite';

probeTests(['aarch64-aapcs64/gcc', 'aarch64-aapcs64/clang']);
