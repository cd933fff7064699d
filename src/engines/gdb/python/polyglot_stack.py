# The whole physical stack of a stopped thread in true order, as JSON-ready dicts, across V8's
# frames (which have no CFI) and koffi's stack switches (which gdb takes for a corrupt stack).
#
# Read, never write: the walk only reads registers and memory. Where gdb's own walk ends at
# koffi's SwitchAndRelay, our own walk goes on from the caller's registers read from memory
# (polyglot_cfi.py). The thread's registers are never set, so no failure half-way can leave the
# program changed.
import os

import gdb
from gdb.unwinder import Unwinder, register_unwinder

import polyglot_cfi as cfi
import polyglot_code_map as code_map
import polyglot_memory as memory
from polyglot_console import console_text

SWITCH = "SwitchAndRelay"

# ── names ───────────────────────────────────────────────────────────────────────────────────────

_names = {}


def function_name(pc):
    """The function at pc (cached: code keeps its names while its library is loaded)."""
    pc = code_map.canonical_pc(pc)
    if pc not in _names:
        _names[pc] = _lookup_name(pc)
    return _names[pc]


def _lookup_name(pc):
    try:
        block = gdb.block_for_pc(pc)
        if block is not None and block.function is not None:
            return block.function.name
    except RuntimeError:
        pass
    text = console_text("info symbol 0x%x" % pc)
    if text.startswith("No symbol"):
        return None
    return text.split(" in section")[0].split(" + ")[0].strip()


def read_u64(addr):
    return int.from_bytes(memory.read(addr, 8), "little")


def _read(addr, size):
    return memory.read(addr, size)


# ── address ranges of V8 and koffi code ─────────────────────────────────────────────────────────

_ranges = {}


def symbol_address(name):
    try:
        return int(gdb.parse_and_eval("(long)&%s" % name))
    except gdb.error:
        return None


def _switch_range():
    if "switch" not in _ranges:
        start = symbol_address(SWITCH)
        if start is None:
            return None  # koffi is not loaded yet: look again next time
        _ranges["switch"] = (start, start + 0x40)
    return _ranges["switch"]


def _in_switch(pc):
    found = _switch_range()
    return found is not None and found[0] <= pc < found[1]


def _embedded_blob():
    """V8's embedded blob (where every Builtins_* lies) from its two symbols: two hashed lookups,
    where `info functions` searches every symbol table, libc's debug info included (0.1-0.7 s,
    paid at the first stop of a launch and again after every library load)."""
    start = symbol_address("v8_Default_embedded_blob_code_")
    if start is None:
        return None
    try:
        size = int(gdb.parse_and_eval("*(unsigned int *)&v8_Default_embedded_blob_code_size_"))
    except (gdb.error, gdb.MemoryError):
        return None
    return (start, start + size) if size > 0 else None


def _builtins_range():
    """V8's embedded builtins: one contiguous block of node's (or libnode's) text, named Builtins_*."""
    if "builtins" not in _ranges:
        _ranges["builtins"] = _embedded_blob() or _builtins_by_name()
    return _ranges["builtins"]


def _builtins_by_name():
    """The builtins' extent from their names, for a V8 without the embedded blob's symbols."""
    text = console_text("info functions ^Builtins_")
    addresses = [int(word, 16) for word in (line.split(None, 1)[0] for line in text.splitlines() if " Builtins_" in line) if word.startswith("0x")]
    # None in a stripped libnode (see _in_builtins); looked up again when a library loads.
    return (min(addresses), max(addresses) + 0x10000) if addresses else (0, 0)


def v8_library():
    """The file holding V8 (node itself, or libnode.so in distribution builds), by its metadata."""
    if "v8-library" not in _ranges:
        address = symbol_address("v8dbg_FirstNonstringType")
        if address is None:
            return None
        _ranges["v8-library"] = os.path.realpath(gdb.solib_name(address) or gdb.current_progspace().filename)
    return _ranges["v8-library"]


