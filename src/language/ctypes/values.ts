// What a Python expression means to the ctypes parser: the ctypes module itself, a type, a
// factory (POINTER, CFUNCTYPE, CDLL…), a loaded library, a foreign function. Anything else
// is `null`, which callers treat as "not understood", never as an error.

import type { CallingConvention, Range } from '../ffi/model';
import type { SyntaxNode } from '../syntax';
import { CTYPES_SCALARS, WINTYPES, type CtypeNode } from './types';

export interface CtypesLibrary {
  /** How the library is referred to: its binding (`lib`, `self._lib`) or, inline, its expression. */
  readonly id: string;
  readonly convention: CallingConvention;
}

/** A foreign function, collected over every statement that mentions it. */
export interface CtypesFunction {
  readonly symbol: string;
  readonly library: CtypesLibrary;
  readonly convention: CallingConvention;
  /** Parameter types from `argtypes` (null entries were not understood); undefined until set. */
  argtypes?: (CtypeNode | null)[];
  restype?: CtypeNode | null;
  /** Set when the statement assigning argtypes was not a list we could read. */
  argtypesUnreadable?: boolean;
  aliases: string[];
  /** Declaration statements (argtypes, restype, aliases), in order. */
  readonly statements: Range[];
  readonly nameRanges: Range[];
  readonly problems: string[];
  /** Mentioned by a declaration, alias or call, so worth reporting. */
  touched: boolean;
}

export type CtypesValue =
  | { readonly kind: 'ctypes-module' }
  | { readonly kind: 'wintypes-module' }
  | { readonly kind: 'type'; readonly type: CtypeNode; readonly convention?: CallingConvention }
  | { readonly kind: 'none' }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'record-base'; readonly tag: 'struct' | 'union'; readonly bigEndian: boolean }
  | { readonly kind: 'pointer-factory' }
  | { readonly kind: 'functype-factory'; readonly convention: CallingConvention }
  | { readonly kind: 'library-class'; readonly convention: CallingConvention }
  | { readonly kind: 'loader'; readonly convention: CallingConvention }
  | { readonly kind: 'load-library'; readonly convention: CallingConvention }
  | { readonly kind: 'library'; readonly library: CtypesLibrary }
  | { readonly kind: 'function'; readonly fn: CtypesFunction; readonly nameNode: SyntaxNode | null };

const STDCALL: CallingConvention = 'stdcall';
const DEFAULT: CallingConvention = 'default';

/** A name exported by the ctypes module, as a value. */
export function ctypesMember(name: string): CtypesValue | null {
  const scalar = CTYPES_SCALARS.get(name);
  if (scalar) return { kind: 'type', type: scalar };
  switch (name) {
    case 'POINTER': return { kind: 'pointer-factory' };
    case 'CFUNCTYPE': case 'PYFUNCTYPE': return { kind: 'functype-factory', convention: DEFAULT };
    case 'WINFUNCTYPE': return { kind: 'functype-factory', convention: STDCALL };
    case 'Structure': case 'LittleEndianStructure': return { kind: 'record-base', tag: 'struct', bigEndian: false };
    case 'Union': case 'LittleEndianUnion': return { kind: 'record-base', tag: 'union', bigEndian: false };
    case 'BigEndianStructure': return { kind: 'record-base', tag: 'struct', bigEndian: true };
    case 'BigEndianUnion': return { kind: 'record-base', tag: 'union', bigEndian: true };
    case 'CDLL': case 'PyDLL': return { kind: 'library-class', convention: DEFAULT };
    case 'WinDLL': case 'OleDLL': return { kind: 'library-class', convention: STDCALL };
    case 'cdll': case 'pydll': return { kind: 'loader', convention: DEFAULT };
    case 'windll': case 'oledll': return { kind: 'loader', convention: STDCALL };
    case 'pythonapi': return { kind: 'library', library: { id: 'pythonapi', convention: DEFAULT } };
    case 'wintypes': return { kind: 'wintypes-module' };
    default: return null;
  }
}

export function wintypesMember(name: string): CtypesValue | null {
  const ctypesName = WINTYPES.get(name);
  return ctypesName ? ctypesMember(ctypesName) : null;
}

/** The text of a plain string literal (no f-string, no implicit concatenation), else null. */
export function stringLiteral(node: SyntaxNode): string | null {
  if (node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  const content = node.namedChildren.filter((c) => c.type === 'string_content');
  const start = node.namedChildren.find((c) => c.type === 'string_start');
  if (start && /[fF]/.test(start.text)) return null;
  return content.map((c) => c.text).join('');
}

/** A non-negative decimal/hex/octal/binary integer literal, else null. */
export function integerLiteral(node: SyntaxNode): number | null {
  if (node.type !== 'integer') return null;
  const text = node.text.replace(/_/g, '').toLowerCase();
  const value = /^0[box]/.test(text) ? Number(text) : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}

/** `a`, `a.b.c` as text when the expression is only names and dots, else null. */
export function dottedName(node: SyntaxNode): string | null {
  // Iterative: `a.b.c…` may be thousands of attributes long.
  const parts: string[] = [];
  let current = node;
  while (current.type === 'attribute') {
    const object = current.childForFieldName('object');
    const attribute = current.childForFieldName('attribute');
    if (!object || !attribute || parts.length > 256) return null;
    parts.push(attribute.text);
    current = object;
  }
  if (current.type !== 'identifier') return null;
  parts.push(current.text);
  return parts.reverse().join('.');
}

export function rangeOf(node: SyntaxNode): Range {
  // web-tree-sitter parses JS strings as UTF-16, so columns are already UTF-16 code units.
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}
