"""What the process's two allocators hold, read from themselves (ADR 0219).

A server's resident set is, beside its code and mapped files: glibc's malloc (SQLite's heap,
large Python objects, the libraries' buffers) and Python's own allocator, pymalloc (every
object of 512 bytes or less, in arenas of 1 MiB). Each keeps memory it no longer uses: glibc
as free chunks inside its arenas, pymalloc as arenas that still hold one live object. The
counts here tell apart what is used from what is only held, so a benchmark can say whether a
server that grows holds more objects (a leak, a cache) or the same objects more spread out
(fragmentation, a high-water mark). Read at ``/health/process``; both are cheap (a walk of the
allocators' own tables, no object visited).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import sys

from ledger.application import memory_tuning

_MALLINFO_FIELDS = (
    *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
    *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO_FIELDS]


def malloc_counts() -> dict[str, int] | None:
    """glibc's count over every arena (``mallinfo2``): bytes taken from the system in the
    arenas and as mapped blocks, in use, and free inside the arenas (kept, not given back).
    None elsewhere than glibc 2.33+."""
    libc = memory_tuning.glibc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return None
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return {
        "arenas_bytes": info.arena,
        "mapped_bytes": info.hblkhd,
        "in_use_bytes": info.uordblks + info.hblkhd,
        "free_in_arenas_bytes": info.fordblks,
    }


_PYMALLOC_LINES = {
    "arenas": r"# arenas allocated current\s*=\s*([\d,]+)",
    "arenas_highwater": r"# arenas highwater mark\s*=\s*([\d,]+)",
    "used_bytes": r"# bytes in allocated blocks\s*=\s*([\d,]+)",
    "free_blocks_bytes": r"# bytes in available blocks\s*=\s*([\d,]+)",
    "unused_pools_bytes": r"unused pools \* \d+ bytes\s*=\s*([\d,]+)",
    "arenas_bytes": r"arenas \* \d+ bytes/arena\s*=\s*([\d,]+)",
}


def pymalloc_counts() -> dict[str, int] | None:
    """pymalloc's own statistics (``sys._debugmallocstats``, written into memory instead of
    stderr): arenas held now and at most, bytes in live objects, bytes free inside them. None
    where the interpreter or the C library does not offer it."""
    libc = memory_tuning.glibc()
    stats = getattr(ctypes.pythonapi, "_PyObject_DebugMallocStats", None)
    if libc is None or stats is None or not hasattr(sys, "_debugmallocstats"):
        return None
    libc.open_memstream.restype = ctypes.c_void_p
    libc.open_memstream.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)]
    libc.fclose.argtypes = [ctypes.c_void_p]
    libc.free.argtypes = [ctypes.c_void_p]
    stats.argtypes = [ctypes.c_void_p]
    buffer, size = ctypes.c_char_p(), ctypes.c_size_t()
    stream = libc.open_memstream(ctypes.byref(buffer), ctypes.byref(size))
    if not stream:
        return None
    try:
        stats(stream)
    finally:
        libc.fclose(stream)  # fills buffer and size
    try:
        text = ctypes.string_at(buffer, size.value).decode("ascii", "replace")
    finally:
        libc.free(buffer)
    counts = {}
    for name, pattern in _PYMALLOC_LINES.items():
        found = re.search(pattern, text)
        if found is None:
            return None
        counts[name] = int(found.group(1).replace(",", ""))
    return counts
