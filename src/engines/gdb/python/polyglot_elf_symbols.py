# Symbols whose names start with a prefix, read from an ELF file's own symbol table.
#
# gdb's `info variables REGEX` searches the debug info of every loaded library as well as the
# minimal symbols: with libc and libpython debug info installed, finding node's ~500 v8dbg_*
# names took 110-130 ms, at the first stop of every session. Read from node's own symbol table
# they take 30-60 ms (node 24, node 20/22).
import array
import struct

SHT_SYMTAB, SHT_DYNSYM = 2, 11
_SYM_SIZE = 24  # Elf64_Sym


def symbols_with_prefix(path, prefix):
    """{name: link-time value} of the defined symbols of a 64-bit little-endian ELF file whose
    names start with `prefix` (bytes): from .dynsym (in node 24 a fifth the size of .symtab),
    else .symtab; {} when it has neither or is not such an ELF file."""
    with open(path, "rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return {}
        tables = _symbol_tables(handle, header)
        for kind in (SHT_DYNSYM, SHT_SYMTAB):
            if kind in tables:
                found = _scan(handle, tables[kind], prefix)
                if found:
                    return found
    return {}


def _read(handle, offset, size):
    handle.seek(offset)
    return handle.read(size)


def _symbol_tables(handle, header):
    """{section type: (symbol table offset, size, string table offset, size)}."""
    shoff, = struct.unpack_from("<Q", header, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", header, 0x3A)
    table = _read(handle, shoff, shentsize * shnum)
    sections = [struct.unpack_from("<IIQQQQII", table, i * shentsize) for i in range(shnum)]
    tables = {}
    for _name, kind, _flags, _addr, offset, size, link, _info in sections:
        if kind in (SHT_SYMTAB, SHT_DYNSYM) and link < shnum:
            strings = sections[link]
            tables[kind] = (offset, size, strings[4], strings[5])
    return tables


def _scan(handle, table, prefix):
    sym_offset, sym_size, str_offset, str_size = table
    # Read, not mapped: one read of a few MB costs less than faulting its pages in one by one.
    strings = _read(handle, str_offset, str_size)
    # Every place a wanted name may start in the string table: linkers share the tails of
    # strings, so `v8dbg_x` can be the end of `_GLOBAL__sub_I_v8dbg_x`, not after a NUL.
    wanted = {}
    at = strings.find(prefix)
    while at >= 0:
        stop = strings.find(b"\x00", at)
        if stop < 0:
            break
        wanted[at] = strings[at:stop]
        at = strings.find(prefix, at + 1)
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
