// Boundary frames in the CALL STACK, e.g. `── koffi: JS → C (x86-64 SysV) ──`, `── C → Python (embedded) ──`.

import { hostTarget } from '../abi/host';
import { TARGETS } from '../abi/targets';
import type { StackItem } from '../core/stitch';

const host = hostTarget(process.platform, process.arch);
const abiName = host ? TARGETS[host].title : undefined;

/** FFI boundaries name the calling convention their arguments crossed; the C API call does not. */
export function labelText(item: Extract<StackItem, { kind: 'label' }>): string {
  const abi = item.boundary !== 'c-to-py' && abiName ? ` (${abiName})` : '';
  return `── ${item.name}${abi} ──`;
}
