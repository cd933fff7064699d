// Generated FFI binding files of any length, for the hover benches: every other line a koffi
// declaration (or ctypes argtypes/restype) and a call of it. `salt` makes each text new, so no
// cache keyed by content has seen it.

export function generatedKoffiFile(lines: number, salt = ''): string {
  const out = ["import koffi = require('koffi');", "const lib = koffi.load('libx.so');", "koffi.struct('P', { x: 'double', y: 'double' });"];
  for (let i = 0; out.length < lines; i++) {
    out.push(`const f${i}${salt} = lib.func('double f${i}${salt}(P p, int n, double k, const char *s)');`);
    out.push(`f${i}${salt}({ x: 1, y: 2 }, ${i}, 0.5, 'x');`);
  }
  return out.join('\n');
}

export function generatedCtypesFile(lines: number, salt = ''): string {
  const out = ['import ctypes', 'from ctypes import *', 'lib = CDLL("libx.so")', 'class P(Structure):', '    _fields_ = [("x", c_double), ("y", c_double)]'];
  for (let i = 0; out.length < lines; i++) {
    out.push(`lib.f${i}${salt}.argtypes = [P, c_int, c_double, c_char_p]`, `lib.f${i}${salt}.restype = c_double`);
    out.push(`lib.f${i}${salt}(P(1, 2), ${i}, 0.5, b"x")`);
  }
  return out.join('\n');
}
