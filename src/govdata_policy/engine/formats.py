"""Identifier formats a rule can require (Xinjiang 13: 公民身份号码, 统一社会信用代码).

Checked vectorised: the strings become an (n, 18) byte matrix and the check
digit is a weighted sum looked up per column.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

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


def _matrix(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 18) uint8 matrix of upper-cased ASCII strings, and which rows are 18 ASCII characters."""
    text = [str(v).strip().upper() for v in values]
    ok = np.array([len(t) == 18 and t.isascii() for t in text], dtype=bool)
    padded = np.array([t if good else "0" * 18 for t, good in zip(text, ok, strict=True)], dtype="S18")
    return np.frombuffer(padded.tobytes(), dtype=np.uint8).reshape(len(text), 18) if len(text) else np.zeros(
        (0, 18), dtype=np.uint8), ok


def valid_resident_id(values: np.ndarray) -> np.ndarray:
    chars, ok = _matrix(values)
    digits = _DIGIT[chars[:, :17]]
    ok &= (digits >= 0).all(axis=1)
    expected = ID_CHECK[(np.where(digits >= 0, digits, 0) @ ID_WEIGHTS) % 11]
    return ok & (chars[:, 17] == expected)


def valid_uscc(values: np.ndarray) -> np.ndarray:
    chars, ok = _matrix(values)
    codes = _USCC[chars]
    ok &= (codes >= 0).all(axis=1)
    check = (31 - (np.where(codes[:, :17] >= 0, codes[:, :17], 0) @ USCC_WEIGHTS) % 31) % 31
    return ok & (codes[:, 17] == check)


def valid_id_or_uscc(values: np.ndarray) -> np.ndarray:
    return valid_resident_id(values) | valid_uscc(values)


FORMAT_CHECKS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"cn_id_or_uscc": valid_id_or_uscc}