_without_cfi = {}


def _in_builtins(pc):
    canonical = code_map.canonical_pc(pc)
    lo, hi = _builtins_range()
    if lo <= canonical < hi:
        return True
    if hi:
        return False
    # A stripped libnode names no builtins: there, V8's code is the code its CFI does not describe.
    region = code_map.region_of(canonical)
    if region is None or os.path.realpath(region.path) != v8_library():
        return False
    if canonical not in _without_cfi:
        _without_cfi[canonical] = not cfi.covers(region, canonical)
    return _without_cfi[canonical]


def _on_objfiles_changed(_event):
    _ranges.clear()
    _sniffed.clear()


gdb.events.new_objfile.connect(_on_objfiles_changed)
gdb.events.clear_objfiles.connect(_on_objfiles_changed)
if hasattr(gdb.events, "free_objfile"):  # gdb 13+
    gdb.events.free_objfile.connect(_on_objfiles_changed)


def is_v8_code(pc, name=None):
    """Builtins (named Builtins_*, also where node 22+ maps them a second time) or JIT code."""
    if code_map.is_alias(pc) or _in_builtins(pc):
        return True
    if name is None:
        name = function_name(pc)
    if name and name.startswith("Builtins_"):
        return True
    return not name and code_map.is_jit(pc)


# ── the unwinder ────────────────────────────────────────────────────────────────────────────────


class _FrameId(object):
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


# pc -> whether the unwinder takes its frame, for pcs in a file's code: that stays true while the
# same files are loaded. gdb asks at every stop of a step (each instruction a `next` steps over),
# where the same few pcs come back again and again.
_sniffed = {}


def _unwinds(pc):
    known = _sniffed.get(pc)
    if known is not None:
        return known
    ours = _in_switch(pc) or _in_builtins(pc) or code_map.is_jit(pc) or code_map.is_alias(pc)
    region = code_map.region_of(pc)
    if region is not None and not region.anonymous:
        if len(_sniffed) >= 65536:
            _sniffed.clear()
        _sniffed[pc] = ours
    return ours


class PolyglotUnwinder(Unwinder):
    """V8 and koffi's switch keep rbp as a frame pointer: [rbp] = caller's rbp, [rbp+8] = return
    address. gdb has no CFI for either (JIT code, builtins, hand-written assembly)."""

    def __init__(self):
        super().__init__("polyglot-v8")

    def __call__(self, pending_frame):
        pc = int(pending_frame.read_register("rip"))
        # Cheap tests only: gdb asks for every frame.
        if pc == 0 or not _unwinds(pc):
            return None
        fp = int(pending_frame.read_register("rbp"))
        if fp == 0:
            return None
        try:
            caller_fp, caller_pc = read_u64(fp), read_u64(fp + 8)
        except gdb.MemoryError:
            return None
        info = pending_frame.create_unwind_info(_FrameId(gdb.Value(fp + 16), gdb.Value(pc)))
        u64 = gdb.lookup_type("unsigned long")
        info.add_saved_register("rip", gdb.Value(caller_pc).cast(u64))
        info.add_saved_register("rbp", gdb.Value(caller_fp).cast(u64))
        info.add_saved_register("rsp", gdb.Value(fp + 16).cast(u64))
        return info


register_unwinder(None, PolyglotUnwinder(), replace=True)

# ── koffi's boundaries ──────────────────────────────────────────────────────────────────────────
# koffi.node is stripped but for SwitchAndRelay and Trampoline0..N. JS calls C through small
# assembly stubs ("push rbp; mov [rdx], rsp; mov rbp, rsp; lea rsp, [rsi+0x80]; … call r11;
# mov rsp, rbp; pop rbp; ret") that move onto koffi's own stack. C calls a JS callback through
# TrampolineN, which jumps (no frame of its own) into a relay stub placed just before
# SwitchAndRelay; SwitchAndRelay then moves back to the JS stack to run the callback.

