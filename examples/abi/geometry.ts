// Binding examples/abi/geometry.h with koffi: the ABI hover and inlay hints work on these lines.
import koffi from 'koffi';

const lib = koffi.load('./libgeometry.so');

const Vec3 = koffi.struct('Vec3', { x: 'float', y: 'float', z: 'float' });
const Sample = koffi.struct('Sample', { value: 'double', flags: 'int32_t' });

const vec3Dot = lib.func('float vec3_dot(Vec3 a, Vec3 b)');
const sampleScale = lib.func('Sample sample_scale(Sample s, double k)');
const logValues = lib.func('int log_values(const char *fmt, ...)');

export function demo(): number {
  const up = { x: 0, y: 1, z: 0 };
  const dot = vec3Dot(up, { x: 0.5, y: 0.5, z: 0 });
  const scaled = sampleScale({ value: dot, flags: 1 }, 2.0);
  logValues('%f %d', 'double', scaled.value, 'int', 3);
  return dot + scaled.value;
}

export { Vec3, Sample };
