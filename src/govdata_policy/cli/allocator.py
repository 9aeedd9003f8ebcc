"""Allocator settings for one big batch check (issue 5).

A check of a million events allocates and frees hundreds of whole-column arrays of
several MB. With glibc's defaults each is served by a fresh ``mmap`` (or the heap top
is given back to the system as soon as it is free), so every array's pages are faulted
in and zeroed again: on 1M events that was 1-2 s of system time, a third of the run.
Keeping freed memory for reuse costs a little more peak memory (~5-10 %) and saves most
of that. Only the command line does this: a library must not retune its host process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_MB = 1 << 20


def keep_freed_memory() -> bool:
    """glibc: serve big arrays from the heap and keep freed memory; True if applied.

    ``GOVDATA_POLICY_MALLOC=default`` leaves the allocator as it is.
    """
    if not sys.platform.startswith("linux") or os.environ.get("GOVDATA_POLICY_MALLOC") == "default":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    applied = [
        mallopt(_M_MMAP_THRESHOLD, 32 * _MB),  # glibc's ceiling: arrays up to 32 MB come from the heap
        mallopt(_M_TRIM_THRESHOLD, 1024 * _MB),  # freed heap memory is kept for the next array
        mallopt(_M_TOP_PAD, 64 * _MB),  # and the heap grows in large steps
    ]
    return all(applied)
