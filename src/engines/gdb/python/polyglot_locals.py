# Locals that gdb's MI leaves out. A variable the compiler kept in the debug info but gave no
# location at all (gcc 16 at -O2 does so for values it folded away) is of class
# LOC_OPTIMIZED_OUT: `info locals` shows it as <optimized out>, while -stack-list-variables skips
# it, so a variables view built on MI would silently lose it.
import json

import gdb


def locationless_locals(frame):
    """[(name, type)] of the locals without a location in the blocks around the frame's pc,
    innermost block first, up to the function's own block."""
    found = []
    try:
        block = frame.block()
    except RuntimeError:
        return found  # no debug info here
    while block is not None:
        for symbol in block:
            if symbol.is_variable and not symbol.is_argument and symbol.addr_class == gdb.SYMBOL_LOC_OPTIMIZED_OUT:
                found.append((symbol.name, str(symbol.type)))
        if block.function is not None:
            break
        block = block.superblock
    return found


class PolyglotLocationlessLocals(gdb.Command):
    """polyglot-locationless-locals: the selected frame's locals that have no location, as one JSON line."""

    def __init__(self):
        super().__init__("polyglot-locationless-locals", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        locals_ = locationless_locals(gdb.selected_frame())
        gdb.write(json.dumps([{"name": name, "type": type_} for name, type_ in locals_]) + "\n")


PolyglotLocationlessLocals()
