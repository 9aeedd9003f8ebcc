"""Building blocks of the rule handlers: day arithmetic, conditions, identifier formats.

Day arithmetic indexes the calendar's precomputed arrays, turned into plain
Python lists once per profile, so a due day costs two list lookups and no
numpy call. Conditions are compiled to (attribute, op, wanted) tuples typed as
``engine.frame.condition_mask`` types them. The identifier check is the
batch's (``engine.formats``) written for one value, on the same constants.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import mul
from typing import Any

from ..calendar.bounds import FIRST_DAY, LAST_DAY
from ..engine.formats import ID_CHECK, ID_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS
from ..timeutil import NS_PER_DAY, OFFSET_NS
from .scalar_validate import BOOL, INT, TIME, _kind_of

EQ_IN, NOT_IN, PRESENT, ABSENT = range(4)
END_OF_DAY_NS = NS_PER_DAY - 10**9


# -- calendar, as plain lists ---------------------------------------------------------
class DayMath:
    """The calendar's precomputed arrays as Python lists: O(1) scalar day arithmetic."""

    def __init__(self, calendar: Any) -> None:
        self.cum: list[int] = calendar.cum.tolist()
        self.workdays: list[int] = calendar.workdays.tolist()
        self.work: list[bool] = calendar.work_mask.tolist()

    def wd_add(self, day: int, n: int) -> int:
        """The n-th working day after the day (the day itself not counted); n=0 gives the day."""
        if n == 0:
            return day
        return self.workdays[self.cum[day - FIRST_DAY] + n - 1]

    def cd_add(self, day: int, n: int) -> int:
        """day + n, moved to the next working day when that is a day off (C3)."""
        target = day + n
        i = target - FIRST_DAY
        return target if self.work[i] else self.workdays[self.cum[i]]

    def wd_between(self, a: int, b: int) -> int:
        return self.cum[b - FIRST_DAY] - self.cum[a - FIRST_DAY]

    def wd_sub_latest(self, day: int, n: int) -> int | None:
        """Latest day whose n-th working day after it is still before ``day``; None if off the calendar."""
        i = day - FIRST_DAY
        pos = self.cum[i] - self.work[i] - n
        latest = day - 1 if n == 0 else self.workdays[max(pos, 0)] - 1
        return None if pos < 0 or latest < FIRST_DAY else latest


def in_calendar(day: int) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def end_of_day(day: int) -> int:
    return day * NS_PER_DAY - OFFSET_NS + END_OF_DAY_NS


