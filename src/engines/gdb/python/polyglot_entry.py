# Entry snapshots inside gdb: the arguments of a C function as the ABI placed them, captured on its
# first instruction by an internal breakpoint whose stop() records them and answers "don't stop".
# gdb then goes on with whatever the thread was doing — a continue, or a next or finish that runs
# through the call — exactly as if the breakpoint were not there: no stop reaches the adapter, so
# no step is cut short or redirected, and a call costs no MI round trip.
#
# The adapter says what to read (argument registers, bytes of the incoming stack area, the bytes
# behind by-reference arguments) and asks later for a call's record by function and canonical frame
# address (the stack pointer just before the call instruction).
import json
from collections import OrderedDict

import gdb

MASK64 = (1 << 64) - 1
# Records kept: recursion and loops make many; only the live calls matter.
MAX_RECORDS = 512

_records = OrderedDict()
_watches = {}
# Functions whose code is not loaded yet, with what to read: watched when a library brings them.
_wanted = {}


def _register(frame, name):
    """A whole register as an unsigned integer (vector registers: 128 bits); None when unavailable."""
    value = frame.read_register(name)
    if value.is_optimized_out:
        return None
    if name.startswith("xmm"):
        lanes = value["v2_int64"]
        return (int(lanes[0]) & MASK64) | ((int(lanes[1]) & MASK64) << 64)
    if name.startswith("v"):
        lanes = value["d"]["u"]
        return (int(lanes[0]) & MASK64) | ((int(lanes[1]) & MASK64) << 64)
    return int(value) & MASK64


def _read(address, count):
    """Bytes from `address`, or fewer (none) when they are not readable."""
    inferior = gdb.selected_inferior()
    try:
        return bytes(inferior.read_memory(address, count))
    except gdb.MemoryError:
        return b""


def _u64(data):
    return int.from_bytes(data, "little") if len(data) == 8 else None


class EntryBreakpoint(gdb.Breakpoint):
    def __init__(self, func, spec):
        super().__init__("*" + func, internal=True)
        self.func = func
        self.spec = spec

    def stop(self):
        try:
            self._capture()
        except Exception:  # a stop() that raises stops the program: never
            pass
        return False

    def _capture(self):
        spec = self.spec
        frame = gdb.newest_frame()
        registers = {}
        for name in spec["registers"]:
            try:
                value = _register(frame, name)
            except (gdb.error, ValueError):
                continue
            if value is not None:
                registers[name] = value
        sp = registers.get(spec["stackPointer"])
        if sp is None:
            return
        cfa = sp + spec["entryCfaOffset"]
        stack = _read(cfa, spec["stackBytes"]) if spec["stackBytes"] > 0 else b""
        if spec["entryCfaOffset"] > 0:
            return_address = _u64(_read(sp, 8))
        else:
            return_address = registers.get(spec["linkRegister"]) if spec.get("linkRegister") else None
        # By-reference arguments: the caller's copy may change once the callee runs, so read it now.
        pointees = {}
        for where in spec["pointees"]:
            loc = where["loc"]
            if loc.startswith("stack+"):
                at = int(loc[len("stack+") :])
                pointer = _u64(stack[at : at + 8])
            else:
                pointer = registers.get(loc)
                pointer = None if pointer is None else pointer & MASK64
            if pointer is not None:
                pointees[str(pointer)] = _read(pointer, where["size"]).hex()
        record = {
            "func": self.func,
            "cfa": str(cfa),
            "returnAddress": None if return_address is None else str(return_address),
            "registers": {name: str(value) for name, value in registers.items()},
            "stack": stack.hex(),
            "pointees": pointees,
        }
        key = (self.func, cfa)
        _records.pop(key, None)
        _records[key] = record
        while len(_records) > MAX_RECORDS:
            _records.popitem(last=False)


def watch(func, spec_json):
    """Captures every call of `func` from now on (a second call only updates what is read).

    A function whose code is not loaded yet is watched from the load of the library that has it
    (gdb's new_objfile event, before any of its code runs). Prints the function's source file
    as JSON (null when gdb knows none yet)."""
    spec = json.loads(spec_json)
    existing = _watches.get(func)
    if existing is not None and existing.is_valid():
        existing.spec = spec
    elif not _place(func, spec):
        _wanted[func] = spec
    print(json.dumps(_source_of(func)))


def _place(func, spec):
    """Sets the entry breakpoint of `func`; False while gdb has no code for it."""
    try:
        bp = EntryBreakpoint(func, spec)
    except gdb.error:
        return False
    if bp.pending:
        bp.delete()
        return False
    _watches[func] = bp
    _wanted.pop(func, None)
    return True


def _source_of(func):
    try:
        symbol = gdb.lookup_global_symbol(func) or gdb.lookup_static_symbol(func)
    except gdb.error:
        return None
    return symbol.symtab.fullname() if symbol is not None and symbol.symtab is not None else None


def _on_new_objfile(event):
    for func, spec in list(_wanted.items()):
        _place(func, spec)


gdb.events.new_objfile.connect(_on_new_objfile)


def record(func, cfa):
    """Prints the record of the call of `func` whose canonical frame address is `cfa`, or null."""
    print(json.dumps(_records.get((func, int(cfa)))))
