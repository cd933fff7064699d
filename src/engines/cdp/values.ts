// How a JavaScript value reads in VARIABLES and hovers: `3`, `'text'`, `Point {x: 3, y: 4}`,
// `Array(3) [1, 2, 3]`, `ƒ onStep(step, value)`. Objects keep their id so they can be expanded.

import type { Protocol } from 'devtools-protocol';

function previewText(preview: Protocol.Runtime.ObjectPreview): string {
  const items = preview.properties.map((p) => (preview.subtype === 'array' ? p.value ?? '' : `${p.name}: ${p.type === 'string' ? `'${p.value}'` : p.value ?? ''}`));
  const more = preview.overflow ? ', …' : '';
  return preview.subtype === 'array' ? `[${items.join(', ')}${more}]` : `{${items.join(', ')}${more}}`;
}

export function describeValue(value: Protocol.Runtime.RemoteObject): { value: string; type?: string; objectId?: string } {
  switch (value.type) {
    case 'undefined':
      return { value: 'undefined', type: 'undefined' };
    case 'string':
      return { value: `'${String(value.value)}'`, type: 'string' };
    case 'number':
    case 'boolean':
    case 'bigint':
      return { value: value.unserializableValue ?? String(value.value), type: value.type };
    case 'symbol':
      return { value: value.description ?? 'Symbol()', type: 'symbol' };
    case 'function':
      return { value: `ƒ ${value.description?.match(/^(?:async\s+)?function\s*\*?\s*([^(]*\([^)]*\))/)?.[1] ?? value.className ?? 'function'}`, type: 'function', objectId: value.objectId };
    default: {
      if (value.subtype === 'null') return { value: 'null', type: 'null' };
      const head = value.description ?? value.className ?? 'Object';
      const body = value.preview ? previewText(value.preview) : '';
      const text = value.subtype === 'array' ? `${head} ${body}` : value.className === 'Object' || !value.className ? body || head : `${head} ${body}`;
      return { value: text.trim(), type: value.className ?? value.subtype ?? 'object', objectId: value.objectId };
    }
  }
}