_CALL_R11 = bytes.fromhex("41ffd3")
_STUB_EPILOGUE = bytes.fromhex("4889ec5dc3")


def _koffi_relay_range():
    """[relay stub, SwitchAndRelay): where Trampoline0 jumps to, up to SwitchAndRelay."""
    if "relay" not in _ranges:
        trampoline = symbol_address("Trampoline0")
        switch = symbol_address(SWITCH)
        if trampoline is None or switch is None:
            return (0, 0)  # koffi is not loaded yet: look again next time
        try:
            code = _read(trampoline, 16)
        except gdb.MemoryError:
            return (0, 0)
        jump = code.find(b"\xe9", 4)
        target = trampoline + jump + 5 + int.from_bytes(code[jump + 1 : jump + 5], "little", signed=True)
        _ranges["relay"] = (target, switch) if jump >= 0 and target < switch else (0, 0)
    return _ranges["relay"]


def _is_koffi_call_stub(pc):
    """pc is the return address of koffi's call of a C function (right after `call r11`)."""
    try:
        return _read(pc - 3, 3) == _CALL_R11 and _read(pc, 5) == _STUB_EPILOGUE
    except gdb.MemoryError:
        return False


def _koffi_kind(pc, name):
    lib = gdb.solib_name(pc) or ""
    if "koffi" not in lib:
        return None
    if name == SWITCH:
        return None  # plumbing of the C -> JS crossing; its relay stub marks the boundary
    lo, hi = _koffi_relay_range()
    if lo <= pc < hi:
        return "koffi-trampoline"
    if not name and _is_koffi_call_stub(pc):
        return "koffi-switch"
    return None


# ── the walk ────────────────────────────────────────────────────────────────────────────────────


def _describe(pc, fp, name, sal, level):
    """One frame as the adapter reads it; `level` only for frames gdb can address by level."""
    koffi = _koffi_kind(pc, name)
    if koffi:
        return {"kind": koffi, "pc": hex(pc)}
    if is_v8_code(pc, name):
        try:
            marker = read_u64(fp - 8)
        except gdb.MemoryError:
            return {"kind": "v8-internal", "pc": hex(pc)}
        # The slot below the saved rbp holds a frame-type marker (a small even number) in V8's
        # stub, entry and exit frames, and the context (a tagged pointer, odd) in JS frames.
        if marker & 1 == 0 and marker < 512:
            return {"kind": "v8-internal", "pc": hex(pc)}
        return {"kind": "js", "pc": hex(pc), "fp": hex(fp)}
    d = {"kind": "native", "pc": hex(pc)}
    if name:
        d["func"] = name
    if sal is not None and sal.symtab is not None and sal.line:
        d["file"] = sal.symtab.filename
        d["fullname"] = sal.symtab.fullname()
        d["line"] = sal.line
    lib = gdb.solib_name(pc)
    if lib:
        d["module"] = lib
    if level is not None:
        d["level"] = level
    return d


def moved_within(described, frame):
    """`described` (the innermost frame of a walk, native) after a step that stayed in its frame:
    the function, its library and its kind are the same; the pc, the line and the stack pointer
    are read again."""
    d = dict(described)
    for key in ("file", "fullname", "line"):
        d.pop(key, None)
    d["pc"] = hex(int(frame.pc()))
    sal = frame.find_sal()
    if sal is not None and sal.symtab is not None and sal.line:
        d["file"] = sal.symtab.filename
        d["fullname"] = sal.symtab.fullname()
        d["line"] = sal.line
    d["sp"] = hex(int(frame.read_register("sp")))
    return d


