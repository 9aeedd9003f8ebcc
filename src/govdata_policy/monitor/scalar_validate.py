"""One event, checked exactly like one row of a log, in pure Python.

The batch validator (``govdata_policy.io.validate``) works on whole columns
with Arrow kernels; calling it for a single event costs milliseconds. This
module gives the same verdict and the same rejection reasons for one event in
a few microseconds, reusing the batch's pieces rather than copying them: the
vocabulary tables, the yes/no words, the time pattern of ``io.times``, the
scalar time reader ``parse_time`` (for rare time forms) and the batch's own
message helpers (``_show``, ``_suggest``). Reasons are joined in the batch's
order: case_id, event, time, then the event's fields in the order given.

An accepted event comes back as ``(case_id, event, time_ns, day, attrs)``,
``attrs`` holding only present values, typed as the EventFrame types them
(bool, int, UTC ns for time attributes, stripped str otherwise). A rejected
one comes back as its reason (a str).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from ..io.mapping import BOOL_WORDS_FALSE, BOOL_WORDS_TRUE
from ..io.read import _scalar_text
from ..io.times import _PATTERN, MAX_YEAR, MIN_YEAR, parse_time
from ..io.validate import _BOOL_HELP, _INTEGER, _show, _suggest
from ..timeutil import NS_PER_DAY, OFFSET_NS
from ..vocabulary import (
    BOOL_ATTRIBUTES,
    CATEGORY_BY_PREFIX,
    ENUM_ATTRIBUTES,
    EVENTS,
    INT_ATTRIBUTES,
    REQUIRED_COLUMNS,
    TIME_ATTRIBUTES,
    allowed_values,
)

TEXT, BOOL, INT, TIME, ENUM, CATEGORY = range(6)
# the EventFrame keeps these names for itself; an input field of that name becomes "<name>_input"
RESERVED = ("row", "time_ns", "day")
NS_PER_SECOND = 10**9
LOCAL_OFFSET_MINUTES = 480
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# RE2 (the batch) reads \d and \s as ASCII; so must Python's re
_TIME_RX = re.compile(_PATTERN, re.ASCII)
_INT_RX = re.compile(_INTEGER, re.ASCII)
_SUGGESTIONS_KEPT = 1024
# the valid clock fields, as written: "HH:MM" -> seconds into the day, "SS" -> seconds
_MINUTES = {f"{h:02d}:{m:02d}": (h * 60 + m) * 60 for h in range(24) for m in range(60)}
_SECONDS = {f"{s:02d}": s for s in range(60)}


def _kind_of(name: str) -> int:
    if name in TIME_ATTRIBUTES:
        return TIME
    if name in BOOL_ATTRIBUTES:
        return BOOL
    if name in INT_ATTRIBUTES:
        return INT
    if name == "category":
        return CATEGORY
    if name in ENUM_ATTRIBUTES:
        return ENUM
    return TEXT


def _missing(value: Any) -> bool:
    """None, NaN, NaT, pd.NA: what pandas reads as a missing cell."""
    if value is None:
        return True
    if isinstance(value, str | bool | int):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are values, not NA
        return False


def _text(value: Any) -> str | None:
    """The batch's text of a cell: stripped, blank = missing (io.read.text_array)."""
    if _missing(value):
        return None
    text = (value if isinstance(value, str) else _scalar_text(value)).strip()
    return text or None


