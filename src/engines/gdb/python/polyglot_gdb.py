# Loaded into gdb by Polyglot Debug's gdb engine. Three jobs, none of which gdb does on its own:
#  - give the debuggee a pseudo-terminal and relay it to the adapter over an inherited socket;
#  - unwind V8's frames (builtins and JIT code keep a frame-pointer chain but have no CFI);
#  - walk the whole physical stack of a thread in true order, across koffi's stack switch, as JSON.
import json
import os
import threading

import gdb
from gdb.unwinder import Unwinder, register_unwinder

# ── the debuggee's terminal ─────────────────────────────────────────────────────────────────────


def start_pty_relay(fd):
    """Opens a pty, relays master <-> fd (a socket to the adapter), returns the slave's name."""
    import termios
    import tty

    master, slave = os.openpty()
    # Raw: no echo, no line editing, no "\n" -> "\r\n"; the debug console is not a terminal.
    tty.setraw(slave, termios.TCSANOW)

    def pump(source, target):
        while True:
            try:
                data = os.read(source, 65536)
            except OSError:
                return
            if not data:
                return
            try:
                os.write(target, data)
            except OSError:
                return

    # The slave stays open in gdb so the pty survives between the debuggee's open/close calls.
    threading.Thread(target=pump, args=(master, fd), daemon=True).start()
    threading.Thread(target=pump, args=(fd, master), daemon=True).start()
    return os.ttyname(slave)


# ── V8 frames ───────────────────────────────────────────────────────────────────────────────────

SWITCH = "SwitchAndRelay"
_maps_cache = {}


def _executable_mappings():
    """(start, end, path) of the debuggee's executable mappings, read once per stop."""
    pid = gdb.selected_inferior().pid
    key = (pid, gdb.selected_thread().global_num if gdb.selected_thread() else 0, _stop_serial[0])
    if key in _maps_cache:
        return _maps_cache[key]
    out = []
    try:
        with open("/proc/%d/maps" % pid) as maps:
            for line in maps:
                parts = line.split()
                if len(parts) >= 5 and "x" in parts[1]:
                    lo, hi = (int(x, 16) for x in parts[0].split("-"))
                    out.append((lo, hi, parts[5] if len(parts) > 5 else ""))
    except OSError:
        pass
    _maps_cache.clear()
    _maps_cache[key] = out
    return out


_stop_serial = [0]


def _on_stop(_event):
    _stop_serial[0] += 1


gdb.events.stop.connect(_on_stop)


_switch_range = [None]


def _in_switch(pc):
    if _switch_range[0] is None:
        try:
            start = int(gdb.parse_and_eval("(long)&SwitchAndRelay"))
            _switch_range[0] = (start, start + 0x40)
        except gdb.error:
            return False  # koffi is not loaded yet: look again next time
    lo, hi = _switch_range[0]
    return lo <= pc < hi


_builtins_range = [None]


def _in_builtins(pc):
    """V8's embedded builtins are one contiguous block of node's text, named Builtins_*."""
    if _builtins_range[0] is None:
        text = gdb.execute("info functions ^Builtins_", to_string=True)
        addresses = [int(word, 16) for word in (line.split(None, 1)[0] for line in text.splitlines() if " Builtins_" in line) if word.startswith("0x")]
        _builtins_range[0] = (min(addresses), max(addresses) + 0x10000) if addresses else (0, 0)
    lo, hi = _builtins_range[0]
    return lo <= pc < hi


def _in_jit(pc):
    for lo, hi, path in _executable_mappings():
        if lo <= pc < hi:
            return path == "" or path.startswith("[anon")
    return False


def is_v8_code(pc, name=None):
    """Builtins (named Builtins_*) or JIT code (an anonymous executable mapping)."""
    if name is None:
        name = _function_name(pc)
    if name and name.startswith("Builtins_"):
        return True
    return not name and _in_jit(pc)


_names = {}


def _function_name(pc):
    """The function at pc; cached, since code addresses keep their names while the library is loaded."""
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
    text = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    if text.startswith("No symbol"):
        return None
    return text.split(" in section")[0].split(" + ")[0].strip()


class _FrameId(object):
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def _u64(addr):
    return int.from_bytes(gdb.selected_inferior().read_memory(addr, 8).tobytes(), "little")


