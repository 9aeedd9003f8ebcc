"""The seven rule kinds, event at a time, with the batch engine's semantics.

Each rule becomes a handler (here the kinds that look back or forward in a
case; the kinds judged on the act alone are in ``acts.py``), and
``compiled.Compiled`` indexes their ``on_<role>`` entry points by event name,
so a push does only the work its event needs. The batch semantics reproduced
are those of ``engine/deadlines.py`` and ``engine/acts.py``:

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

from typing import TYPE_CHECKING, Any

from ..timeutil import NS_PER_DAY, OFFSET_NS
from .basics import Match, Unsupported, _numeric, end_of_day
from .findings import RuleInfo
from .state import Obligation

if TYPE_CHECKING:
    from .core import Monitor
    from .state import Case


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
        test = self.trigger.test
        if test is not None and not test(attrs, case.known):
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
        if self.unit == "none" or self.extension is None or not self.extension.ok(attrs, case.known):
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
        test = self.fulfil.test
        if test is not None and not test(attrs, case.known):
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
