# Loaded into gdb by Polyglot Debug's gdb engine. Three jobs, none of which gdb does on its own:
#  - give the debuggee a pseudo-terminal and relay it to the adapter over an inherited socket;
#  - walk the whole physical stack of a thread in true order, across V8's frames and koffi's
#    stack switch, as JSON (polyglot_stack.py; JS frames named from V8's heap, polyglot_v8.py);
#  - give a program its exact arguments without a shell.
import json
import os
import threading

import gdb

import polyglot_memory
import polyglot_stack
import polyglot_v8
from polyglot_stack import read_u64

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


# ── the physical stack ──────────────────────────────────────────────────────────────────────────


# The last walk: whose it was (thread, with JS names or not), its newest frame, and its frames.
_last_walk = {"key": None, "newest": None, "frames": None, "kept": False}


def _stack_json(js_names, after_step=False):
    """`after_step`: the adapter says the thread has only been stepped (next, step, stepi) since
    the last walk of it, and nothing was written to it. If the step ended in the frame it began
    in (same frame id: same function, same CFA, same inline depth), that frame never returned,
    so every older frame is still suspended where it was: its return address, its saved
    registers and, for a JS frame, its position. Only the newest frame is read again (a C
    `next` then costs one frame, not a walk through V8's heap)."""
    key = (gdb.selected_thread().global_num, js_names)
    try:
        newest = gdb.newest_frame()
    except gdb.error:
        newest = None  # no stack to read: the full walk below says why
    last = _last_walk["frames"]
    kept = after_step and newest is not None and bool(last) and _last_walk["key"] == key and _last_walk["newest"] == newest and last[0].get("kind") == "native"
    if kept:
        frames = [polyglot_stack.moved_within(last[0], newest)] + last[1:]
    else:
        with polyglot_memory.walk_cache():
            frames = polyglot_stack.physical_stack()
            if js_names:
                polyglot_v8.name_js_frames(frames)
    _last_walk.update(key=key, newest=newest, frames=frames, kept=kept)
    return json.dumps(frames)


def last_walk_kept():
    """Whether the last walk kept the older frames of the one before (what the engine test checks)."""
    return _last_walk["kept"]


class PolyglotStack(gdb.Command):
    """polyglot-stack [--js-names] [--after-step]: the selected thread's physical stack as one JSON line."""

    def __init__(self):
        super().__init__("polyglot-stack", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        argv = arg.split()
        gdb.write(_stack_json("--js-names" in argv, "--after-step" in argv) + "\n")


PolyglotStack()

if hasattr(gdb, "MICommand"):  # gdb 13+

    class PolyglotStackMi(gdb.MICommand):
        """-polyglot-stack [--js-names] [--after-step]: the same JSON as the result's `stack`. gdb writes console
        output one character per write(2), so a stack of 5 kB took 5,000 writes, and as many reads
        in the adapter; a result record is written at once."""

        def __init__(self):
            super().__init__("-polyglot-stack")

        def invoke(self, argv):
            return {"stack": _stack_json("--js-names" in argv, "--after-step" in argv)}

    PolyglotStackMi()


class PolyglotThreadStackSp(gdb.Command):
    """polyglot-thread-stack-sp: where the selected (main) thread's own stack is in use down to,
    as hex; nothing when it cannot tell (see polyglot_stack.own_stack_pointer)."""

    def __init__(self):
        super().__init__("polyglot-thread-stack-sp", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        sp = polyglot_stack.own_stack_pointer()
        if sp is not None:
            gdb.write("0x%x\n" % sp)


PolyglotThreadStackSp()


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
    argc = read_u64(sp)
    argv0 = read_u64(sp + 8)
    envp = []
    cursor = sp + 8 * (argc + 2)
    while True:
        value = read_u64(cursor)
        cursor += 8
        if value == 0:
            break
        envp.append(value)
    auxv = []
    while True:
        key, value = read_u64(cursor), read_u64(cursor + 8)
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
