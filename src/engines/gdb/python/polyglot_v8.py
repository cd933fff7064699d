# Where each JavaScript frame of a stopped node is, read from V8's heap with node's postmortem
# metadata (the v8dbg_* symbols), without running any code in the debuggee: while C holds the
# thread the inspector cannot answer, and gdb 13 cannot call functions on CPUs whose register
# state it cannot write back (AMX). For every interpreted frame this gives the script's name and
# the character offset of the running call; the adapter turns that into a line and a name.
#
# Layouts are read, not assumed: field offsets come from the metadata of the very binary, whose
# names carry the field's type (`class_Script__name__Object` in V8 11, `..._Tagged_Object_` in
# V8 12+), so a field is looked up by class and name whatever its type. What the metadata does not
# say (the order of BytecodeArray's tables) is taken per V8 generation and checked on the heap.
# A V8 whose layout does not pass these checks is reported, never guessed.
import struct

import gdb

import polyglot_elf_symbols as elf_symbols
import polyglot_memory as memory
from polyglot_console import console_text
from polyglot_stack import symbol_address, v8_library


class LayoutUnknown(Exception):
    pass


_symbols = {}


def _metadata():
    """{name without the v8dbg_ prefix: address}, read once (about 500 symbols)."""
    if not _symbols:
        _symbols.update(_metadata_from_elf() or _metadata_from_gdb())
        if not _symbols:
            raise LayoutUnknown("no V8 postmortem metadata (v8dbg_*) in this node")
    return _symbols


def _metadata_from_gdb():
    found = {}
    for line in console_text("info variables ^v8dbg_").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("0x") and parts[1].startswith("v8dbg_"):
            found[parts[1][len("v8dbg_") :]] = int(parts[0], 16)
    return found


def _metadata_from_elf():
    """The names from the symbol table of the file V8 is in (node, or a distribution's libnode),
    moved to where it is loaded; checked at two names against gdb, else None (gdb's search then)."""
    path = v8_library()
    if path is None:
        return None
    try:
        found = elf_symbols.symbols_with_prefix(path, b"v8dbg_")
    except (OSError, ValueError, struct.error):
        return None
    if not found:
        return None
    names = sorted(found)
    first, last = names[0], names[-1]
    loaded = symbol_address(first)
    if loaded is None:
        return None
    bias = loaded - found[first]
    if symbol_address(last) != found[last] + bias:
        return None  # the file on disk is not the one running
    return {name[len("v8dbg_") :]: value + bias for name, value in found.items()}


# name -> value, or None for a name the metadata lacks: _has() asks for fields of other V8
# generations on every JS frame, and each miss scanned all ~500 names.
_constants = {}


def _const(name):
    """A metadata constant by exact name, or a class field by `class_Klass__field` whatever its type."""
    if name not in _constants:
        symbols = _metadata()
        address = symbols.get(name)
        if address is None and name.startswith("class_"):
            prefix = name + "__"
            matches = [a for n, a in symbols.items() if n.startswith(prefix)]
            address = matches[0] if len(matches) == 1 else None
        _constants[name] = None if address is None else int.from_bytes(_inferior().read_memory(address, 4).tobytes(), "little", signed=True)
    value = _constants[name]
    if value is None:
        raise LayoutUnknown("%s is not in the V8 metadata" % name)
    return value


def _has(name):
    try:
        _const(name)
        return True
    except LayoutUnknown:
        return False


def v8_version():
    """"12.4" — from V8's own version fields, or None when they cannot be read."""
    try:
        major = int(gdb.parse_and_eval("*(int*)&'v8::internal::Version::major_'"))
        minor = int(gdb.parse_and_eval("*(int*)&'v8::internal::Version::minor_'"))
        return "%d.%d" % (major, minor)
    except gdb.error:
        return None


def _inferior():
    return gdb.selected_inferior()


def _u64(addr):
    return int.from_bytes(memory.read(addr, 8), "little")


def _u16(addr):
    return int.from_bytes(memory.read(addr, 2), "little")


def _u32(addr):
    return int.from_bytes(memory.read(addr, 4), "little", signed=True)


def _field(obj, name):
    """A tagged field of a heap object (obj is a tagged pointer)."""
    return _u64(obj - 1 + _const(name))


