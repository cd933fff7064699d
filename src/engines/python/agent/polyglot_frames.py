"""Which Python frames C entered (Polyglot Debug's agent, standard library only).

Since 3.11 CPython runs Python-to-Python calls inside one C-level evaluation
(`_PyEval_EvalFrameDefault`); a frame "entered from C" (by PyObject_Call, a ctypes callback, the
embedding host, a trace or monitoring callback) starts a new one. The stack stitcher needs to know
which frames those are, and only CPython's private frame structures say it:

  3.11       _PyInterpreterFrame.is_entry
  3.12-3.14  the frame's `previous` is the evaluation's own shim frame on the C stack, whose owner
             is FRAME_OWNED_BY_CSTACK (3.12: its code is the interpreter trampoline, a code object;
             3.13: its f_executable is None); 3.14: FRAME_OWNED_BY_INTERPRETER, f_executable None,
             and f_executable a tagged stack reference (its low bits are flags, not address)

They are read through the frame object's f_frame pointer with ctypes, reads only. Each read is
checked against something known (the frame's code object, the shim's marker) so that an unknown
layout answers None ("cannot tell") instead of garbage. Offsets are from each version's
Include/internal/pycore_frame.h and Include/cpython/frameobject.h (x86-64 and other LP64 ABIs)."""
import ctypes
import sys
import types

_POINTER = ctypes.sizeof(ctypes.c_void_p)
# PyObject_HEAD is refcount + type (two more pointers with Py_TRACE_REFS, where sys.getobjects exists).
_HEAD = _POINTER * (4 if hasattr(sys, "getobjects") else 2)
_F_FRAME = _HEAD + _POINTER  # struct _frame: PyObject_HEAD, f_back, f_frame
_OWNED_BY_CSTACK = 3


class _Layout:
    def __init__(self, code, previous, owner, is_entry=None, shim=None, shim_owner=_OWNED_BY_CSTACK, tag_bits=0):
        self.code, self.previous, self.owner, self.is_entry, self.shim = code, previous, owner, is_entry, shim
        self.shim_owner, self.untag = shim_owner, ~tag_bits


# Offsets inside _PyInterpreterFrame. 3.11: f_func, f_globals, f_builtins, f_locals, f_code,
# frame_obj, previous, prev_instr, stacktop (int), is_entry (bool), owner (char). 3.12: f_code,
# previous, f_funcobj, f_globals, f_builtins, f_locals, frame_obj, prev_instr, stacktop (int),
# return_offset (uint16), owner (char). 3.13: the same with f_executable for f_code. 3.14
# (pycore_interpframe_structs.h): f_executable (_PyStackRef), previous, f_funcobj, f_globals,
# f_builtins, f_locals, frame_obj, instr_ptr, stackpointer (a pointer now), return_offset, owner;
# owners gained FRAME_OWNED_BY_INTERPRETER (3), the shim's, before FRAME_OWNED_BY_CSTACK (4).
_LAYOUTS = {
    (3, 11): _Layout(code=4 * _POINTER, previous=6 * _POINTER, owner=8 * _POINTER + 5, is_entry=8 * _POINTER + 4),
    (3, 12): _Layout(code=0, previous=_POINTER, owner=8 * _POINTER + 6, shim="code"),
    (3, 13): _Layout(code=0, previous=_POINTER, owner=8 * _POINTER + 6, shim="none"),
    (3, 14): _Layout(code=0, previous=_POINTER, owner=9 * _POINTER + 2, shim="none", shim_owner=3, tag_bits=3),
}
_LAYOUT = _LAYOUTS.get(sys.version_info[:2]) if _POINTER == 8 else None


def _pointer(address):
    return ctypes.c_void_p.from_address(address).value


def _object_at(address):
    """The object a frame's code field names (a stack reference from 3.14 on: its tag bits cleared)."""
    value = _pointer(address)
    return value & _LAYOUT.untag if value else value


def _is_shim(interpreter_frame):
    """Whether an interpreter frame is an evaluation's shim on the C stack (3.12+)."""
    if ctypes.c_ubyte.from_address(interpreter_frame + _LAYOUT.owner).value != _LAYOUT.shim_owner:
        return False
    marker = _object_at(interpreter_frame + _LAYOUT.code)
    if _LAYOUT.shim == "none":
        return marker == id(None)
    return bool(marker) and _pointer(marker + _POINTER) == id(types.CodeType)  # ob_type of the trampoline


def entry_flag(frame):
    """True when C entered this (running) frame, False when Python called it, None when unknown:
    a layout not recognised, or a frame that has finished (its data moved into the frame object)."""
    if _LAYOUT is None:
        return None
    try:
        interpreter_frame = _pointer(id(frame) + _F_FRAME)
        if not interpreter_frame or _object_at(interpreter_frame + _LAYOUT.code) != id(frame.f_code):
            return None
        if _LAYOUT.is_entry is not None:
            return bool(ctypes.c_bool.from_address(interpreter_frame + _LAYOUT.is_entry).value)
        previous = _pointer(interpreter_frame + _LAYOUT.previous)
        if not previous:
            return None
        return _is_shim(previous)
    except Exception:
        return None


def layout_recognised():
    """Checked once on a frame that certainly runs: the agent's own caller's."""
    return entry_flag(sys._getframe(1)) is not None


def version_text():
    return f"{sys.version_info[0]}.{sys.version_info[1]}"
