"""The Python in the middle of the chain: called from C, calls C back through ctypes."""
import ctypes
import os

lib = ctypes.CDLL(os.environ["CHAIN_LIBRARY"])
lib.chain_add.argtypes = [ctypes.c_int, ctypes.c_int]
lib.chain_add.restype = ctypes.c_int
lib.chain_notify.argtypes = [ctypes.c_int]
lib.chain_notify.restype = ctypes.c_int


def report(value):
    """Not on the round trip: the bench puts a breakpoint here, elsewhere in the same file."""
    print(f"compute: {value}")  # @py-report


def scale(total):
    doubled = total * 2  # @py-scale
    return doubled


def compute(n):
    total = 0  # @py-compute
    for i in range(n):
        total = lib.chain_add(total, i)  # @py-add
    total = scale(total)  # @py-scale-call
    if os.environ.get("CHAIN_CATCH") == "1":
        try:
            int("not a number")  # @py-caught
        except ValueError:
            pass  # handled here: "uncaught" does not stop, "raised" does
    if os.environ.get("CHAIN_RAISE") == "1":
        raise ValueError(f"compute failed at {total}")  # @py-raise
    if os.environ.get("CHAIN_RAISE") == "deep":
        check(total)  # @py-check-call
    answer = lib.chain_notify(total)  # @py-notify
    return float(answer)  # @py-return


def check(total):
    """Run by compute with CHAIN_RAISE=deep: an exception raised a frame below the one C called."""
    limit = 10
    if total > limit:
        raise ArithmeticError(f"check failed: {total} > {limit}")  # @py-raise-deep
    return total
