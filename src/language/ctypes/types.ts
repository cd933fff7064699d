// ctypes types as a small C type tree, and how to spell that tree as C the ABI engine parses.
// ctypes names map to the C spellings ctypes itself mirrors (c_long is `long`, so its size
// follows the target's data model, exactly as ctypes' does on that platform).

/** A C type built from ctypes expressions. Records are referenced by key, resolved at print time. */
export type CtypeNode =
  | { readonly kind: 'scalar'; readonly c: string }
  | { readonly kind: 'pointer'; readonly to: CtypeNode }
  | { readonly kind: 'array'; readonly of: CtypeNode; readonly count: number }
  | { readonly kind: 'function'; readonly ret: CtypeNode; readonly params: readonly CtypeNode[] }
  | { readonly kind: 'record'; readonly key: string };

export const VOID: CtypeNode = { kind: 'scalar', c: 'void' };

const scalar = (c: string): CtypeNode => ({ kind: 'scalar', c });
const pointerTo = (c: string): CtypeNode => ({ kind: 'pointer', to: scalar(c) });

/** Every ctypes simple type, by its ctypes name. */
export const CTYPES_SCALARS: ReadonlyMap<string, CtypeNode> = new Map<string, CtypeNode>([
  ['c_bool', scalar('_Bool')],
  ['c_char', scalar('char')],
  ['c_wchar', scalar('wchar_t')],
  ['c_byte', scalar('signed char')],
  ['c_ubyte', scalar('unsigned char')],
  ['c_short', scalar('short')],
  ['c_ushort', scalar('unsigned short')],
  ['c_int', scalar('int')],
  ['c_uint', scalar('unsigned int')],
  ['c_long', scalar('long')],
  ['c_ulong', scalar('unsigned long')],
  ['c_longlong', scalar('long long')],
  ['c_ulonglong', scalar('unsigned long long')],
  ['c_size_t', scalar('size_t')],
  ['c_ssize_t', scalar('ssize_t')],
  // c_time_t (3.12+) is an alias of the 64-bit integer on every platform we model.
  ['c_time_t', scalar('int64_t')],
  ['c_int8', scalar('int8_t')],
  ['c_int16', scalar('int16_t')],
  ['c_int32', scalar('int32_t')],
  ['c_int64', scalar('int64_t')],
  ['c_uint8', scalar('uint8_t')],
  ['c_uint16', scalar('uint16_t')],
  ['c_uint32', scalar('uint32_t')],
  ['c_uint64', scalar('uint64_t')],
  ['c_float', scalar('float')],
  ['c_double', scalar('double')],
  ['c_longdouble', scalar('long double')],
  ['c_char_p', pointerTo('char')],
  ['c_wchar_p', pointerTo('wchar_t')],
  ['c_void_p', pointerTo('void')],
  ['c_voidp', pointerTo('void')],
  // A PyObject * as far as the C side is concerned.
  ['py_object', pointerTo('void')],
  ['HRESULT', scalar('long')],
]);

/** ctypes.wintypes scalar aliases, as the ctypes type each one is defined as. */
export const WINTYPES: ReadonlyMap<string, string> = new Map([
  ...['BOOL', 'LONG', 'LPARAM', 'LARGE_INTEGER'].map((n) => [n, 'c_long'] as const),
  ...['BYTE', 'BOOLEAN'].map((n) => [n, 'c_byte'] as const),
  ...['DWORD', 'ULONG', 'COLORREF', 'LCID', 'LCTYPE', 'LGRPID', 'WPARAM', 'ULARGE_INTEGER'].map((n) => [n, 'c_ulong'] as const),
  ...['WORD', 'USHORT', 'ATOM', 'LANGID'].map((n) => [n, 'c_ushort'] as const),
  ...['UINT'].map((n) => [n, 'c_uint'] as const),
  ...['INT'].map((n) => [n, 'c_int'] as const),
  ...['SHORT'].map((n) => [n, 'c_short'] as const),
  ...['CHAR'].map((n) => [n, 'c_char'] as const),
  ...['WCHAR'].map((n) => [n, 'c_wchar'] as const),
  ...['FLOAT'].map((n) => [n, 'c_float'] as const),
  ...['DOUBLE'].map((n) => [n, 'c_double'] as const),
  ...['LPSTR', 'LPCSTR'].map((n) => [n, 'c_char_p'] as const),
  ...['LPWSTR', 'LPCWSTR', 'LPOLESTR', 'LPCOLESTR', 'OLESTR'].map((n) => [n, 'c_wchar_p'] as const),
  ...['HANDLE', 'HWND', 'HMODULE', 'HINSTANCE', 'HKEY', 'HDC', 'LPVOID', 'LPCVOID', 'HGLOBAL', 'HLOCAL'].map((n) => [n, 'c_void_p'] as const),
]);

/** How a record key prints: `struct Point`; supplied by whoever knows the records. */
export type RecordSpeller = (key: string) => string;

/**
 * The C declaration of `name` with type `type`, e.g. `int (*cb)(int)` or `char buf[4]`
 * (with an empty name, the abstract declarator: `int (*)(int)`).
 */
export function declareC(type: CtypeNode, name: string, record: RecordSpeller): string {
  switch (type.kind) {
    case 'scalar':
      return name ? `${type.c} ${name}` : type.c;
    case 'record':
      return name ? `${record(type.key)} ${name}` : record(type.key);
    case 'pointer': {
      // Pointers to arrays and functions need parentheses: `int (*p)[4]`, `int (*f)(int)`.
      const bare = `*${name}`;
      const inner = type.to.kind === 'array' || type.to.kind === 'function' ? `(${bare})` : bare;
      return declareC(type.to, inner, record);
    }
    case 'array':
      return declareC(type.of, `${name}[${type.count}]`, record);
    case 'function': {
      const params = type.params.map((p) => declareC(p, '', record)).join(', ') || 'void';
      return declareC(type.ret, `${name}(${params})`, record);
    }
  }
}

/** The records a type needs complete (by value) and those it only points to. */
export function recordUses(type: CtypeNode, byValue: Set<string>, byPointer: Set<string>, behindPointer = false): void {
  switch (type.kind) {
    case 'scalar':
      return;
    case 'record':
      (behindPointer ? byPointer : byValue).add(type.key);
      return;
    case 'pointer':
      recordUses(type.to, byValue, byPointer, true);
      return;
    case 'array':
      recordUses(type.of, byValue, byPointer, behindPointer);
      return;
    case 'function':
      // Inside a function type everything is at most a parameter of a pointed-to function.
      for (const t of [type.ret, ...type.params]) recordUses(t, byValue, byPointer, true);
      return;
  }
}

/** ctypes passes an array argument as a pointer to its first element, as C does. */
export function asParameter(type: CtypeNode): CtypeNode {
  return type.kind === 'array' ? { kind: 'pointer', to: type.of } : type;
}
