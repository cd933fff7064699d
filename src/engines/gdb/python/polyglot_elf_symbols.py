# Symbols read from an ELF file's own symbol table: those whose names start with a prefix, or a
# few by exact name; and the bytes at a link-time address, to check a file against memory.
#
# gdb's `info variables REGEX` searches the debug info of every loaded library as well as the
# minimal symbols: with libc and libpython debug info installed, finding node's ~500 v8dbg_*
# names took 110-130 ms, at the first stop of every session. Read from node's own symbol table
# they take 30-60 ms (node 24, node 20/22). gdb's lookup of one name searches the same debug info
# first: 5-20 ms a name.
import array
import struct

SHT_SYMTAB, SHT_DYNSYM, SHT_GNU_HASH = 2, 11, 0x6FFFFFF6
PT_LOAD = 1
_SYM_SIZE = 24  # Elf64_Sym


def symbols_with_prefix(path, prefix):
    """{name: link-time value} of the defined symbols of a 64-bit little-endian ELF file whose
    names start with `prefix` (bytes): from .dynsym (in node 24 a fifth the size of .symtab),
    else .symtab; {} when it has neither or is not such an ELF file."""
    with open(path, "rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return {}
        tables = _symbol_tables(_sections(handle, header))
        for kind in (SHT_DYNSYM, SHT_SYMTAB):
            if kind in tables:
                found = _scan(handle, tables[kind], [prefix])
                if found:
                    return found
    return {}


def symbols_named(path, names):
    """{name: link-time value} of those of `names` (bytes) that the file's .dynsym defines (what a
    library exports; {} when not a 64-bit little-endian ELF file). Looked up in its GNU hash table
    as the dynamic linker does, reading a few hundred bytes: reading node's 2-5 MB of names to
    search them took 40 ms. A file without one has its tables searched."""
    with open(path, "rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return {}
        sections = _sections(handle, header)
        hashed = next((s for s in sections if s[1] == SHT_GNU_HASH and s[6] < len(sections) and sections[s[6]][1] == SHT_DYNSYM), None)
        if hashed is None:
            table = _symbol_tables(sections).get(SHT_DYNSYM)
            return _scan(handle, table, [name + b"\x00" for name in names]) if table else {}
        symbols = sections[hashed[6]]
        strings = sections[symbols[6]] if symbols[6] < len(sections) else None
        if strings is None:
            return {}
        found = {}
        for name in names:
            value = _hashed_lookup(handle, hashed[4], symbols[4], strings[4], name)
            if value is not None:
                found[name.decode("ascii", "replace")] = value
        return found


def _gnu_hash(name):
    h = 5381
    for byte in name:
        h = (h * 33 + byte) & 0xFFFFFFFF
    return h


def _hashed_lookup(handle, hash_offset, sym_offset, str_offset, name):
    """The value of defined symbol `name` through the GNU hash table at `hash_offset`, else None."""
    nbuckets, symoffset, bloom_size, _shift = struct.unpack("<IIII", _read(handle, hash_offset, 16))
    if nbuckets == 0:
        return None
    h = _gnu_hash(name)
    buckets_at = hash_offset + 16 + 8 * bloom_size
    index, = struct.unpack("<I", _read(handle, buckets_at + 4 * (h % nbuckets), 4))
    if index < symoffset:
        return None  # an empty bucket
    chain_at = buckets_at + 4 * nbuckets
    while True:
        link, = struct.unpack("<I", _read(handle, chain_at + 4 * (index - symoffset), 4))
        if (link | 1) == (h | 1):
            name_offset, _info, _other, shndx, value, _size = struct.unpack("<IBBHQQ", _read(handle, sym_offset + index * _SYM_SIZE, _SYM_SIZE))
            if shndx != 0 and _read(handle, str_offset + name_offset, len(name) + 1) == name + b"\x00":
                return value
        if link & 1:
            return None  # the end of the bucket's chain
        index += 1


def load_segments(path):
    """The file's PT_LOAD segments as (file offset, link-time address, size in the file)."""
    with open(path, "rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return []
        phoff, = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        table = _read(handle, phoff, phentsize * phnum)
    segments = []
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from("<IIQQQQ", table, i * phentsize)
        if kind == PT_LOAD:
            segments.append((offset, vaddr, filesz))
    return segments


def bytes_at(path, segments, address, size):
    """`size` bytes of the file at link-time `address` (inside one of its load segments), else None."""
    for offset, vaddr, filesz in segments:
        if vaddr <= address and address + size <= vaddr + filesz:
            with open(path, "rb") as handle:
                return _read(handle, offset + address - vaddr, size)
    return None


def _read(handle, offset, size):
    handle.seek(offset)
    return handle.read(size)


def _sections(handle, header):
    """The section headers as (name, type, flags, address, offset, size, link, info)."""
    shoff, = struct.unpack_from("<Q", header, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", header, 0x3A)
    table = _read(handle, shoff, shentsize * shnum)
    return [struct.unpack_from("<IIQQQQII", table, i * shentsize) for i in range(shnum)]


def _symbol_tables(sections):
    """{section type: (symbol table offset, size, string table offset, size)}."""
    shnum = len(sections)
    tables = {}
    for _name, kind, _flags, _addr, offset, size, link, _info in sections:
        if kind in (SHT_SYMTAB, SHT_DYNSYM) and link < shnum:
            strings = sections[link]
            tables[kind] = (offset, size, strings[4], strings[5])
    return tables


def _scan(handle, table, needles):
    """The defined symbols whose names start with one of `needles` (a prefix, or a name and its NUL)."""
    sym_offset, sym_size, str_offset, str_size = table
    # Read, not mapped: one read of a few MB costs less than faulting its pages in one by one.
    strings = _read(handle, str_offset, str_size)
    # Every place a wanted name may start in the string table: linkers share the tails of
    # strings, so `v8dbg_x` can be the end of `_GLOBAL__sub_I_v8dbg_x`, not after a NUL.
    wanted = {}
    for needle in needles:
        at = strings.find(needle)
        while at >= 0:
            stop = strings.find(b"\x00", at)
            if stop < 0:
                break
            wanted[at] = strings[at:stop]
            at = strings.find(needle, at + 1)
    if not wanted:
        return {}
    symbols = _read(handle, sym_offset, sym_size - sym_size % _SYM_SIZE)
    name_offsets = array.array("I", symbols)[:: _SYM_SIZE // 4]  # st_name of every entry
    found = {}
    for index, name_offset in enumerate(name_offsets):
        name = wanted.get(name_offset)
        if name is None:
            continue
        _name, _info, _other, shndx, value, _size = struct.unpack_from("<IBBHQQ", symbols, index * _SYM_SIZE)
        if shndx != 0:  # defined here
            found[name.decode("ascii", "replace")] = value
    return found
