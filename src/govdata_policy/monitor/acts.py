"""The kinds judged on the act alone: prohibited, required, lead_time, retention."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..calendar.bounds import SPAN, describe_day
from ..timeutil import NS_PER_DAY, OFFSET_NS
from .basics import FORMATS, Condition, DayMath, Match, _numeric, holds, in_calendar
from .findings import RuleInfo
from .kinds import Deadline, Entry, Handler, party_of
from .state import ORPHAN, TOTALS

if TYPE_CHECKING:
    from .core import Monitor

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class SingleAct(Handler):
    """Kinds judged on the act alone."""

    roles = ("act",)

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.act = Match(rule.act)
        self.rule = rule

    def matches(self) -> dict[str, Match]:
        return {"act": self.act}

    def make_act(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.act.tester(skip)
        judge, info = self.judge, self.info
        party_of_event = party_of(info)

        def on_act(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                   seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            found = judge(mon, day, attrs, t, ctx)
            if found is None:
                return
            kind, due_day, wd_late, detail = found
            reporter = mon.reporter
            reporter.found(out, info, kind, case_id, ORPHAN in ctx, name, day, party=party_of_event(ctx, attrs),
                           mitigated=reporter.mitigated(attrs), rows=[seq], due_day=due_day, occurred_ns=t,
                           wd_late=wd_late, detail=detail)

        return on_act

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any], t: int, ctx: dict) -> tuple | None:
        raise NotImplementedError


class Prohibited(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        # as engine.acts.compile_prohibited: an invalid finding says which act was not allowed
        detail = None if rule.finding == "prohibited" else f"{rule.act.event} not allowed"
        self.found = (rule.finding, None, None, detail)

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any], t: int, ctx: dict) -> tuple | None:
        return self.found


class Required(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        need = rule.require
        self.names = tuple(need.all_present or need.any_present or ())
        self.all = bool(need.all_present)
        self.maximum = tuple(need.each_limits.items())
        self.totals = tuple(need.total_limits.items())
        assert len(self.totals) < 64  # their context keys (state.TOTALS) leave room for 64 per rule
        self.formats = tuple((need.valid_format or {}).items())

    def make_act(self, days: DayMath, skip: Condition | None) -> Entry:
        if not self.names or not self.all:
            return super().make_act(days, skip)
        # the common case (all of some fields present) in one function
        test = self.act.tester(skip)
        names, info = self.names, self.info
        party_of_event = party_of(info)

        def on_act(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                   seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            for n in names:
                if n not in attrs:  # attrs holds present values only
                    break
            else:
                return
            reporter = mon.reporter
            reporter.found(out, info, "invalid", case_id, ORPHAN in ctx, name, day, party=party_of_event(ctx, attrs),
                           mitigated=reporter.mitigated(attrs), rows=[seq], occurred_ns=t,
                           detail="missing: " + ", ".join(n for n in names if n not in attrs))

        return on_act

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any], t: int, ctx: dict) -> tuple | None:
        if self.names:
            if self.all:
                for n in self.names:
                    if n not in attrs:  # attrs holds present values only
                        break
                else:
                    return None
            elif any(n in attrs for n in self.names):
                return None
            return ("invalid", None, None, "missing: " + ", ".join(n for n in self.names if n not in attrs))
        detail = None
        for name, limit in self.maximum:
            value = _numeric(attrs.get(name))
            if value is not None and value > limit:
                detail = f"{name} > {limit}: {value}"  # a later attribute's text wins, as in the batch
        if self.totals:  # maximum_total: the sum over the case's acts so far, kept in its context
            for j, (name, limit) in enumerate(self.totals):
                value = _numeric(attrs.get(name))
                key = TOTALS - 64 * self.index - j
                total = ctx[key] = ctx.get(key, 0) + (int(value) if value else 0)
                if total > limit:
                    detail = f"{name} in all > {limit}: {total}"
        for name, fmt in self.formats:
            value = attrs.get(name)
            if value is not None and not FORMATS[fmt](value):
                detail = f"{name} is not a valid {fmt}: {value}"
        return None if detail is None else ("invalid", None, None, detail)


class LeadTime(SingleAct):
    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info, rule)
        self.attribute = rule.date_attribute
        self.days = int(rule.period.days or 0)
        self.at_least = rule.mode == "at_least"

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any], t: int, ctx: dict) -> tuple | None:
        value = attrs.get(self.attribute)
        if not isinstance(value, int) or isinstance(value, bool):
            mon.undated(self.info.id, self.attribute)
            return None
        target = (value + OFFSET_NS) // NS_PER_DAY
        if self.at_least:
            latest = mon.days.wd_sub_latest(target, self.days)
            if latest is None or day <= latest:
                return None  # None: refused before any state changed (see precheck)
            return ("late", latest, mon.days.wd_between(latest, day), None)
        if mon.days.wd_between(day, target - 1) > self.days:  # due: the last day it may not come on
            return ("premature", mon.days.wd_sub_latest(target, self.days + 1), None, None)
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
        self.by_day = rule.kept_through == "day"  # 民法典 201/202: the last day kept to its end

    def judge(self, mon: Monitor, day: int, attrs: dict[str, Any], t: int, ctx: dict) -> tuple | None:
        value = attrs.get(self.attribute)
        if not isinstance(value, int) or isinstance(value, bool):
            mon.undated(self.info.id, self.attribute)
            return None
        if self.years:
            # as engine.acts: N calendar years on the local clock, instants compared; 29 February + N
            # years -> 28 February (pd.DateOffset)
            day_of_creation, into_day = divmod(value + OFFSET_NS, NS_PER_DAY)
            date = dt.date.fromordinal(day_of_creation + _EPOCH_ORDINAL)
            try:
                until = date.replace(year=date.year + self.days)
            except ValueError:
                until = date.replace(year=date.year + self.days, day=28)
            kept_until_ns = (until.toordinal() - _EPOCH_ORDINAL) * NS_PER_DAY + into_day - OFFSET_NS
            if self.by_day:  # to the end of that day, whatever the hour of creation
                kept_until_ns += NS_PER_DAY - into_day
        elif self.by_day:
            kept_until_ns = (value + OFFSET_NS) // NS_PER_DAY * NS_PER_DAY - OFFSET_NS + (self.days + 1) * NS_PER_DAY
        else:
            kept_until_ns = value + self.days * NS_PER_DAY
        return ("prohibited", None, None, None) if t < kept_until_ns else None


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