def _smi(value):
    return (value >> 32) if value < (1 << 63) else -((1 << 64) - value >> 32)


def _is_heap_object(value):
    return value & 1 == 1


def _instance_type(obj):
    return _u16(_field(obj, "class_HeapObject__map") - 1 + _const("class_Map__instance_type"))


def _string(obj, depth=0):
    """A V8 string of any representation (sequential, cons, sliced, thin; external when one-byte)."""
    if not _is_heap_object(obj) or depth > 32:
        return None
    kind = _instance_type(obj)
    if kind >= _const("FirstNonstringType"):
        return None
    length = _u32(obj - 1 + _const("class_String__length"))
    if length <= 0:
        return "" if length == 0 else None  # gdb 16 refuses to read zero bytes
    representation = kind & _const("StringRepresentationMask")
    one_byte = kind & _const("StringEncodingMask") == _const("OneByteStringTag")
    if representation == _const("SeqStringTag"):
        if one_byte:
            data = memory.read(obj - 1 + _const("class_SeqOneByteString__chars"), length)
            return data.decode("latin-1")
        data = memory.read(obj - 1 + _const("class_SeqTwoByteString__chars"), 2 * length)
        return data.decode("utf-16-le", "replace")
    if representation == _const("ConsStringTag"):
        first = _string(_field(obj, "class_ConsString__first"), depth + 1)
        second = _string(_field(obj, "class_ConsString__second"), depth + 1)
        return None if first is None or second is None else first + second
    if representation == _const("ThinStringTag"):
        return _string(_field(obj, "class_ThinString__actual"), depth + 1)
    if representation == _const("SlicedStringTag"):
        parent = _string(_field(obj, "class_SlicedString__parent"), depth + 1)
        offset = _smi(_field(obj, "class_SlicedString__offset"))
        return None if parent is None else parent[offset : offset + length]
    return None


# BytecodeArray's source-position table has no metadata entry; its place follows the fields that
# do. V8 11 (node 20): map, length, constant_pool, handler_table, source_position_table. V8 12+
# (node 22, 24): map, length, wrapper, source_position_table, handler_table. Both tables are byte
# arrays, which _tables() checks before anything is decoded.
_BYTE_ARRAY_DATA = 16
_DEBUG_INFO_SCRIPT = 24


def _table_offsets():
    """(source_position_table, handler_table) offsets in a BytecodeArray."""
    if _has("class_BytecodeArray__wrapper"):
        wrapper = _const("class_BytecodeArray__wrapper")
        return wrapper + 8, wrapper + 16
    return 32, 24


def _byte_array_types():
    types = {_const("type_ByteArray__BYTE_ARRAY_TYPE")}
    if _has("type_TrustedByteArray__TRUSTED_BYTE_ARRAY_TYPE"):
        types.add(_const("type_TrustedByteArray__TRUSTED_BYTE_ARRAY_TYPE"))
    return types


def _script_of(shared):
    if _has("class_SharedFunctionInfo__script"):  # V8 12+: debug info lives in a side table
        holder = _field(shared, "class_SharedFunctionInfo__script")
        return holder if _is_heap_object(holder) and _instance_type(holder) == _const("type_Script__SCRIPT_TYPE") else None
    holder = _field(shared, "class_SharedFunctionInfo__script_or_debug_info")
    if not _is_heap_object(holder):
        return None
    kind = _instance_type(holder)
    if kind == _const("type_DebugInfo__DEBUG_INFO_TYPE"):
        holder = _u64(holder - 1 + _DEBUG_INFO_SCRIPT)
        if not _is_heap_object(holder):
            return None
        kind = _instance_type(holder)
    return holder if kind == _const("type_Script__SCRIPT_TYPE") else None


