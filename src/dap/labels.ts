// Boundary frames in the CALL STACK, e.g. `── koffi: JS → C (x86-64 SysV) ──`.

import { hostTarget } from '../abi/host';
import { TARGETS } from '../abi/targets';
import type { StackItem } from '../core/stitch';

const host = hostTarget(process.platform, process.arch);
const abiName = host ? TARGETS[host].title : undefined;

export function labelText(item: Extract<StackItem, { kind: 'label' }>): string {
  return `── ${item.name}${abiName ? ` (${abiName})` : ''} ──`;
}
