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


def can_disable_aslr():
    """Whether gdb may turn off address randomization for the debuggee (containers often forbid it)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    current = libc.personality(0xFFFFFFFF)
    if current == -1:
        return False
    ADDR_NO_RANDOMIZE = 0x0040000
    if libc.personality(current | ADDR_NO_RANDOMIZE) == -1:
        return False
    libc.personality(current)
    return True


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


# ── koffi's boundaries ──────────────────────────────────────────────────────────────────────────
# koffi.node is stripped but for SwitchAndRelay and Trampoline0..N. JS calls C through small
# assembly stubs ("push rbp; mov [rdx], rsp; mov rbp, rsp; lea rsp, [rsi+0x80]; … call r11;
# mov rsp, rbp; pop rbp; ret") that move onto koffi's own stack. C calls a JS callback through
# TrampolineN, which jumps (no frame of its own) into a relay stub placed just before
# SwitchAndRelay; SwitchAndRelay then moves back to the JS stack to run the callback.

_CALL_R11 = bytes.fromhex("41ffd3")
_STUB_EPILOGUE = bytes.fromhex("4889ec5dc3")
_relay_range = [None]


def _read(addr, size):
    return gdb.selected_inferior().read_memory(addr, size).tobytes()


def _koffi_relay_range():
    """[relay stub, SwitchAndRelay): where Trampoline0 jumps to, up to SwitchAndRelay."""
    if _relay_range[0] is None:
        try:
            trampoline = int(gdb.parse_and_eval("(long)&Trampoline0"))
            switch = int(gdb.parse_and_eval("(long)&SwitchAndRelay"))
            code = _read(trampoline, 16)
            jump = code.find(b"\xe9", 4)
            target = trampoline + jump + 5 + int.from_bytes(code[jump + 1 : jump + 5], "little", signed=True)
            _relay_range[0] = (target, switch) if jump >= 0 and target < switch else (0, 0)
        except (gdb.error, gdb.MemoryError):
            return (0, 0)  # koffi is not loaded yet: look again next time
    return _relay_range[0]


def _is_koffi_call_stub(pc):
    """pc is the return address of koffi's call of a C function (right after `call r11`)."""
    try:
        return _read(pc - 3, 3) == _CALL_R11 and _read(pc, 5) == _STUB_EPILOGUE
    except gdb.MemoryError:
        return False


def _on_new_objfile(_event):
    _relay_range[0] = None
    _switch_range[0] = None


gdb.events.new_objfile.connect(_on_new_objfile)


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


def _describe(frame, level, addressable):
    pc = int(frame.pc())
    name = frame.name()
    koffi = _koffi_kind(pc, name)
    if koffi:
        return {"kind": koffi, "pc": hex(pc)}
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
        d["file"] = sal.symtab.filename
        d["fullname"] = sal.symtab.fullname()
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


# ── exact arguments without a shell ─────────────────────────────────────────────────────────────


def replace_argv(args_json):
    """At the program's first instruction, gives it these arguments (argv[0] kept).

    gdb 13 without a shell splits its argument string on whitespace and honours no quoting, so
    an argument holding a space cannot reach the program through `set args`. Before anything
    ran, the kernel's initial stack (argc, argv, envp, auxv) is all the program knows of them;
    we build a copy below it with the new argv and point rsp at the copy."""
    args = json.loads(args_json)
    inferior = gdb.selected_inferior()
    frame = gdb.newest_frame()
    sp = int(frame.read_register("rsp"))
    argc = _u64(sp)
    argv0 = _u64(sp + 8)
    envp = []
    cursor = sp + 8 * (argc + 2)
    while True:
        value = _u64(cursor)
        cursor += 8
        if value == 0:
            break
        envp.append(value)
    auxv = []
    while True:
        key, value = _u64(cursor), _u64(cursor + 8)
        cursor += 16
        auxv.append((key, value))
        if key == 0:
            break
    # The strings, just below the original block (the kernel maps 128 KiB of stack below it).
    blobs = [arg.encode("utf-8") + b"\0" for arg in args]
    strings_start = (sp - 512 - sum(len(b) for b in blobs)) & ~15
    pointers = []
    at = strings_start
    for blob in blobs:
        inferior.write_memory(at, blob)
        pointers.append(at)
        at += len(blob)
    words = [len(args) + 1, argv0] + pointers + [0] + envp + [0]
    for key, value in auxv:
        words += [key, value]
    new_sp = (strings_start - 8 * len(words)) & ~15
    inferior.write_memory(new_sp, b"".join(w.to_bytes(8, "little") for w in words))
    gdb.execute("set $rsp = %d" % new_sp)
    return new_sp