def _walk_gdb(out, limit):
    """gdb's own walk from the newest frame; returns the outermost frame it reached."""
    frame = gdb.newest_frame()
    last = None
    while frame is not None and len(out) < limit:
        pc = int(frame.pc())
        out.append(_describe(pc, int(frame.read_register("rbp")), frame.name() or function_name(pc), frame.find_sal(), frame.level()))
        if last is None:
            # The thread's stack pointer: where a C step from this stop begins (see native-step.ts).
            out[-1]["sp"] = hex(int(frame.read_register("sp")))
        last = frame
        try:
            frame = frame.older()
        except gdb.error:
            break
    return last


_CALLEE_SAVED = {"rbx": 3, "r12": 12, "r13": 13, "r14": 14, "r15": 15}


def _past_switch(switch_frame):
    """The registers of SwitchAndRelay's caller, read from its frame-pointer chain."""
    fp = int(switch_frame.read_register("rbp"))
    registers = {cfi.RA: read_u64(fp + 8), cfi.RSP: fp + 16, cfi.RBP: read_u64(fp)}
    for name, number in _CALLEE_SAVED.items():
        registers[number] = int(switch_frame.read_register(name))
    return registers


def _by_frame_pointer(registers):
    fp = registers[cfi.RBP]
    out = dict(registers)
    out[cfi.RA], out[cfi.RSP], out[cfi.RBP] = read_u64(fp + 8), fp + 16, read_u64(fp)
    return out


def _walk_memory(registers, out, limit):
    """Our own walk from `registers` (see polyglot_cfi.py): CFI where the code has it, V8's and
    koffi's frame-pointer chain where it has none."""
    while len(out) < limit:
        pc = registers[cfi.RA]
        if pc == 0:
            return
        name = function_name(pc - 1) or function_name(pc)
        out.append(_describe(pc, registers[cfi.RBP], name, gdb.find_pc_line(pc - 1), None))
        region = code_map.region_of(pc)
        if region is None:
            raise cfi.CfiError("0x%x is not in any code mapping" % pc)
        if _in_switch(pc) or is_v8_code(pc, name):
            registers = _by_frame_pointer(registers)
            continue
        try:
            registers = cfi.caller(registers, region, read_u64, innermost=False)
        except cfi.CfiError:
            if "koffi" not in region.path:
                raise
            registers = _by_frame_pointer(registers)  # koffi's assembly stubs keep rbp, without CFI
        if registers is None:
            return


def physical_stack(limit=400):
    """Innermost first. Past koffi's first stack switch the frames come from our own walk over
    memory and are not addressable by gdb's frame levels."""
    out = []
    try:
        last = _walk_gdb(out, limit)
        if last is not None and last.name() == SWITCH and len(out) < limit:
            _walk_memory(_past_switch(last), out, limit)
    except (gdb.error, gdb.MemoryError, RuntimeError, cfi.CfiError) as error:
        out.append({"kind": "walk-stopped", "reason": str(error)})
    return out


# ── the thread's own stack ──────────────────────────────────────────────────────────────────────


def _main_stack_range():
    with open("/proc/%d/maps" % gdb.selected_inferior().pid) as maps:
        for line in maps:
            if line.rstrip().endswith("[stack]"):
                lo, hi = line.split()[0].split("-")
                return int(lo, 16), int(hi, 16)
    return None


def own_stack_pointer(limit=64):
    """The stack pointer of the innermost frame of the main thread that lies on the thread's own
    stack (koffi runs C on a stack of its own: the frames below its switch are back on the main
    one); None for another thread, or when no frame within `limit` is there."""
    thread = gdb.selected_thread()
    if thread is None or thread.ptid[1] != gdb.selected_inferior().pid:
        return None
    bounds = _main_stack_range()
    if bounds is None:
        return None
    frame = gdb.newest_frame()
    for _ in range(limit):
        sp = int(frame.read_register("rsp"))
        if bounds[0] <= sp < bounds[1]:
            return sp
        try:
            frame = frame.older()
        except gdb.error:
            return None
        if frame is None:
            return None
    return None
