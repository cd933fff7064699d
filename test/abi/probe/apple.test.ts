// Apple arm64: code compiled by clang for arm64-apple-macos through foreign.ts, run in an AArch64 Linux harness under qemu.
import { probeTests } from './suite';

probeTests(['arm64-apple/clang (apple-arm64-clang)']);