class V8Unwinder(Unwinder):
    """V8 on x64 always keeps rbp as a frame pointer: [rbp] = caller's rbp, [rbp+8] = return address."""

    def __init__(self):
        super().__init__("polyglot-v8")

    def __call__(self, pending_frame):
        pc = int(pending_frame.read_register("rip"))
        # Cheap tests only: gdb asks for every frame.
        if pc == 0 or not (_in_switch(pc) or _in_builtins(pc) or _in_jit(pc)):
            return None
        fp = int(pending_frame.read_register("rbp"))
        if fp == 0:
            return None
        try:
            caller_fp, caller_pc = _u64(fp), _u64(fp + 8)
        except gdb.MemoryError:
            return None
        info = pending_frame.create_unwind_info(_FrameId(gdb.Value(fp + 16), gdb.Value(pc)))
        u64 = gdb.lookup_type("unsigned long")
        info.add_saved_register("rip", gdb.Value(caller_pc).cast(u64))
        info.add_saved_register("rbp", gdb.Value(caller_fp).cast(u64))
        info.add_saved_register("rsp", gdb.Value(fp + 16).cast(u64))
        return info


register_unwinder(None, V8Unwinder(), replace=True)

# ── the physical stack ──────────────────────────────────────────────────────────────────────────


def _describe(frame, level, addressable):
    pc = int(frame.pc())
    name = frame.name()
    if name == SWITCH:
        return {"kind": "koffi-switch", "pc": hex(pc)}
    if name and name.startswith("Trampoline") and name[10:].isdigit():
        return {"kind": "koffi-trampoline", "pc": hex(pc)}
    if is_v8_code(pc, name):
        fp = int(frame.read_register("rbp"))
        try:
            marker = _u64(fp - 8)
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
    sal = frame.find_sal()
    if sal is not None and sal.symtab is not None and sal.line:
        d["path"] = sal.symtab.fullname()
        d["line"] = sal.line
    lib = gdb.solib_name(pc)
    if lib:
        d["module"] = lib
    if addressable:
        d["level"] = level
    return d


def _walk(out, addressable, limit):
    frame = gdb.newest_frame()
    last = None
    level = 0
    while frame is not None and len(out) < limit:
        out.append(_describe(frame, level, addressable))
        last = frame
        level += 1
        try:
            frame = frame.older()
        except gdb.error:
            break
    return last


def physical_stack(limit=400):
    """Innermost first. gdb stops at koffi's SwitchAndRelay (its caller's stack lies below it in
    memory, which gdb takes for corruption), so we load the caller's registers for a moment and
    walk on from there; frames past the first switch are not addressable by gdb's frame levels."""
    out = []
    last = _walk(out, True, limit)
    saved = None
    switches = 0
    try:
        while last is not None and last.name() == SWITCH and switches < 64 and len(out) < limit:
            rbp = int(last.read_register("rbp"))
            caller_pc, caller_sp, caller_fp = _u64(rbp + 8), rbp + 16, _u64(rbp)
            gdb.newest_frame().select()
            if saved is None:
                saved = {r: int(gdb.parse_and_eval("$" + r)) for r in ("rip", "rsp", "rbp")}
            gdb.execute("set $rip = %d" % caller_pc)
            gdb.execute("set $rsp = %d" % caller_sp)
            gdb.execute("set $rbp = %d" % caller_fp)
            switches += 1
            last = _walk(out, False, limit)
    finally:
        if saved is not None:
            gdb.newest_frame().select()
            for register, value in saved.items():
                gdb.execute("set $%s = %d" % (register, value))
    return out


class PolyglotStack(gdb.Command):
    """polyglot-stack: the selected thread's physical stack as one JSON line."""

    def __init__(self):
        super().__init__("polyglot-stack", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        frames = physical_stack()
        if arg.strip() == "--js-names":
            try:
                import polyglot_v8

                polyglot_v8.name_js_frames(frames)
            except Exception as error:  # names are a bonus; the stack itself must not fail
                for f in frames:
                    if f["kind"] == "js":
                        f.setdefault("error", str(error))
        gdb.write(json.dumps(frames) + "\n")


PolyglotStack()
