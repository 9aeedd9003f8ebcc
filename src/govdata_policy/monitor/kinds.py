"""The seven rule kinds, event at a time, with the batch engine's semantics.

Each rule becomes a handler; ``compile_profile`` indexes them by event name
(event -> the handlers it touches, with the roles it plays in each), so a push
does only the work its event needs. The batch semantics reproduced here are
those of ``engine/deadlines.py`` and ``engine/acts.py``:

* deadline: every trigger opens an obligation, fulfilled by the first fulfil
  event at or after it; an extension approved at or after the trigger and on
  or before the original due day adds its days (capped); C4 / a missing due
  attribute: ``missing`` while open;
* waiting: premature on or before the last day of the period from the latest
  trigger at or before the act, or with no trigger when ``require_trigger``;
* precondition: needs a ``requires`` event at or before the act, and at or
  after the latest ``since`` event;
* lead_time, required, prohibited, retention: the act alone.

An event that plays several roles in one rule is applied as the batch's
at-or-after / at-or-before joins see it: it opens (or marks) first, then
extends, then fulfils (or is judged as the act).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..calendar.bounds import FIRST_DAY, LAST_DAY, SPAN, describe_day
from ..engine.formats import FORMAT_CHECKS
from ..timeutil import NS_PER_DAY, OFFSET_NS
from .findings import RuleInfo
from .scalar_validate import BOOL, INT, TIME, _kind_of
from .state import Obligation

if TYPE_CHECKING:
    from .core import Monitor
    from .state import Case

EQ_IN, NOT_IN, PRESENT, ABSENT = range(4)
END_OF_DAY_NS = NS_PER_DAY - 10**9
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


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
    """A compiled EventMatch: event name, own conditions, case conditions."""

    __slots__ = ("event", "when", "case_when")

    def __init__(self, match: Any) -> None:
        self.event = match.event
        self.when = compile_conditions(match.when)
        self.case_when = compile_conditions(match.case_when)

    def ok(self, attrs: dict[str, Any], known: dict[str, Any]) -> bool:
        return (not self.when or holds(self.when, attrs)) and (
            not self.case_when or holds(self.case_when, known))


def _numeric(value: Any) -> float | int | None:
    """pd.to_numeric(errors='coerce') of one value."""
    if value is None or isinstance(value, int):
        return value
    try:
        text = str(value)
        return int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:
        return None


# -- handlers -----------------------------------------------------------------------------
# Every role a rule gives an event has its own entry point with one signature,
#   on_<role>(mon, case, name, t, day, attrs, seq, out)
# so the index can hold bound methods and a push calls exactly the work it needs.


class Handler:
    roles: tuple[str, ...] = ()

    def __init__(self, info: RuleInfo) -> None:
        self.info = info
        self.index = info.index

    def matches(self) -> dict[str, Match]:
        raise NotImplementedError


class Deadline(Handler):
    roles = ("trigger", "extension", "fulfil")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.trigger = Match(rule.trigger)
        self.fulfil = Match(rule.fulfil)
        self.extension = Match(rule.extension.event) if rule.extension is not None else None
        self.ext_attribute = rule.extension.attribute if rule.extension is not None else ""
        self.ext_max = rule.extension.max_working_days if rule.extension is not None else 0
        self.due_attribute = rule.due_attribute
        period = rule.period
        self.unit = period.unit if period is not None and rule.due_attribute is None else "none"
        self.days = int(period.days or 0) if period is not None else 0

    def matches(self) -> dict[str, Match]:
        found = {"trigger": self.trigger, "fulfil": self.fulfil}
        if self.extension is not None:
            found["extension"] = self.extension
        return found

    def on_trigger(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                   out: list) -> None:
        match = self.trigger
        if (match.when and not holds(match.when, attrs)) or (
                match.case_when and not holds(match.case_when, case.known)):
            return
        unit = self.unit
        if unit == "working_days":
            due = mon.days.wd_add(day, self.days)
        elif unit == "calendar_days":
            due = mon.days.cd_add(day, self.days)
        elif self.due_attribute is not None:
            value = attrs.get(self.due_attribute)
            due = None if value is None else (value + OFFSET_NS) // NS_PER_DAY
        else:
            due = None  # C4: presence only
        reporter = mon.reporter
        info = self.info
        party = case.known.get(info.party_attr) if info.party_attr is not None else None
        if party is None:
            party = reporter.party(info, case.known, attrs)
        ob = Obligation(self.index, case, t, day, seq, name, due,
                        None if due is None else end_of_day(due), party, reporter.mitigated(attrs))
        open_here = case.obligations.get(self.index)
        if open_here is None:
            case.obligations[self.index] = [ob]
        else:
            open_here.append(ob)
        case.n_open += 1
        mon.n_obligations += 1
        if due is None:
            mon.unsettled.append(ob)
        else:
            mon.schedule(ob)

    def on_extension(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                     out: list) -> None:
        match = self.extension
        if self.unit == "none" or match is None or (match.when and not holds(match.when, attrs)) or (
                match.case_when and not holds(match.case_when, case.known)):
            return
        amount = _numeric(attrs.get(self.ext_attribute))
        amount = int(amount) if amount is not None else 0
        for ob in case.obligations.get(self.index, ()):
            if ob.trigger_ns <= t and ob.base_due is not None and day <= ob.base_due:
                ob.extra += amount
                if self.unit != "working_days":
                    continue  # the batch counts extensions on working-day periods only
                # the batch would raise on a negative total; a monitor keeps running on zero
                days = max(self.days + min(ob.extra, self.ext_max), 0)
                due = mon.days.wd_add(ob.trigger_day, days)
                if due != ob.due_day:
                    ob.due_day = due
                    ob.due_end = end_of_day(due)
                    if ob.state == Obligation.OPEN:
                        mon.stale += 1  # its older heap entry is now stale
                    mon.schedule(ob)

    def on_fulfil(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                  out: list) -> None:
        waiting = case.obligations.get(self.index)
        if not waiting:
            return
        match = self.fulfil
        if (match.when and not holds(match.when, attrs)) or (
                match.case_when and not holds(match.case_when, case.known)):
            return
        del case.obligations[self.index]
        info = self.info
        for ob in waiting:
            due = ob.due_day
            if due is not None:
                if ob.state == Obligation.OPEN:
                    mon.stale += 1  # its heap entry is now stale (an overdue one was popped already)
                if day > due:
                    mon.reporter.found(
                        out, info, "late", case, ob.trigger_event, ob.trigger_day, party=ob.party,
                        mitigated=ob.mitigated or mon.reporter.mitigated(attrs),
                        rows=sorted({ob.trigger_seq, seq}), due_day=due, occurred_ns=t,
                        wd_late=mon.days.wd_between(due, day),
                    )
            ob.state = Obligation.DONE
        case.n_open -= len(waiting)
        mon.n_obligations -= len(waiting)


class Waiting(Handler):
    roles = ("trigger", "act")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.trigger = Match(rule.trigger)
        self.act = Match(rule.act)
        self.unit = rule.period.unit
        self.days = int(rule.period.days or 0)
        self.require_trigger = rule.require_trigger
        self.key = (info.index, "trigger")
        if self.unit not in ("working_days", "calendar_days"):
            raise Unsupported(f"rule {rule.id}: a waiting period in {self.unit} has no day arithmetic "
                              "(the batch engine raises on it); the monitor leaves the rule out")

    def matches(self) -> dict[str, Match]:
        return {"trigger": self.trigger, "act": self.act}

    def on_trigger(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                   out: list) -> None:
        if self.trigger.ok(attrs, case.known):
            case.marks[self.key] = (t, day, seq, mon.reporter.mitigated(attrs))

    def on_act(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
               out: list) -> None:
        if not self.act.ok(attrs, case.known):
            return
        reporter = mon.reporter
        mark = case.marks.get(self.key)
        party = reporter.party(self.info, case.known, attrs)
        if mark is None:
            if self.require_trigger:
                reporter.found(out, self.info, "premature", case, name, day, party=party,
                               mitigated=reporter.mitigated(attrs), rows=[seq], occurred_ns=t)
            return
        start = mark[1]
        days = mon.days
        last = days.wd_add(start, self.days) if self.unit == "working_days" else days.cd_add(start, self.days)
        if day <= last:
            reporter.found(out, self.info, "premature", case, name, day, party=party,
                           mitigated=reporter.mitigated(attrs) or mark[3], rows=sorted({seq, mark[2]}),
                           due_day=last, occurred_ns=t)


class Precondition(Handler):
    roles = ("requires", "since", "act")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.requires = Match(rule.requires)
        self.since = Match(rule.since) if rule.since is not None else None
        self.act = Match(rule.act)
        self.finding = rule.finding
        self.requires_key = (info.index, "requires")
        self.since_key = (info.index, "since")
        # what the finding says is missing, worded as engine/acts.py words it
        self.detail = f"no earlier {rule.requires.event}" + (
            f" since the latest {rule.since.event}" if rule.since is not None else "")

    def matches(self) -> dict[str, Match]:
        found = {"requires": self.requires, "act": self.act}
        if self.since is not None:
            found["since"] = self.since
        return found

    def on_requires(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                    out: list) -> None:
        if self.requires.ok(attrs, case.known):
            case.marks[self.requires_key] = t

    def on_since(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
                 out: list) -> None:
        if self.since is not None and self.since.ok(attrs, case.known):
            case.marks[self.since_key] = t

    def on_act(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
               out: list) -> None:
        known, marks = case.known, case.marks
        if not self.act.ok(attrs, known):
            return
        required = marks.get(self.requires_key)
        since = marks.get(self.since_key)
        if required is None or (since is not None and required < since):
            reporter = mon.reporter
            reporter.found(out, self.info, self.finding, case, name, day,
                           party=reporter.party(self.info, known, attrs), mitigated=reporter.mitigated(attrs),
                           rows=[seq], occurred_ns=t, detail=self.detail)


class SingleAct(Handler):
    """Kinds judged on the act alone."""

    roles = ("act",)

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.act = Match(rule.act)
        self.rule = rule

    def matches(self) -> dict[str, Match]:
        return {"act": self.act}

    def on_act(self, mon: Monitor, case: Case, name: str, t: int, day: int, attrs: dict, seq: int,
               out: list) -> None:
        if not self.act.ok(attrs, case.known):
            return
        found = self.judge(mon, day, attrs)
        if found is None:
            return
        kind, due_day, wd_late, detail = found
        reporter = mon.reporter
        party = reporter.party(self.info, case.known, attrs)
        reporter.found(out, self.info, kind, case, name, day, party=party,
                       mitigated=reporter.mitigated(attrs), rows=[seq], due_day=due_day, occurred_ns=t,
                       wd_late=wd_late, detail=detail)

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any]) -> tuple | None:
        raise NotImplementedError


class Prohibited(SingleAct):
    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any]) -> tuple | None:
        return ("prohibited", None, None, None)


class Required(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        need = rule.require
        self.names = tuple(need.all_present or need.any_present or ())
        self.all = bool(need.all_present)
        self.maximum = tuple((need.maximum or {}).items())
        self.formats = tuple((need.valid_format or {}).items())
        self._checked: dict[tuple[str, str], bool] = {}

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any]) -> tuple | None:
        if self.names:
            absent = [n for n in self.names if attrs.get(n) is None]
            bad = bool(absent) if self.all else len(absent) == len(self.names)
            return ("invalid", None, None, "missing: " + ", ".join(absent)) if bad else None
        detail = None
        for name, limit in self.maximum:
            value = _numeric(attrs.get(name))
            if value is not None and value > limit:
                detail = f"{name} > {limit}: {value}"  # a later attribute's text wins, as in the batch
        for name, fmt in self.formats:
            value = attrs.get(name)
            if value is not None and not self._valid(fmt, str(value)):
                detail = f"{name} is not a valid {fmt}: {value}"
        return None if detail is None else ("invalid", None, None, detail)

    def _valid(self, fmt: str, text: str) -> bool:
        # the batch's own vectorised check, once per distinct value (ids repeat in a stream)
        key = (fmt, text)
        known = self._checked.get(key)
        if known is None:
            import numpy as np

            known = bool(FORMAT_CHECKS[fmt](np.array([text], dtype=object))[0])
            if len(self._checked) > 50_000:
                self._checked.clear()
            self._checked[key] = known
        return known


class LeadTime(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        self.attribute = rule.date_attribute
        self.days = int(rule.period.days or 0)
        self.at_least = rule.mode == "at_least"

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any]) -> tuple | None:
        value = attrs.get(self.attribute)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        target = (value + OFFSET_NS) // NS_PER_DAY
        if self.at_least:
            latest = mon.days.wd_sub_latest(target, self.days)
            if latest is None or day <= latest:
                return None  # None: refused before any state changed (see precheck)
            return ("late", latest, mon.days.wd_between(latest, day), None)
        if mon.days.wd_between(day, target - 1) > self.days:
            return ("premature", None, None, None)
        return None

    def precheck(self, mon: Monitor, attrs: dict[str, Any]) -> str | None:
        """A reason to refuse the event if its date lies off the calendar (the batch would raise)."""
        if self.act.when and not holds(self.act.when, attrs):
            return None
        value = attrs.get(self.attribute)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        target = (value + OFFSET_NS) // NS_PER_DAY
        if not in_calendar(target) or not in_calendar(target - 1):
            return f"{self.attribute}: {describe_day(target)} is outside the working-day calendar ({SPAN})"
        if self.at_least and mon.days.wd_sub_latest(target, self.days) is None:
            return (f"{self.attribute}: no day in the working-day calendar ({SPAN}) lies {self.days} "
                    f"working days before {describe_day(target)}")
        return None


class Retention(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        self.attribute = rule.created_attribute
        self.years = rule.period.unit == "years"
        self.days = int(rule.period.days or 0)

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any]) -> tuple | None:
        value = attrs.get(self.attribute)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        created = (value + OFFSET_NS) // NS_PER_DAY
        if self.years:
            # calendar years on the local date; 29 February + N years -> 28 February (pd.DateOffset)
            date = dt.date.fromordinal(created + _EPOCH_ORDINAL)
            try:
                until = date.replace(year=date.year + self.days)
            except ValueError:
                until = date.replace(year=date.year + self.days, day=28)
            kept_until = until.toordinal() - _EPOCH_ORDINAL
        else:
            kept_until = created + self.days
        return ("prohibited", None, None, None) if day < kept_until else None


class Unsupported(ValueError):
    """A rule the monitor cannot follow (the batch cannot either); left out with a note."""


HANDLERS: dict[str, type[Handler]] = {
    "deadline": Deadline, "waiting": Waiting, "precondition": Precondition, "prohibited": Prohibited,
    "required": Required, "lead_time": LeadTime, "retention": Retention,
}


def check_due_attribute(handler: Deadline, attrs: dict[str, Any]) -> str | None:
    """Refuse a trigger whose due date lies off the calendar (the batch would raise counting it)."""
    if handler.trigger.when and not holds(handler.trigger.when, attrs):
        return None
    value = attrs.get(handler.due_attribute or "")
    if isinstance(value, int) and not isinstance(value, bool):
        due = (value + OFFSET_NS) // NS_PER_DAY
        if not in_calendar(due):
            return (f"{handler.due_attribute}: {describe_day(due)} is outside the working-day calendar "
                    f"({SPAN})")
    return None

