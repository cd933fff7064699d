"""Binding examples/abi/geometry.h with ctypes: the ABI hover works on these lines."""
import ctypes
from ctypes import Structure, c_double, c_float, c_int, c_int32

lib = ctypes.CDLL("./libgeometry.so")


class Vec3(Structure):
    _fields_ = [("x", c_float), ("y", c_float), ("z", c_float)]


class Sample(Structure):
    _fields_ = [("value", c_double), ("flags", c_int32)]


lib.vec3_dot.argtypes = [Vec3, Vec3]
lib.vec3_dot.restype = c_float

sample_scale = lib.sample_scale
sample_scale.argtypes = [Sample, c_double]
sample_scale.restype = Sample


def demo():
    up = Vec3(0, 1, 0)
    dot = lib.vec3_dot(up, Vec3(0.5, 0.5, 0))
    return sample_scale(Sample(dot, 1), 2.0).value + c_int(0).value