class EventParser:
    """Checks and types one event dict the way ``io.validate`` checks one row."""

    def __init__(self) -> None:
        self._kinds: dict[str, int] = {}
        self._category_union = frozenset(allowed_values("category") or ())
        # canonical enum values: exact or lower-cased spelling -> vocabulary word
        self._enum_allowed = {name: frozenset(values) for name, values in ENUM_ATTRIBUTES.items()}
        self._date_days: dict[tuple[int, int, int], int] = {}
        self._suggestions: dict[str, str] = {}
        self._category_for: dict[str, tuple[str, tuple[str, ...]] | None] = {}
        # fast path: the kinds of each set of field names seen, the canonical word of each enum spelling,
        # yes/no words, the allowed categories of each event, the day of each "YYYY-MM-DD"
        self._plans: dict[tuple[Any, ...], tuple[tuple[str, int], ...]] = {}
        self._words: dict[str, dict[str, str]] = {}
        for name, values in ENUM_ATTRIBUTES.items():
            self._words[name] = {v: v for v in values}
        self._words["category"] = {v: v for v in self._category_union}
        self._yes_no = {**dict.fromkeys(BOOL_WORDS_TRUE, True), **dict.fromkeys(BOOL_WORDS_FALSE, False)}
        self._event_categories: dict[str, frozenset[str] | None] = {
            name: next((frozenset(a) for p, a in CATEGORY_BY_PREFIX.items() if name.startswith(p)), None)
            for name in EVENTS
        }
        self._iso_days: dict[str, int] = {}

    # -- times ----------------------------------------------------------------
    def _day_of(self, y: int, mo: int, d: int) -> int | None:
        key = (y, mo, d)
        day = self._date_days.get(key)
        if day is None:
            if not (MIN_YEAR <= y <= MAX_YEAR):
                return None
            try:
                day = dt.date(y, mo, d).toordinal() - _EPOCH_ORDINAL
            except ValueError:
                return None
            if len(self._date_days) < 200_000:
                self._date_days[key] = day
        return day

    def fast_time(self, text: str) -> int | None:
        """UTC ns of "YYYY-MM-DD HH:MM[:SS]" (or T, or +08:00), local time; None for any other form.

        Three table lookups: the date (checked once, then kept), "HH:MM" and "SS"
        (tables of the valid ones), so no int() and no per-character checks.
        """
        n = len(text)
        if n == 19:
            second = _SECONDS.get(text[17:]) if text[16] == ":" else None
        elif n == 16:
            second = 0
        elif n == 25 and text[16] == ":" and text.endswith("+08:00"):
            second = _SECONDS.get(text[17:19])
        else:
            return None
        minute = _MINUTES.get(text[11:16])
        day = self._iso_days.get(text[:10])
        if day is None:
            day = self._iso_day(text[:10])
        if second is None or minute is None or day is None or text[10] not in " T":
            return None
        return (day * 86_400 + minute + second - LOCAL_OFFSET_MINUTES * 60) * NS_PER_SECOND

    def _iso_day(self, date: str) -> int | None:
        """Day number of a "YYYY-MM-DD" text, checked (ASCII digits, a real date, the years the batch reads)."""
        if date[4] != "-" or date[7] != "-" or not date.isascii() or not (date[:4] + date[5:7] + date[8:]).isdigit():
            return None
        day = self._day_of(int(date[:4]), int(date[5:7]), int(date[8:]))
        if day is not None and len(self._iso_days) < 200_000:
            self._iso_days[date] = day
        return day

    def text_time(self, text: str) -> int | None:
        """UTC ns of a stripped, non-empty time text; None if it cannot be read."""
        m = _TIME_RX.fullmatch(text)
        if m is None:
            return _batch_time(text)
        y, mo, d, mo8, d8, h, mi, s, f, tz = m.group("y", "mo", "d", "mo8", "d8", "h", "mi", "s", "f", "tz")
        day = self._day_of(int(y), int(mo or mo8), int(d or d8))
        hh, mm, ss = int(h or 0), int(mi or 0), int(s or 0)
        if day is None or hh >= 24 or mm >= 60 or ss >= 60:
            # what the pattern refuses, Arrow's ISO pass may still take: ask the batch reader
            return _batch_time(text)
        local = day * NS_PER_DAY + ((hh * 60 + mm) * 60 + ss) * NS_PER_SECOND
        if f:
            local += int(f.ljust(9, "0"))
        if not tz:
            return local - LOCAL_OFFSET_MINUTES * 60 * NS_PER_SECOND
        return local - _offset_minutes(tz) * 60 * NS_PER_SECOND

    def time_value(self, value: Any) -> tuple[int | None, bool]:
        """(ns, bad) of one cell, as ``io.times.parse_times`` reads it."""
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None, False
            ns = self.text_time(text)
            return ns, ns is None
        if _missing(value):
            return None, False
        try:
            ns = parse_time(value)
        except ValueError:
            return None, True
        return ns, ns is None

    # -- one event ------------------------------------------------------------
    def parse(self, event: Mapping[str, Any]) -> tuple[str, str, int, int, dict[str, Any]] | str:
        """The common clean event in straight-line code; anything unusual takes the full path."""
        case_id = event.get("case_id")
        name = event.get("event")
        raw_time = event.get("time")
        if case_id.__class__ is not str or name.__class__ is not str or raw_time.__class__ is not str:
            return self.parse_full(event)
        case_id = case_id.strip()
        t = self.fast_time(raw_time)
        if t is None:
            text = raw_time.strip()
            t = self.text_time(text) if text else None
        if not case_id or t is None or name not in EVENTS:
            return self.parse_full(event)
        # the fields' kinds, worked out once per distinct set of field names (a source sends the same)
        plan = self._plans.get(tuple(event))
        if plan is None:
            plan = self._plan(event)
            if plan is None:
                return self.parse_full(event)
        attrs: dict[str, Any] = {}
        for key, kind in plan:
            value = event[key]
            if kind == TEXT:  # the most common field first, in the fewest steps
                if value.__class__ is str:
                    value = value.strip()
                    if value:
                        attrs[key] = value
                elif value is not None:
                    return self.parse_full(event)
                continue
            if value.__class__ is str:
                text = value.strip()
                if not text:
                    continue
                if kind == ENUM or kind == CATEGORY:
                    words = self._words[key]
                    word = words.get(text) or words.get(text.lower())
                    if kind == CATEGORY:
                        allowed = self._event_categories[name]
                        if allowed is None:
                            word = word or text
                        elif word not in allowed:
                            return self.parse_full(event)
                    if word is None:
                        return self.parse_full(event)
                    attrs[key] = word
                elif kind == BOOL:
                    truth = self._yes_no.get(text.lower())
                    if truth is None:
                        return self.parse_full(event)
                    attrs[key] = truth
                elif kind == TIME:
                    ns = self.fast_time(text)
                    if ns is None:
                        ns = self.text_time(text)
                        if ns is None:
                            return self.parse_full(event)
                    attrs[key] = ns
                elif kind == INT and _INT_RX.fullmatch(text):
                    attrs[key] = int(text)
                else:
                    return self.parse_full(event)
            elif value is None:
                continue
            elif value.__class__ is bool and kind == BOOL:
                attrs[key] = value
            elif value.__class__ is int and kind == INT:
                attrs[key] = value
            else:
                return self.parse_full(event)
        return case_id, name, t, (t + OFFSET_NS) // NS_PER_DAY, attrs

    def _plan(self, event: Mapping[str, Any]) -> tuple[tuple[str, int], ...] | None:
        """(field, kind) of the event's optional fields; None if a name needs the full path."""
        plan = []
        for key in event:
            if key.__class__ is not str or key != key.strip() or key in RESERVED:
                return None
            if key not in REQUIRED_COLUMNS:
                plan.append((key, _kind_of(key)))
        if len(self._plans) < 1024:
            self._plans[tuple(event)] = tuple(plan)
        return tuple(plan)

    def parse_full(self, event: Mapping[str, Any]) -> tuple[str, str, int, int, dict[str, Any]] | str:
        """Every check of io.validate for one row, with its reasons in its order."""
        problems: list[str] = []
        case_id = _text(event.get("case_id"))
        if case_id is None:
            problems.append("case_id: missing")
        name = _text(event.get("event"))
        if name is None:
            problems.append("event: missing")
        elif name not in EVENTS:
            lower = name.lower()
            if lower in EVENTS:
                name = lower
            else:
                problems.append(f"event: unknown event {_show(name)}" + self._suggest(name))
        raw_time = event.get("time")
        time_ns, bad = self.time_value(raw_time)
        if bad:
            problems.append(f"time: cannot read {_show(_text(raw_time))} as a time")
        elif time_ns is None:
            problems.append("time: missing")

        attrs: dict[str, Any] = {}
        kinds = self._kinds
        for key, value in event.items():
            if key.__class__ is not str or key != key.strip():
                key = str(key).strip()
            if key in REQUIRED_COLUMNS:
                continue
            kind = kinds.get(key)
            if kind is None:
                kind = kinds[key] = _kind_of(key)
            out = f"{key}_input" if key in RESERVED else key
            if kind == TEXT:
                if value.__class__ is str:
                    text = value.strip()
                    if text:
                        attrs[out] = text
                else:
                    text = _text(value)
                    if text is not None:
                        attrs[out] = text
            elif kind == TIME:
                ns, bad = self.time_value(value)
                if bad:
                    problems.append(f"{key}: cannot read {_show(_text(value))} as a time")
                elif ns is not None:
                    attrs[out] = ns
            else:
                text = _text(value)
                if text is None:
                    continue
                if kind == BOOL:
                    lower = text.lower()
                    if lower in BOOL_WORDS_TRUE:
                        attrs[out] = True
                    elif lower in BOOL_WORDS_FALSE:
                        attrs[out] = False
                    else:
                        problems.append(f"{key}: {_show(text)} is not a yes/no value ({_BOOL_HELP})")
                elif kind == INT:
                    if _INT_RX.fullmatch(text):
                        attrs[out] = int(text)
                    else:
                        problems.append(f"{key}: {_show(text)} is not an integer")
                elif kind == CATEGORY:
                    word = self._canonical(text, self._category_union)
                    rule = self._category_rule(name)
                    if rule is not None and word not in rule[1]:
                        prefix, allowed = rule
                        problems.append(f"category: {_show(word)} is not allowed on {prefix}* events "
                                        f"(allowed: {', '.join(allowed)})")
                    attrs[out] = word
                else:  # ENUM
                    allowed = self._enum_allowed[key]
                    word = self._canonical(text, allowed)
                    if word in allowed:
                        attrs[out] = word
                    else:
                        problems.append(f"{key}: {_show(word)} is not allowed "
                                        f"(allowed: {', '.join(ENUM_ATTRIBUTES[key])})")
        if problems:
            return "; ".join(problems)
        assert case_id is not None and name is not None and time_ns is not None
        return case_id, name, time_ns, (time_ns + OFFSET_NS) // NS_PER_DAY, attrs

    @staticmethod
    def _canonical(text: str, allowed: frozenset[str]) -> str:
        if text in allowed:
            return text
        lower = text.lower()
        return lower if lower in allowed else text

    def _category_rule(self, name: str | None) -> tuple[str, tuple[str, ...]] | None:
        """The prefix and allowed categories of an event (share.* / open.*), or None if free text."""
        if name is None:
            return None
        if name not in self._category_for:
            found = next(((p, a) for p, a in CATEGORY_BY_PREFIX.items() if name.startswith(p)), None)
            if len(self._category_for) < 4096:
                self._category_for[name] = found
            return found
        return self._category_for[name]

    def _suggest(self, word: str) -> str:
        # difflib is slow; a stream repeats its unknown words
        found = self._suggestions.get(word)
        if found is None:
            found = _suggest(word)
            if len(self._suggestions) < _SUGGESTIONS_KEPT:
                self._suggestions[word] = found
        return found


def _batch_time(text: str) -> int | None:
    """The batch reader itself, for the rare forms the fast pattern does not settle
    (Arrow's ISO variants, yyyymmdd numbers, Excel serials): about a millisecond."""
    try:
        return parse_time(text)
    except ValueError:
        return None


def _offset_minutes(tz: str) -> int:
    """'Z', '+08:00', '+0800', '+08' to minutes east of UTC (as io.times reads them)."""
    text = tz.upper().replace(":", "")
    if text == "Z":
        return 0
    text = text.ljust(5, "0")
    sign = -1 if text.startswith("-") else 1
    return sign * (int(text[1:3]) * 60 + int(text[3:5]))
