"""Python that the C host runs: calls the host's own exported functions through ctypes, and
passes one of them a Python callback."""
import ctypes
import os

host = ctypes.CDLL(None)  # the executable itself (linked with -rdynamic)
host.host_mix.argtypes = [ctypes.c_int, ctypes.c_int]
host.host_mix.restype = ctypes.c_int
VISIT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
host.host_visit.argtypes = [ctypes.c_int, VISIT]
host.host_visit.restype = ctypes.c_int
host.host_read.argtypes = [ctypes.POINTER(ctypes.c_int)]
host.host_read.restype = ctypes.c_int


def square(value):
    result = value * value  # @py-square
    return result


visit = VISIT(square)


def run(rounds):
    total = 0  # @py-run
    for i in range(rounds):
        total = host.host_mix(total, i)  # @py-mix
    squares = host.host_visit(rounds, visit)  # @py-visit
    if os.environ.get("HOST_RAISE") == "1":
        raise ValueError(f"run failed at {total}")  # @py-raise
    if os.environ.get("HOST_CRASH") == "1":
        host.host_read(None)  # @py-crash
    return total + squares  # @py-run-return


def mix_twice(value):
    once = host.host_mix(value, 1)  # @py-mix-twice
    return host.host_mix(once, 2)
