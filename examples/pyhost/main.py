"""A Python program calling C through ctypes: the whole program is debugged in one session,
Python and the C library (built with -g) alike."""
import ctypes
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
stats = ctypes.CDLL(os.path.join(HERE, "build", "libstats.so"))
Values = ctypes.POINTER(ctypes.c_double)
WEIGH = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_int, ctypes.c_double)
stats.stats_sum.argtypes = [Values, ctypes.c_int]
stats.stats_sum.restype = ctypes.c_double
stats.stats_weighted.argtypes = [Values, ctypes.c_int, WEIGH]
stats.stats_weighted.restype = ctypes.c_double
stats.stats_at.argtypes = [Values, ctypes.c_int]
stats.stats_at.restype = ctypes.c_double


def weigh(index, value):
    weight = 1.0 + index  # @py-weigh
    return weight * value


def summarize(numbers):
    array = (ctypes.c_double * len(numbers))(*numbers)  # @py-array
    total = stats.stats_sum(array, len(numbers))  # @py-sum
    weighted = stats.stats_weighted(array, len(numbers), WEIGH(weigh))  # @py-weighted
    return total, weighted  # @py-return-both


def main(argv):
    numbers = [float(arg) for arg in argv] or [1.0, 2.0, 3.0]
    total, weighted = summarize(numbers)  # @py-main-summarize
    print(f"total {total} weighted {weighted}")
    if os.environ.get("STATS_CRASH") == "1":
        stats.stats_at(None, 2)  # @py-crash
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
