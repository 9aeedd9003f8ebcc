"""Where a big CSV may be cut into byte ranges that each hold whole rows (the Dask path).

A cut at the end of a physical line is not always the end of a row: a quoted value may
hold line breaks (a "reason" typed over two lines), and a part starting inside it would
read the rest of that value as rows of its own. Whether a line break is inside quotes
depends on every quote before it, so the file is scanned once, quotes only, in blocks
(numpy over the bytes; a byte 0x22 or 0x0A is always that character in UTF-8 and in
GB18030, never part of a longer one).

Counting quotes is exact for CSV as RFC 4180 writes it: a quoted value opens with a
quote at the start of the field and doubles the quotes inside it, so a line break lies
inside a value exactly when an odd number of quotes came before it. A quote elsewhere
(``5"`` or ``ab"c`` in an unquoted value, which the reader keeps as a character) would
throw the count off; the scan recognises such a file by a quote at an even position not
opening a field, or at an odd one not closing it, and then the file is not cut at all:
one part, read as a whole, as ``profile.evaluate`` reads it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

QUOTE = 0x22
NEWLINE = 0x0A
SCAN_BLOCK = 1 << 20  # bytes read at a time, into one buffer reused (new memory is slow to touch)


def row_bounds(path: Path, start: int, blocksize: int, delimiter: str) -> list[int] | None:
    """Byte offsets ``[start, ..., size]`` cutting the file after ``start`` into ranges of about
    ``blocksize`` bytes, each ending at the end of a row; None when quotes are used in a way the
    count cannot follow (the file is then read whole)."""
    size = path.stat().st_size
    fence = np.zeros(256, dtype=bool)  # the bytes a quote may stand beside: delimiter, line ends, a quote
    fence[[ord(delimiter), NEWLINE, 0x0D, QUOTE]] = True
    bounds = [start]
    target = start + blocksize
    quotes_before = 0  # quotes from ``start`` to the current block
    last_byte = NEWLINE  # the byte before the block: the data starts a row
    pending_close = False  # the previous block ended on a quote at an odd position
    buffer = bytearray(SCAN_BLOCK)
    is_quote = np.empty(SCAN_BLOCK, dtype=bool)
    with path.open("rb") as handle:
        handle.seek(start)
        offset = start
        while offset < size:
            length = handle.readinto(buffer)
            if not length:
                break
            data = np.frombuffer(buffer, dtype=np.uint8, count=length)
            if pending_close and not fence[data[0]]:
                return None
            quotes = np.flatnonzero(np.equal(data, QUOTE, out=is_quote[:length]))
            if not _regular(data, quotes, quotes_before, last_byte, fence):
                return None
            pending_close = bool(len(quotes)) and quotes[-1] == length - 1 and (quotes_before + len(quotes)) % 2 == 0
            while target < offset + length:
                line_end = buffer.find(b"\n", max(target - offset, 0), length)
                if line_end < 0:
                    break
                before = int(np.searchsorted(quotes, line_end))
                if (quotes_before + before) % 2:  # inside a quoted value: look again after its closing quote
                    if before >= len(quotes):
                        target = offset + length
                        break
                    target = offset + int(quotes[before]) + 1
                    continue
                bounds.append(offset + line_end + 1)
                target = bounds[-1] + blocksize
            quotes_before += len(quotes)
            last_byte = int(data[-1])
            offset += length
    if bounds[-1] < size:
        bounds.append(size)
    return bounds


def _regular(data: np.ndarray, quotes: np.ndarray, quotes_before: int, last_byte: int, fence: np.ndarray) -> bool:
    """Does every quote of the block open or close a quoted value, or double a quote inside one?"""
    if not len(quotes):
        return True
    first_odd = quotes_before % 2  # the block's first quote is at an odd position
    # a quote at an even position opens a value (after a delimiter or a line break) or is the
    # second of a doubled quote: the byte before it is a fence
    openers = quotes[first_odd::2]
    if len(openers) and openers[0] == 0:
        if not fence[last_byte]:
            return False
        openers = openers[1:]
    if not fence[data[openers - 1]].all():
        return False
    # a quote at an odd position closes the value (a delimiter or line break after it) or is
    # the first of a doubled quote; the last byte of a block is checked with the next block
    closers = quotes[1 - first_odd::2]
    if len(closers) and closers[-1] == len(data) - 1:
        closers = closers[:-1]
    return bool(fence[data[closers + 1]].all())