# -- conditions -----------------------------------------------------------------------
def compile_conditions(conditions: dict[str, Any]) -> tuple[tuple[str, int, frozenset[Any] | None], ...]:
    """Declarative conditions as (attribute, op, wanted), typed as engine.frame.condition_mask types them."""
    out = []
    for attribute, condition in conditions.items():
        if condition.present is not None:
            out.append((attribute, PRESENT if condition.present else ABSENT, None))
            continue
        if condition.absent is not None:
            out.append((attribute, ABSENT if condition.absent else PRESENT, None))
            continue
        kind = _kind_of(attribute)
        values = condition.values()
        if kind == BOOL:
            wanted = frozenset(v for v in values if isinstance(v, bool))
        elif kind in (INT, TIME):
            wanted = frozenset(v for v in values if isinstance(v, int) and not isinstance(v, bool))
        else:
            wanted = frozenset(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
        out.append((attribute, NOT_IN if condition.not_in is not None else EQ_IN, wanted))
    return tuple(out)


def holds(conditions: tuple[tuple[str, int, Any], ...], values: dict[str, Any]) -> bool:
    for attribute, op, wanted in conditions:
        value = values.get(attribute)
        if op == EQ_IN:
            if value is None or value not in wanted:
                return False
        elif op == NOT_IN:
            if value is not None and value in wanted:
                return False
        elif op == PRESENT:
            if value is None:
                return False
        elif value is not None:
            return False
    return True


class Match:
    """A compiled EventMatch: event name, own conditions, case conditions.

    ``test(attrs, known)`` is None when there is nothing to test, else the
    cheapest function that decides it. ``tester(skip)`` is the same without
    one of the event's own conditions (one the event index has already
    checked, compiled.py).
    """

    __slots__ = ("event", "when", "case_when", "test")

    def __init__(self, match: Any) -> None:
        self.event = match.event
        self.when = compile_conditions(match.when)
        self.case_when = compile_conditions(match.case_when)
        self.test = self.tester()

    def tester(self, skip: Condition | None = None) -> Test | None:
        tests = [_one(condition, on_event=True) for condition in self.when if condition != skip]
        tests += [_one(condition, on_event=False) for condition in self.case_when]
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda attrs, known: first(attrs, known) and second(attrs, known)
        every = tuple(tests)

        def all_hold(attrs: dict[str, Any], known: dict[str, Any]) -> bool:
            for test in every:
                if not test(attrs, known):
                    return False
            return True

        return all_hold


Condition = tuple[str, int, Any]
Conditions = tuple[Condition, ...]
Test = Callable[[dict[str, Any], dict[str, Any]], bool]


def _one(condition: Condition, on_event: bool) -> Test:
    """One condition as a function of (attrs, known), on the event's values or the case's (as ``holds``)."""
    attribute, op, wanted = condition
    # None is never wanted: an absent value fails an EQ_IN test and passes a NOT_IN one
    if on_event:
        if op == EQ_IN:
            return lambda attrs, known: attrs.get(attribute) in wanted
        if op == NOT_IN:
            return lambda attrs, known: attrs.get(attribute) not in wanted
        if op == PRESENT:
            return lambda attrs, known: attribute in attrs  # attrs holds present values only
        return lambda attrs, known: attribute not in attrs
    if op == EQ_IN:
        return lambda attrs, known: known.get(attribute) in wanted
    if op == NOT_IN:
        return lambda attrs, known: known.get(attribute) not in wanted
    if op == PRESENT:
        return lambda attrs, known: known.get(attribute) is not None
    return lambda attrs, known: known.get(attribute) is None


def _numeric(value: Any) -> float | int | None:
    """pd.to_numeric(errors='coerce') of one value."""
    if value is None or isinstance(value, int):
        return value
    try:
        text = str(value)
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:
        return None



# -- identifier formats (Xinjiang 13) -------------------------------------------------------
_ID_WEIGHTS = ID_WEIGHTS.tolist()
_ID_OFFSET = 48 * sum(_ID_WEIGHTS)  # the digits' bytes are their values + 48
_ID_CHECK = ID_CHECK.tobytes().decode("ascii")
_USCC_WEIGHTS = USCC_WEIGHTS.tolist()
_NOT_USCC = 255
# byte -> its code in the USCC character set, 255 for a byte not in it
_USCC_CODES = bytes(
    USCC_CHARSET.index(bytes([b])) if bytes([b]) in USCC_CHARSET else _NOT_USCC for b in range(256))


def valid_id_or_uscc(value: Any) -> bool:
    """GB 11643 resident id or GB 32100 unified social credit code, as engine.formats checks them.

    The weighted sums are taken over the text's bytes (ASCII, checked), by ``map`` in C.
    """
    text = str(value).strip().upper()
    if len(text) != 18 or not text.isascii():
        return False
    raw = text.encode("ascii")
    body = raw[:17]
    if body.isdigit() and text[17] == _ID_CHECK[(sum(map(mul, body, _ID_WEIGHTS)) - _ID_OFFSET) % 11]:
        return True
    codes = body.translate(_USCC_CODES)
    last = _USCC_CODES[raw[17]]
    if _NOT_USCC in codes or last == _NOT_USCC:
        return False
    return last == (31 - sum(map(mul, codes, _USCC_WEIGHTS)) % 31) % 31


FORMATS = {"cn_id_or_uscc": valid_id_or_uscc}


class Unsupported(ValueError):
    """A rule the monitor cannot follow (the batch cannot either); left out with a note."""
