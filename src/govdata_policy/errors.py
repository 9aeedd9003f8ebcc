"""Errors said in English and, where a Chinese-reading officer meets them, in Chinese too.

An error's message (``str(exc)``) is English, as the Python API has always raised it and as
scripts and tests match it. The command line's verbs that take ``--lang zh`` (``check`` and
``explain``) print ``zh`` instead when an error carries one: the officer who runs a
check on the platform's export reads Chinese, and "file not found" or "missing required
column" is what they meet first. An error without a Chinese text stays English rather than
being half translated; ``tests/e2e/test_errors_zh.py`` runs every error a check can stop on.
"""

from __future__ import annotations

from typing import Any


class Bilingual(Exception):
    """An error with an optional Chinese text (``zh``) beside its English message."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def __reduce__(self) -> tuple[Any, ...]:
        # across processes (check --workers, Dask) the Chinese text travels with the message
        return type(self), (str(self), self.zh)


class BilingualError(Bilingual, ValueError):
    """Bad input or usage: a ValueError, as callers catching bad input expect."""


def zh_of(exc: BaseException) -> str | None:
    """The Chinese text of an error, None when it has none."""
    zh = getattr(exc, "zh", None)
    return zh if isinstance(zh, str) and zh else None


def zh_list(items: Any) -> str:
    """``a, b`` as Chinese lists them: ``a、b``."""
    return "、".join(str(item) for item in items)
