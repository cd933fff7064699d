// Boundary frames in the CALL STACK, e.g. `── JS → C (koffi) ──`, `── C → Python (embedded) ──`.
// Short on purpose (see stitch.ts): the calling convention a call crossed is in the ABI view.

import type { StackItem } from '../core/stitch';

export function labelText(item: Extract<StackItem, { kind: 'label' }>): string {
  return `── ${item.name} ──`;
}