def _read_vlq(data, index):
    shift = 0
    bits = 0
    while True:
        byte = data[index]
        index += 1
        bits |= (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80 == 0:
            break
    return (bits >> 1) ^ -(bits & 1), index


def _source_offset(bytecode_array, bytecode_offset):
    """The script offset V8 records for the bytecode at bytecode_offset (last entry at or before it)."""
    positions_at, handlers_at = _table_offsets()
    table = _u64(bytecode_array - 1 + positions_at)
    handler_table = _u64(bytecode_array - 1 + handlers_at)
    byte_arrays = _byte_array_types()
    if not _is_heap_object(table) or not _is_heap_object(handler_table):
        return None  # source positions not collected (yet) for this function
    if _instance_type(table) not in byte_arrays or _instance_type(handler_table) not in byte_arrays:
        raise LayoutUnknown("BytecodeArray's tables are not where V8 %s keeps them" % (v8_version() or "?"))
    length = _smi(_u64(table - 1 + 8))
    if length <= 0 or length > 1 << 24:
        return None
    data = memory.read(table - 1 + _BYTE_ARRAY_DATA, length)
    index = code = position = 0
    found = None
    while index < len(data):
        delta, index = _read_vlq(data, index)
        code += delta if delta >= 0 else -(delta + 1)
        step, index = _read_vlq(data, index)
        position += step
        if code > bytecode_offset:
            break
        found = position
    if found is None:
        return None
    # A SourcePosition: bit 0 external, bits 1..30 the script offset plus one.
    return ((found >> 1) & ((1 << 30) - 1)) - 1


# Names are inlined in a ScopeInfo below this many context locals (kScopeInfoMaxInlinedLocalNamesSize);
# above it one hash table takes their place.
_MAX_INLINED_LOCAL_NAMES = 75


def _function_name(shared):
    """The function's name ('' when anonymous), or the name V8 inferred for it ("Module._load").

    A compiled function keeps its name in its ScopeInfo, whose layout has no metadata: after
    flags, parameter count and context-local count come the local names and their infos, then
    the function's own name, its stack slot, and the inferred name (as llnode reads it)."""
    holder = _field(shared, "class_SharedFunctionInfo__name_or_scope_info")
    if not _is_heap_object(holder):
        return None
    kind = _instance_type(holder)
    if kind < _const("FirstNonstringType"):
        return _string(holder)
    if kind != _const("type_ScopeInfo__SCOPE_INFO_TYPE"):
        return None

    def slot(i):
        return _u64(holder - 1 + 8 + 8 * i)

    count = _smi(slot(2))
    if count < 0 or count > 1 << 20:
        return None
    index = 3
    if count and not _is_heap_object(slot(3)):
        index += 1  # a module scope's variable count comes first
    index += (count if count < _MAX_INLINED_LOCAL_NAMES else 1) + count
    found = None
    for i in range(index, index + 4):
        value = slot(i)
        if not _is_heap_object(value):
            continue
        text = _string(value)
        if text:
            return text
        if text == "":
            found = ""  # anonymous: an inferred name may follow
    return found


def describe_frame(fp):
    function = _u64(fp + _const("off_fp_function"))
    if not _is_heap_object(function):
        return {}
    shared = _field(function, "class_JSFunction__shared")
    out = {}
    name = _function_name(shared)
    if name is not None:
        out["name"] = name
    script = _script_of(shared)
    if script is not None:
        url = _string(_field(script, "class_Script__name"))
        if url:
            out["url"] = url
    bytecode_array = _u64(fp + _const("off_fp_bytecode_array"))
    raw_offset = _u64(fp + _const("off_fp_bytecode_offset"))
    if _is_heap_object(bytecode_array) and not _is_heap_object(raw_offset):
        offset = _smi(raw_offset) - (_const("class_BytecodeArray__data") - 1)
        # The saved offset sits one byte before the call's position entry (checked against the
        # lines V8's own Error.stack prints for the same frames).
        position = _source_offset(bytecode_array, offset + 1)
        if position is not None and position >= 0:
            out["offset"] = position
    return out


def name_js_frames(frames):
    """Names and places every JS frame in `frames`; when V8's layout is not recognised, a notice
    takes the place of the first JS frame's name and the frames keep only their kind."""
    for index, frame in enumerate(frames):
        if frame.get("kind") != "js" or "fp" not in frame:
            continue
        try:
            frame.update(describe_frame(int(frame["fp"], 16)))
        except LayoutUnknown as error:
            version = v8_version()
            reason = "JavaScript frames unavailable: V8 %s not recognised (%s)" % (version or "of unknown version", error)
            frames.insert(index, {"kind": "notice", "reason": reason})
            for js in frames[index + 1 :]:
                if js.get("kind") == "js":
                    js["error"] = reason
            return
        except (gdb.error, gdb.MemoryError, IndexError, ValueError) as error:
            frame["error"] = str(error)
