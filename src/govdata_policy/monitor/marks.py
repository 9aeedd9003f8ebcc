"""The rule kinds that keep a mark of an earlier event in the case's context: waiting and precondition.

Their semantics are those of ``engine/deadlines.py`` (waiting) and ``engine/acts.py`` (precondition),
as ``kinds.py`` describes them; split from it so each module stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..timeutil import NS_PER_DAY, OFFSET_NS
from .basics import Condition, DayMath, Match, Unsupported
from .findings import RuleInfo
from .kinds import Entry, Handler, _nothing, party_of
from .state import ORPHAN

if TYPE_CHECKING:
    from .core import Monitor


class Waiting(Handler):
    roles = ("trigger", "act")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.trigger = Match(rule.trigger)
        self.act = Match(rule.act)
        self.unit = rule.period.unit
        self.days = int(rule.period.days or 0)
        self.require_trigger = rule.require_trigger
        # the latest trigger in the case's context: its time, push number and mitigation flag
        self.key = info.index * 4
        if self.unit not in ("working_days", "calendar_days"):
            raise Unsupported(f"rule {rule.id}: a waiting period in {self.unit} has no day arithmetic "
                              "(the batch engine raises on it); the monitor leaves the rule out")

    def matches(self) -> dict[str, Match]:
        return {"trigger": self.trigger, "act": self.act}

    def make_trigger(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.trigger.tester(skip)
        key, mitigation = self.key, self.mitigation

        def on_trigger(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                       seq: int, out: list) -> None:
            if test is None or test(attrs, ctx):
                ctx[key] = t
                ctx[key + 1] = seq
                ctx[key + 2] = mitigation is not None and bool(attrs.get(mitigation))

        return on_trigger

    def make_act(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.act.tester(skip)
        key, info, n, require_trigger = self.key, self.info, self.days, self.require_trigger
        add = days.wd_add if self.unit == "working_days" else days.cd_add
        party_of_event = party_of(info)

        def on_act(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                   seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            reporter = mon.reporter
            mark = ctx.get(key)
            if mark is None:
                if require_trigger:
                    reporter.found(out, info, "premature", case_id, ORPHAN in ctx, name, day,
                                   party=party_of_event(ctx, attrs), mitigated=reporter.mitigated(attrs),
                                   rows=[seq], occurred_ns=t)
                return
            last = add((mark + OFFSET_NS) // NS_PER_DAY, n)
            if day <= last:
                reporter.found(out, info, "premature", case_id, ORPHAN in ctx, name, day,
                               party=party_of_event(ctx, attrs),
                               mitigated=reporter.mitigated(attrs) or ctx[key + 2], rows=sorted({seq, ctx[key + 1]}),
                               due_day=last, occurred_ns=t)

        return on_act


class Precondition(Handler):
    roles = ("requires", "since", "act")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.requires = Match(rule.requires)
        self.since = Match(rule.since) if rule.since is not None else None
        self.act = Match(rule.act)
        self.finding = rule.finding
        self.requires_key = info.index * 4  # the latest requires / since times in the case's context
        self.since_key = info.index * 4 + 1
        # what the finding says is missing, worded as engine/acts.py words it
        self.detail = f"no earlier {rule.requires.event}" + (
            f" since the latest {rule.since.event}" if rule.since is not None else "")

    def matches(self) -> dict[str, Match]:
        found = {"requires": self.requires, "act": self.act}
        if self.since is not None:
            found["since"] = self.since
        return found

    def make_requires(self, days: DayMath, skip: Condition | None) -> Entry:
        return _marker(self.requires.tester(skip), self.requires_key)

    def make_since(self, days: DayMath, skip: Condition | None) -> Entry:
        if self.since is None:
            return _nothing
        return _marker(self.since.tester(skip), self.since_key)

    def make_act(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.act.tester(skip)
        requires_key, since_key, info, finding, detail = (
            self.requires_key, self.since_key, self.info, self.finding, self.detail)
        party_of_event = party_of(info)

        def on_act(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                   seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            required = ctx.get(requires_key)
            since = ctx.get(since_key)
            if required is None or (since is not None and required < since):
                reporter = mon.reporter
                reporter.found(out, info, finding, case_id, ORPHAN in ctx, name, day,
                               party=party_of_event(ctx, attrs), mitigated=reporter.mitigated(attrs),
                               rows=[seq], occurred_ns=t, detail=detail)

        return on_act


def _marker(test: Any, key: int) -> Entry:
    """Keep the time of the latest event passing ``test`` in the case's context."""

    def mark(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
             seq: int, out: list) -> None:
        if test is None or test(attrs, ctx):
            ctx[key] = t

    return mark
