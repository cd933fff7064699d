# Where the debuggee's machine code lies, read from /proc/PID/maps once per stop.
#
# Three kinds of executable memory matter to the stack walk:
#  - file-backed code gdb knows (node, libnode, koffi.node, the user's libraries);
#  - JIT code: anonymous executable mappings (V8's Sparkplug/Maglev/TurboFan code);
#  - aliases: a second mapping of a file range that is already mapped elsewhere. Node 22+ copies
#    V8's embedded builtins next to the code space (short builtin calls) by mapping the same
#    pages of the node binary (or libnode.so) again; gdb has no symbols at the alias, so a pc
#    there is translated back to the canonical address, where `Builtins_*` names are known.
import bisect

import gdb

_cache = {"key": None, "regions": [], "starts": []}
_stop_serial = [0]


def _on_stop(_event):
    _stop_serial[0] += 1


gdb.events.stop.connect(_on_stop)


class Region(object):
    __slots__ = ("lo", "hi", "path", "offset", "canonical")

    def __init__(self, lo, hi, path, offset):
        self.lo, self.hi, self.path, self.offset = lo, hi, path, offset
        self.canonical = None  # for an alias: the start address of the same file offset's canonical copy

    @property
    def anonymous(self):
        return self.path == "" or self.path.startswith("[anon")


def _read_maps(pid):
    regions = []
    try:
        with open("/proc/%d/maps" % pid) as maps:
            for line in maps:
                parts = line.split(None, 5)
                if len(parts) < 5 or "x" not in parts[1]:
                    continue
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                path = parts[5].strip() if len(parts) > 5 else ""
                regions.append(Region(lo, hi, path, int(parts[2], 16)))
    except OSError:
        pass
    _find_aliases(regions)
    return regions


def _find_aliases(regions):
    """A mapping whose file range lies inside a larger mapping of the same file is an alias of it."""
    by_path = {}
    for region in regions:
        if not region.anonymous and not region.path.startswith("["):
            by_path.setdefault(region.path, []).append(region)
    for same_file in by_path.values():
        if len(same_file) < 2:
            continue
        for alias in same_file:
            size = alias.hi - alias.lo
            for host in same_file:
                if host is alias or host.hi - host.lo <= size:
                    continue
                if host.offset <= alias.offset and alias.offset + size <= host.offset + (host.hi - host.lo):
                    alias.canonical = host.lo + (alias.offset - host.offset)
                    break


def regions():
    """The executable mappings of the selected inferior, cached for the current stop."""
    inferior = gdb.selected_inferior()
    key = (inferior.pid, _stop_serial[0])
    if _cache["key"] != key:
        _cache["key"] = key
        found = sorted(_read_maps(inferior.pid), key=lambda r: r.lo) if inferior.pid else []
        _cache["regions"], _cache["starts"] = found, [r.lo for r in found]
    return _cache["regions"]


def region_of(pc):
    """The mapping holding pc (a binary search: gdb's unwinders ask for every frame of every step)."""
    found = regions()
    index = bisect.bisect_right(_cache["starts"], pc) - 1
    if index >= 0 and pc < found[index].hi:
        return found[index]
    return None


def canonical_pc(pc):
    """pc itself, or for a pc in an alias mapping the address of the same instruction where gdb has symbols."""
    region = region_of(pc)
    if region is not None and region.canonical is not None:
        return region.canonical + (pc - region.lo)
    return pc


def is_jit(pc):
    region = region_of(pc)
    return region is not None and region.anonymous


def is_alias(pc):
    region = region_of(pc)
    return region is not None and region.canonical is not None
