# Where each JavaScript frame of a stopped node is, read from V8's heap with node's postmortem
# metadata (the v8dbg_* symbols), without running any code in the debuggee: while C holds the
# thread the inspector cannot answer, and gdb 13 cannot call functions on CPUs whose register
# state it cannot write back (AMX). For every interpreted frame this gives the script's name and
# the character offset of the running call; the adapter turns that into a line and a name.
import gdb

_constants = {}


def _const(name):
    if name not in _constants:
        _constants[name] = int(gdb.parse_and_eval("*(int*)&v8dbg_" + name))
    return _constants[name]


def _inferior():
    return gdb.selected_inferior()


def _u64(addr):
    return int.from_bytes(_inferior().read_memory(addr, 8).tobytes(), "little")


def _u16(addr):
    return int.from_bytes(_inferior().read_memory(addr, 2).tobytes(), "little")


def _u32(addr):
    return int.from_bytes(_inferior().read_memory(addr, 4).tobytes(), "little", signed=True)


def _field(obj, name):
    """A tagged field of a heap object (obj is a tagged pointer)."""
    return _u64(obj - 1 + _const(name))


def _smi(value):
    return (value >> 32) if value < (1 << 63) else -((1 << 64) - value >> 32)


def _is_heap_object(value):
    return value & 1 == 1


def _instance_type(obj):
    return _u16(_field(obj, "class_HeapObject__map__Map") - 1 + _const("class_Map__instance_type__uint16_t"))


def _string(obj, depth=0):
    """A V8 string of any representation (sequential, cons, sliced, thin; external when one-byte)."""
    if not _is_heap_object(obj) or depth > 32:
        return None
    kind = _instance_type(obj)
    if kind >= _const("FirstNonstringType"):
        return None
    length = _u32(obj - 1 + _const("class_String__length__int32_t"))
    representation = kind & _const("StringRepresentationMask")
    one_byte = kind & _const("StringEncodingMask") == _const("OneByteStringTag")
    if representation == _const("SeqStringTag"):
        if one_byte:
            data = _inferior().read_memory(obj - 1 + _const("class_SeqOneByteString__chars__char"), length).tobytes()
            return data.decode("latin-1")
        data = _inferior().read_memory(obj - 1 + _const("class_SeqTwoByteString__chars__char"), 2 * length).tobytes()
        return data.decode("utf-16-le", "replace")
    if representation == _const("ConsStringTag"):
        first = _string(_field(obj, "class_ConsString__first__String"), depth + 1)
        second = _string(_field(obj, "class_ConsString__second__String"), depth + 1)
        return None if first is None or second is None else first + second
    if representation == _const("ThinStringTag"):
        return _string(_field(obj, "class_ThinString__actual__String"), depth + 1)
    if representation == _const("SlicedStringTag"):
        parent = _string(_field(obj, "class_SlicedString__parent__String"), depth + 1)
        offset = _smi(_field(obj, "class_SlicedString__offset__SMI"))
        return None if parent is None else parent[offset : offset + length]
    return None


# Layout facts not in the metadata (V8 11.x, node 20), checked where they can be:
# BytecodeArray = map, length, constant_pool, handler_table, source_position_table, then int
# fields and the bytecodes; the handler table and the position table are both ByteArrays.
_SOURCE_POSITION_TABLE = 32
_BYTE_ARRAY_DATA = 16
_DEBUG_INFO_SCRIPT = 24


def _script_of(shared):
    holder = _field(shared, "class_SharedFunctionInfo__script_or_debug_info__HeapObject")
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
    table = _u64(bytecode_array - 1 + _SOURCE_POSITION_TABLE)
    handler_table = _u64(bytecode_array - 1 + _SOURCE_POSITION_TABLE - 8)
    if not _is_heap_object(table) or not _is_heap_object(handler_table) or _instance_type(table) != _instance_type(handler_table):
        return None
    length = _smi(_u64(table - 1 + 8))
    if length <= 0 or length > 1 << 24:
        return None
    data = _inferior().read_memory(table - 1 + _BYTE_ARRAY_DATA, length).tobytes()
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
    holder = _field(shared, "class_SharedFunctionInfo__name_or_scope_info__Object")
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
    shared = _field(function, "class_JSFunction__shared__SharedFunctionInfo")
    out = {}
    name = _function_name(shared)
    if name is not None:
        out["name"] = name
    script = _script_of(shared)
    if script is not None:
        url = _string(_field(script, "class_Script__name__Object"))
        if url:
            out["url"] = url
    bytecode_array = _u64(fp + _const("off_fp_bytecode_array"))
    raw_offset = _u64(fp + _const("off_fp_bytecode_offset"))
    if _is_heap_object(bytecode_array) and not _is_heap_object(raw_offset):
        offset = _smi(raw_offset) - (_const("class_BytecodeArray__data__uintptr_t") - 1)
        # The saved offset sits one byte before the call's position entry (checked against the
        # lines V8's own Error.stack prints for the same frames).
        position = _source_offset(bytecode_array, offset + 1)
        if position is not None and position >= 0:
            out["offset"] = position
    return out


def name_js_frames(frames):
    for frame in frames:
        if frame.get("kind") != "js" or "fp" not in frame:
            continue
        try:
            frame.update(describe_frame(int(frame["fp"], 16)))
        except (gdb.error, gdb.MemoryError, IndexError, ValueError) as error:
            frame["error"] = str(error)
