"""Building blocks of the rule handlers: day arithmetic, conditions, identifier formats.

Day arithmetic indexes the calendar's precomputed arrays, turned into plain
Python lists once per profile, so a due day costs two list lookups and no
numpy call. Conditions are compiled to (attribute, op, wanted) tuples typed as
``engine.frame.condition_mask`` types them. The identifier check is the
batch's (``engine.formats``) written for one value, on the same constants.
"""

from __future__ import annotations

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
    cheapest function that decides it: most rules test one value on the event.
    """

    __slots__ = ("event", "when", "case_when", "test")

    def __init__(self, match: Any) -> None:
        self.event = match.event
        self.when = compile_conditions(match.when)
        self.case_when = compile_conditions(match.case_when)
        self.test = _tester(self.when, self.case_when)

    def ok(self, attrs: dict[str, Any], known: dict[str, Any]) -> bool:
        return self.test is None or self.test(attrs, known)


Conditions = tuple[tuple[str, int, Any], ...]


def _tester(when: Conditions, case_when: Conditions) -> Any:
    if not when and not case_when:
        return None
    if len(when) + len(case_when) == 1:
        attribute, op, wanted = (when or case_when)[0]
        values = "attrs" if when else "known"
        if op == EQ_IN:  # None is never wanted: an absent value fails
            if values == "attrs":
                return lambda attrs, known: attrs.get(attribute) in wanted
            return lambda attrs, known: known.get(attribute) in wanted
        if op == PRESENT and values == "attrs":
            return lambda attrs, known: attrs.get(attribute) is not None
    return lambda attrs, known: (not when or holds(when, attrs)) and (not case_when or holds(case_when, known))


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
_ID_CHECK = ID_CHECK.tobytes().decode("ascii")
_USCC_CODE = {ch: i for i, ch in enumerate(USCC_CHARSET.decode("ascii"))}
_USCC_WEIGHTS = USCC_WEIGHTS.tolist()


def valid_id_or_uscc(value: Any) -> bool:
    """GB 11643 resident id or GB 32100 unified social credit code, as engine.formats checks them."""
    text = str(value).strip().upper()
    if len(text) != 18 or not text.isascii():
        return False
    total = 0
    for ch, weight in zip(text[:17], _ID_WEIGHTS, strict=True):
        if not "0" <= ch <= "9":
            break
        total += (ord(ch) - 48) * weight
    else:
        if text[17] == _ID_CHECK[total % 11]:
            return True
    total = 0
    codes = _USCC_CODE
    for ch, weight in zip(text[:17], _USCC_WEIGHTS, strict=True):
        code = codes.get(ch)
        if code is None:
            return False
        total += code * weight
    last = codes.get(text[17])
    return last is not None and last == (31 - total % 31) % 31


FORMATS = {"cn_id_or_uscc": valid_id_or_uscc}


class Unsupported(ValueError):
    """A rule the monitor cannot follow (the batch cannot either); left out with a note."""
