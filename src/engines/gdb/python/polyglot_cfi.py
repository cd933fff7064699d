# Unwinding by call-frame information read from the ELF files themselves (.eh_frame_hdr and
# .eh_frame), for the stretch of stack gdb refuses to walk: past koffi's SwitchAndRelay the
# caller's frames lie at lower addresses than the callee's (another stack), which gdb's frame
# checks take for corruption. gdb offers no way to continue from registers of our choosing
# without writing them into the thread (and `select-frame view` trips an internal error in gdb
# 13 once its frames are unwound), so this module computes callers from memory reads alone.
#
# x86-64 only. DWARF register numbers: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp,
# 8-15 r8-r15, 16 the return address.
import mmap
import struct

RBP, RSP, RA = 6, 7, 16


class CfiError(Exception):
    pass


# ── ELF files ───────────────────────────────────────────────────────────────────────────────────


class ElfFile(object):
    """An ELF file's PT_LOAD segments and its .eh_frame_hdr search table, read through mmap."""

    def __init__(self, path):
        with open(path, "rb") as handle:
            self.data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if self.data[:4] != b"\x7fELF" or self.data[4] != 2:
            raise CfiError("%s is not a 64-bit ELF file" % path)
        phoff, = struct.unpack_from("<Q", self.data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", self.data, 0x36)
        self.loads = []
        self.eh_frame_hdr = None
        for i in range(phnum):
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz, _memsz, _align = struct.unpack_from("<IIQQQQQQ", self.data, phoff + i * phentsize)
            if p_type == 1:
                self.loads.append((p_offset, p_vaddr, p_filesz))
            elif p_type == 0x6474E550:  # PT_GNU_EH_FRAME
                self.eh_frame_hdr = p_vaddr
        self._table = None

    def vaddr_of_offset(self, offset):
        for p_offset, p_vaddr, p_filesz in self.loads:
            if p_offset <= offset < p_offset + p_filesz:
                return p_vaddr + (offset - p_offset)
        return None

    def offset_of_vaddr(self, vaddr):
        for p_offset, p_vaddr, p_filesz in self.loads:
            if p_vaddr <= vaddr < p_vaddr + p_filesz:
                return p_offset + (vaddr - p_vaddr)
        raise CfiError("address 0x%x is outside the file's segments" % vaddr)

    # — reading at link-time addresses —

    def u8(self, vaddr):
        return self.data[self.offset_of_vaddr(vaddr)]

    def unpack(self, fmt, vaddr):
        return struct.unpack_from(fmt, self.data, self.offset_of_vaddr(vaddr))

    def uleb(self, vaddr):
        return self._leb(vaddr, False)

    def sleb(self, vaddr):
        return self._leb(vaddr, True)

    def _leb(self, vaddr, signed):
        """A LEB128 number at vaddr: (value, next vaddr)."""
        result = shift = 0
        while True:
            byte = self.u8(vaddr)
            vaddr += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                if signed and byte & 0x40:
                    result -= 1 << shift
                return result, vaddr

    def pointer(self, encoding, vaddr, data_base=0):
        """An encoded pointer (DW_EH_PE_*) at vaddr: (value, next vaddr)."""
        if encoding == 0xFF:
            return None, vaddr
        kind = encoding & 0x0F
        if kind == 0x00:
            value, = self.unpack("<Q", vaddr)
            end = vaddr + 8
        elif kind == 0x01:
            value, end = self.uleb(vaddr)
        elif kind == 0x09:
            value, end = self.sleb(vaddr)
        else:
            fmt = {0x02: "<H", 0x03: "<I", 0x04: "<Q", 0x0A: "<h", 0x0B: "<i", 0x0C: "<q"}.get(kind)
            if fmt is None:
                raise CfiError("pointer encoding 0x%x" % encoding)
            value, = self.unpack(fmt, vaddr)
            end = vaddr + struct.calcsize(fmt)
        application = encoding & 0x70
        if application == 0x10:
            value += vaddr
        elif application == 0x30:
            value += data_base
        elif application != 0:
            raise CfiError("pointer application 0x%x" % application)
        return value & 0xFFFFFFFFFFFFFFFF, end

    # — the FDE covering an address —

    def fde_for(self, vaddr):
        """The FDE's address for link-time address vaddr, by binary search in .eh_frame_hdr."""
        if self.eh_frame_hdr is None:
            raise CfiError("no .eh_frame_hdr")
        if self._table is None:
            hdr = self.eh_frame_hdr
            version, _ptr_enc, count_enc, table_enc = (self.u8(hdr + i) for i in range(4))
            if version != 1 or table_enc != 0x3B:
                raise CfiError(".eh_frame_hdr of an unknown form")
            _, cursor = self.pointer(_ptr_enc, hdr + 4, hdr)
            count, cursor = self.pointer(count_enc, cursor, hdr)
            self._table = (cursor, count)
        table, count = self._table
        lo, hi = 0, count - 1
        found = None
        while lo <= hi:
            mid = (lo + hi) // 2
            start, fde = self.unpack("<ii", table + 8 * mid)
            if start + self.eh_frame_hdr <= vaddr:
                found = fde + self.eh_frame_hdr
                lo = mid + 1
            else:
                hi = mid - 1
        if found is None:
            raise CfiError("no FDE covers 0x%x" % vaddr)
        return found


# ── CIE/FDE programs ────────────────────────────────────────────────────────────────────────────


class Cie(object):
    def __init__(self, elf, at):
        length, = elf.unpack("<I", at)
        if length == 0xFFFFFFFF:
            raise CfiError("64-bit CIE")
        end = at + 4 + length
        cursor = at + 8
        version = elf.u8(cursor)
        cursor += 1
        augmentation = b""
        while elf.u8(cursor) != 0:
            augmentation += bytes([elf.u8(cursor)])
            cursor += 1
        cursor += 1
        if version == 4:
            cursor += 2  # address size, segment size
        self.code_align, cursor = elf.uleb(cursor)
        self.data_align, cursor = elf.sleb(cursor)
        if version == 1:
            self.ra_register = elf.u8(cursor)
            cursor += 1
        else:
            self.ra_register, cursor = elf.uleb(cursor)
        self.fde_encoding = 0
        self.augmented = augmentation.startswith(b"z")
        if self.augmented:
            size, cursor = elf.uleb(cursor)
            data_end = cursor + size
            for letter in augmentation[1:].decode("ascii", "replace"):
                if letter == "R":
                    self.fde_encoding = elf.u8(cursor)
                    cursor += 1
                elif letter == "P":
                    encoding = elf.u8(cursor)
                    _, cursor = elf.pointer(encoding & 0x7F, cursor + 1)
                elif letter == "L":
                    cursor += 1
            cursor = data_end
        self.program = (cursor, end)


class Rules(object):
    """The state of a CFA program: the CFA as register + offset, and where each register was saved."""

    def __init__(self):
        self.cfa_register = RSP
        self.cfa_offset = 8
        self.saved = {}  # register -> ("offset", n) | ("same",) | ("undefined",) | ("register", r)

    def copy(self):
        other = Rules()
        other.cfa_register, other.cfa_offset, other.saved = self.cfa_register, self.cfa_offset, dict(self.saved)
        return other


def _cfa_offset(elf, cie, cursor, factored):
    """A CFA offset operand: unsigned as is, or (the _sf forms) signed and scaled by data_align."""
    if not factored:
        return elf.uleb(cursor)
    value, cursor = elf.sleb(cursor)
    return value * cie.data_align, cursor


def _run(elf, cie, start, end, rules, location, target, initial):
    """Runs CFA instructions in [start, end) while location <= target."""
    stack = []
    cursor = start
    while cursor < end:
        op = elf.u8(cursor)
        cursor += 1
        high, low = op & 0xC0, op & 0x3F
        if high == 0x40:  # advance_loc
            location += low * cie.code_align
            if location > target:
                return
        elif high == 0x80:  # offset
            value, cursor = elf.uleb(cursor)
            rules.saved[low] = ("offset", value * cie.data_align)
        elif high == 0xC0:  # restore
            rules.saved.pop(low, None)
            if low in initial.saved:
                rules.saved[low] = initial.saved[low]
        elif op == 0x00:  # nop
            pass
        elif op in (0x02, 0x03, 0x04):  # advance_loc1/2/4
            size = {0x02: "<B", 0x03: "<H", 0x04: "<I"}[op]
            delta, = elf.unpack(size, cursor)
            cursor += struct.calcsize(size)
            location += delta * cie.code_align
            if location > target:
                return
        elif op == 0x01:  # set_loc
            raise CfiError("DW_CFA_set_loc")
        elif op in (0x05, 0x11):  # offset_extended(_sf)
            register, cursor = elf.uleb(cursor)
            if op == 0x05:
                value, cursor = elf.uleb(cursor)
            else:
                value, cursor = elf.sleb(cursor)
            rules.saved[register] = ("offset", value * cie.data_align)
        elif op == 0x06:  # restore_extended
            register, cursor = elf.uleb(cursor)
            rules.saved.pop(register, None)
        elif op == 0x07:  # undefined
            register, cursor = elf.uleb(cursor)
            rules.saved[register] = ("undefined",)
        elif op == 0x08:  # same_value
            register, cursor = elf.uleb(cursor)
            rules.saved[register] = ("same",)
        elif op == 0x09:  # register
            register, cursor = elf.uleb(cursor)
            other, cursor = elf.uleb(cursor)
            rules.saved[register] = ("register", other)
        elif op == 0x0A:  # remember_state
            stack.append(rules.copy())
        elif op == 0x0B:  # restore_state
            if not stack:
                raise CfiError("DW_CFA_restore_state without a state")
            state = stack.pop()
            rules.cfa_register, rules.cfa_offset, rules.saved = state.cfa_register, state.cfa_offset, state.saved
        elif op in (0x0C, 0x12):  # def_cfa(_sf)
            rules.cfa_register, cursor = elf.uleb(cursor)
            rules.cfa_offset, cursor = _cfa_offset(elf, cie, cursor, factored=op == 0x12)
        elif op == 0x0D:  # def_cfa_register
            rules.cfa_register, cursor = elf.uleb(cursor)
        elif op in (0x0E, 0x13):  # def_cfa_offset(_sf)
            rules.cfa_offset, cursor = _cfa_offset(elf, cie, cursor, factored=op == 0x13)
        elif op == 0x2E:  # GNU_args_size
            _, cursor = elf.uleb(cursor)
        elif op in (0x0F, 0x10, 0x16):
            raise CfiError("a DWARF expression in the CFI")
        else:
            raise CfiError("CFA instruction 0x%x" % op)


_cies = {}


def rules_at(elf, vaddr):
    """The unwind rules in effect at link-time address vaddr."""
    fde = elf.fde_for(vaddr)
    length, cie_pointer = elf.unpack("<II", fde)
    if length == 0xFFFFFFFF:
        raise CfiError("64-bit FDE")
    cie_at = fde + 4 - cie_pointer
    key = (id(elf), cie_at)
    cie = _cies.get(key)
    if cie is None:
        cie = _cies[key] = Cie(elf, cie_at)
    cursor = fde + 8
    pc_begin, cursor = elf.pointer(cie.fde_encoding, cursor)
    pc_range, cursor = elf.pointer(cie.fde_encoding & 0x0F, cursor)
    if not pc_begin <= vaddr < pc_begin + pc_range:
        raise CfiError("no FDE covers 0x%x" % vaddr)
    if cie.augmented:
        size, cursor = elf.uleb(cursor)
        cursor += size
    initial = Rules()
    _run(elf, cie, cie.program[0], cie.program[1], initial, 0, 1 << 64, Rules())
    rules = initial.copy()
    _run(elf, cie, cursor, fde + 4 + length, rules, pc_begin, vaddr, initial)
    return rules


# ── one step outwards ───────────────────────────────────────────────────────────────────────────

_elves = {}


def _elf(path):
    if path not in _elves:
        try:
            _elves[path] = ElfFile(path)
        except (OSError, ValueError, struct.error) as error:
            raise CfiError("cannot read %s: %s" % (path, error))
    return _elves[path]


def _link_address(region, pc):
    elf = _elf(region.path)
    vaddr = elf.vaddr_of_offset(region.offset + (pc - region.lo))
    if vaddr is None:
        raise CfiError("0x%x is outside %s's segments" % (pc, region.path))
    return elf, vaddr


def covers(region, pc):
    """Whether the file's CFI describes the code at pc (V8's builtins, for one, have none)."""
    try:
        elf, vaddr = _link_address(region, pc)
        rules_at(elf, vaddr)
        return True
    except (CfiError, struct.error):
        return False


def caller(registers, region, read_u64, innermost):
    """The caller's registers {dwarf number: value} (with RA as its pc), or None at the stack's end.

    `registers` hold at least RA (this frame's pc), RSP and RBP; `region` is the code mapping of
    that pc (path, offset, lo); `innermost` says the pc is not a return address."""
    pc = registers[RA]
    elf, vaddr = _link_address(region, pc)
    # A return address may sit just past the function's end (a call that never returns).
    rules = rules_at(elf, vaddr if innermost else vaddr - 1)
    base = registers.get(rules.cfa_register)
    if base is None:
        raise CfiError("the frame's CFA is based on a register not recovered (%d)" % rules.cfa_register)
    cfa = base + rules.cfa_offset
    out = {}
    for register, value in registers.items():
        rule = rules.saved.get(register)
        if rule is None or rule[0] == "same":
            out[register] = value
        elif rule[0] == "offset":
            out[register] = read_u64(cfa + rule[1])
        elif rule[0] == "register" and rule[1] in registers:
            out[register] = registers[rule[1]]
    ra_rule = rules.saved.get(RA)
    if ra_rule is None or ra_rule[0] != "offset":
        return None  # the outermost frame (_start, thread entry) leaves the return address undefined
    out[RA] = read_u64(cfa + ra_rule[1])
    out[RSP] = cfa
    return out
