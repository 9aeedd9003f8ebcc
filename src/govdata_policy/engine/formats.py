"""Identifier formats a rule can require (Xinjiang 13: 公民身份号码, 统一社会信用代码).

Checked vectorised: the strings become an (n, 18) byte matrix and the check
digit is a weighted sum looked up per column.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# GB 11643-1999: weights 2^(17-i) mod 11; check character from sum mod 11
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
# GB 32100-2015: 31 characters (no I, O, Z, S, V); check = 31 - (weighted sum mod 31), 31 -> 0
USCC_CHARSET = b"0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)

_DIGIT = np.full(256, -1, dtype=np.int64)
_DIGIT[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10)
_USCC = np.full(256, -1, dtype=np.int64)
_USCC[np.frombuffer(USCC_CHARSET, dtype=np.uint8)] = np.arange(31)
# the ASCII characters str.strip() removes
_STRIPPED = np.zeros(256, dtype=bool)
_STRIPPED[[ord(c) for c in map(chr, range(128)) if c.isspace()]] = True


def _upper_ascii(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_matrix`` one string at a time: str.strip, str.upper."""
    text = [str(v).strip().upper() for v in values]
    ok = np.array([len(t) == 18 and t.isascii() for t in text], dtype=bool)
    padded = np.array([t if good else "0" * 18 for t, good in zip(text, ok, strict=True)], dtype="S18")
    return np.frombuffer(padded.tobytes(), dtype=np.uint8).reshape(len(text), 18) if len(text) else np.zeros(
        (0, 18), dtype=np.uint8), ok


def _matrix(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 18) uint8 matrix of upper-cased ASCII strings, and which rows are 18 ASCII characters.

    Issue 5: a string of 18 ASCII characters, no space at either end (nearly every
    identifier), is read from Arrow's buffer and upper-cased as bytes, where strip and
    upper leave the same; only the others go through ``_upper_ascii``, a string at a time.
    """
    if not isinstance(values, pd.Series):
        values = pd.Series([str(v) for v in values], dtype="string")
    chars = np.full((len(values), 18), ord("0"), dtype=np.uint8)
    ok = np.zeros(len(values), dtype=bool)
    text = pa.array(values, type=pa.large_string())
    fast = np.flatnonzero(pc.and_(pc.equal(pc.binary_length(text), 18), pc.string_is_ascii(text)).to_numpy(
        zero_copy_only=False))
    if len(fast):
        block = pc.take(text, fast)
        start = int(np.frombuffer(block.buffers()[1], dtype=np.int64)[block.offset])
        data = np.frombuffer(block.buffers()[2], dtype=np.uint8)[start:start + 18 * len(fast)].reshape(-1, 18)
        clean = ~_STRIPPED[data[:, 0]] & ~_STRIPPED[data[:, -1]]
        lower = (data[clean] >= ord("a")) & (data[clean] <= ord("z"))
        chars[fast[clean]] = np.where(lower, data[clean] - 32, data[clean])
        ok[fast[clean]] = True
    rest = np.flatnonzero(~ok)
    chars[rest], ok[rest] = _upper_ascii(values.iloc[rest].to_numpy(dtype=object))
    return chars, ok


def _resident_id(chars: np.ndarray, ok: np.ndarray) -> np.ndarray:
    digits = _DIGIT[chars[:, :17]]
    ok = ok & (digits >= 0).all(axis=1)
    expected = ID_CHECK[(np.where(digits >= 0, digits, 0) @ ID_WEIGHTS) % 11]
    return ok & (chars[:, 17] == expected)


def _uscc(chars: np.ndarray, ok: np.ndarray) -> np.ndarray:
    codes = _USCC[chars]
    ok = ok & (codes >= 0).all(axis=1)
    check = (31 - (np.where(codes[:, :17] >= 0, codes[:, :17], 0) @ USCC_WEIGHTS) % 31) % 31
    return ok & (codes[:, 17] == check)


def valid_id_or_uscc(values: pd.Series | np.ndarray) -> np.ndarray:
    # issue 5: the strings become a matrix once for both checks (it is most of their cost)
    chars, ok = _matrix(values)
    return _resident_id(chars, ok) | _uscc(chars, ok)


# each takes text: pandas' string type without NA (the engine), or any values, read as str(value)
FORMAT_CHECKS: dict[str, Callable[[pd.Series | np.ndarray], np.ndarray]] = {"cn_id_or_uscc": valid_id_or_uscc}
