# Reads of the debuggee's memory, served from whole pages while one stack walk runs.
#
# A walk of the mixed example reads ~330 small fields (V8's heap objects, frame slots, code bytes)
# from ~30 pages, and every read_memory is a system call in gdb (~4 us here): a third of the
# walk's time. Pages are mapped whole, so a page-aligned read fails exactly when a read inside the
# page would; a page that cannot be read is not cached and the read goes to gdb as before, to fail
# (or not) as it always did. The cache lives for one walk only: the program's memory changes as
# soon as it runs again (and its other threads run meanwhile in non-stop mode: a walk sees each
# page as it was when first read, which is no less consistent than fields read one at a time).
import contextlib

import gdb

PAGE = 4096

_pages = None  # page number -> bytes while a walk runs


@contextlib.contextmanager
def walk_cache():
    """Serves reads of up to a page from a cache of whole pages until the block ends."""
    global _pages
    outer = _pages
    if outer is None:
        _pages = {}
    try:
        yield
    finally:
        _pages = outer


def read(address, size):
    """`size` bytes at `address` as bytes; gdb.MemoryError when they cannot be read."""
    if _pages is None or size > PAGE or size <= 0:
        return gdb.selected_inferior().read_memory(address, size).tobytes()
    first, last = address // PAGE, (address + size - 1) // PAGE
    chunks = []
    for page in range(first, last + 1):
        data = _pages.get(page)
        if data is None:
            try:
                data = gdb.selected_inferior().read_memory(page * PAGE, PAGE).tobytes()
            except gdb.MemoryError:
                return gdb.selected_inferior().read_memory(address, size).tobytes()
            _pages[page] = data
        chunks.append(data)
    offset = address - first * PAGE
    whole = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return whole[offset : offset + size]
