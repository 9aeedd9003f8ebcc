"""Errors of the working-day calendar. Both are ValueErrors so callers that
already catch bad input (the CLI, the reader) need no new except clause."""

from __future__ import annotations

from ..errors import BilingualError


class CalendarRangeError(BilingualError):
    """A day outside 2004-01-01 .. 2035-12-31, or a due day that would fall after it."""


class CalendarFileError(BilingualError):
    """A regional calendar, override or profile file that cannot be used; names file and field. Chinese text
    (``zh``) where the file cannot be read at all; a field's mistake, the drafter's, stays English as a
    profile's does (docs/design.md)."""
