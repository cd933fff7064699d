// C types spelled as ctypes, for the quick fix that rewrites `argtypes`/`restype` from the C
// prototype. Fixed-width typedefs keep their width (`int32_t` → c_int32); records are assumed to
// have a Structure/Union class of the same name, as the ctypes parser expects.

import type { CType, FunctionDecl } from '../../abi/model';

const BY_SPELLING: Record<string, string> = {
  char: 'c_char', 'signed char': 'c_byte', 'unsigned char': 'c_ubyte',
  short: 'c_short', 'unsigned short': 'c_ushort', int: 'c_int', 'unsigned int': 'c_uint', unsigned: 'c_uint',
  long: 'c_long', 'unsigned long': 'c_ulong', 'long long': 'c_longlong', 'unsigned long long': 'c_ulonglong',
  size_t: 'c_size_t', ssize_t: 'c_ssize_t', wchar_t: 'c_wchar',
  int8_t: 'c_int8', int16_t: 'c_int16', int32_t: 'c_int32', int64_t: 'c_int64',
  uint8_t: 'c_uint8', uint16_t: 'c_uint16', uint32_t: 'c_uint32', uint64_t: 'c_uint64',
};

const unqualified = (spelling: string): string => spelling.replace(/\b(const|volatile|restrict)\b/g, '').replace(/\s+/g, ' ').trim();

/** The ctypes expression for `type`, or null when ctypes has none (complex numbers, __int128). */
export function ctypesSpelling(type: CType): string | null {
  const name = unqualified(type.spelling);
  switch (type.kind) {
    case 'void':
      return 'None';
    case 'int':
      if (type.isBool) return 'c_bool';
      if (BY_SPELLING[name]) return BY_SPELLING[name];
      return type.size <= 8 ? `c_${type.signed ? '' : 'u'}int${type.size * 8}` : null;
    case 'float':
      return type.format === 'f32' ? 'c_float' : type.format === 'f64' ? 'c_double' : type.format === 'x87' || type.format === 'f128' ? 'c_longdouble' : null;
    case 'pointer':
      return pointerSpelling(type.pointee);
    case 'array': {
      const elem = ctypesSpelling(type.elem);
      return elem && `${elem} * ${type.count}`;
    }
    case 'record':
      return type.name ?? (/^[A-Za-z_]\w*$/.test(name) ? name : null);
    default:
      return null;
  }
}

function pointerSpelling(pointee: CType): string | null {
  const name = unqualified(pointee.spelling);
  if (pointee.kind === 'void') return 'c_void_p';
  if (pointee.kind === 'int' && name === 'char') return 'c_char_p';
  if (pointee.kind === 'int' && name === 'wchar_t') return 'c_wchar_p';
  if (pointee.kind === 'function') {
    const parts = [pointee.ret, ...pointee.params.map((p) => p.type)].map(ctypesSpelling);
    return parts.every((p) => p !== null) ? `CFUNCTYPE(${parts.join(', ')})` : null;
  }
  const inner = ctypesSpelling(pointee);
  return inner && `POINTER(${inner})`;
}

export interface CtypesDeclaration {
  /** The `argtypes` list (the fixed parameters of a variadic function), e.g. `[c_int, POINTER(Point)]`. */
  readonly argtypes: string;
  readonly restype: string;
}

export function ctypesDeclaration(decl: FunctionDecl): CtypesDeclaration | null {
  const params = decl.type.params.map((p) => ctypesSpelling(p.type));
  const restype = ctypesSpelling(decl.type.ret);
  if (restype === null || params.some((p) => p === null)) return null;
  return { argtypes: `[${params.join(', ')}]`, restype };
}
