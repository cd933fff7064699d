# Where the functions are that a step out of C calls to make V8 pause (v8-break.ts): V8's
# BreakRightNow and Isolate::GetCurrent in node (or libnode), and libc's mmap for the page of the
# call stub. gdb's lookup of a name searches the debug info of every library first: 5-20 ms a
# name with libc's installed, 30 ms at the first step out of a session. Here each name is looked
# up in the export table of the file that holds it (polyglot_elf_symbols.py), moved to where the
# file is mapped, and checked against the code in memory; gdb is asked only for what that misses
# (node 24 does not export BreakRightNow).
import json
import os
import re
import struct

import gdb

import polyglot_code_map as code_map
import polyglot_elf_symbols as elf_symbols
from polyglot_stack import symbol_address, v8_library

BREAK_RIGHT_NOW = "_ZN2v85debug13BreakRightNowEPNS_7IsolateENS_4base7EnumSetINS0_11BreakReasonEiEE"
ISOLATE_GET_CURRENT = "_ZN2v87Isolate10GetCurrentEv"
_LIBC = re.compile(r"^libc(\.so|-[0-9.]+\.so)")
_CHECKED_BYTES = 16


def _mapped(path):
    """The first executable mapping of `path` (not an alias of another mapping), else None."""
    wanted = os.path.realpath(path)
    for region in code_map.regions():
        if region.canonical is None and not region.anonymous and os.path.realpath(region.path) == wanted:
            return region
    return None


def _libc_path():
    for region in code_map.regions():
        if not region.anonymous and _LIBC.match(os.path.basename(region.path)):
            return region.path
    return None


def _exported(path, names):
    """{name: address in the process} of those of `names` the file exports, where its code in
    memory is the file's (not a file replaced on disk since it was loaded)."""
    region = _mapped(path) if path else None
    if region is None:
        return {}
    try:
        found = elf_symbols.symbols_named(path, [name.encode("ascii") for name in names])
        segments = elf_symbols.load_segments(path)
    except (OSError, ValueError, struct.error):
        return {}
    # The segment that holds the mapping's first byte says how far the file was moved.
    holder = next((s for s in segments if (s[0] & ~0xFFF) <= region.offset < s[0] + s[2]), None)
    if holder is None:
        return {}
    bias = region.lo - holder[1] - region.offset + holder[0]
    inferior = gdb.selected_inferior()
    addresses = {}
    for name, value in found.items():
        expected = elf_symbols.bytes_at(path, segments, value, _CHECKED_BYTES)
        try:
            actual = inferior.read_memory(value + bias, _CHECKED_BYTES).tobytes()
        except gdb.MemoryError:
            continue
        if expected is not None and expected == actual:
            addresses[name] = value + bias
    return addresses


# Where the last answer came from, per key: "exports" or "gdb" (for the engine test).
last_sources = {}


def break_symbols():
    """{breakRightNow, isolateGetCurrent, mmap: address or None}."""
    v8 = _exported(v8_library(), [BREAK_RIGHT_NOW, ISOLATE_GET_CURRENT])
    libc = _exported(_libc_path(), ["mmap"])
    found = {"breakRightNow": v8.get(BREAK_RIGHT_NOW), "isolateGetCurrent": v8.get(ISOLATE_GET_CURRENT), "mmap": libc.get("mmap")}
    for key, name in (("breakRightNow", BREAK_RIGHT_NOW), ("isolateGetCurrent", ISOLATE_GET_CURRENT), ("mmap", "mmap")):
        last_sources[key] = "exports" if found[key] is not None else "gdb"
        if found[key] is None:
            found[key] = symbol_address(name)
    return found


class PolyglotV8BreakSymbols(gdb.Command):
    """polyglot-v8-break-symbols: the addresses v8-break.ts calls, as one JSON line (hex, or null)."""

    def __init__(self):
        super().__init__("polyglot-v8-break-symbols", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        found = break_symbols()
        gdb.write(json.dumps({key: None if value is None else "0x%x" % value for key, value in found.items()}) + "\n")


PolyglotV8BreakSymbols()
