"""The seven rule kinds, event at a time, with the batch engine's semantics.

Each rule becomes a handler (here the deadline and the handler base; the waiting
and precondition kinds, which keep a mark of an earlier event in the case, are in
``marks.py``, the kinds judged on the act alone in ``acts.py``), which makes one
function per role an event can play in it, and ``compiled.Compiled`` indexes
those by event name, so a push does only the work its event needs. The batch
semantics reproduced are those of ``engine/deadlines.py`` and
``engine/acts.py``:

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

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..calendar.bounds import FIRST_DAY
from ..timeutil import NS_PER_DAY, OFFSET_NS
from ..vocabulary import EVENTS
from .basics import Condition, DayMath, Match, Test, _numeric, end_of_day
from .findings import RuleInfo
from .state import (
    OB_BASE_DUE,
    OB_DAY,
    OB_DUE,
    OB_DUE_END,
    OB_EVENT,
    OB_EXTRA,
    OB_ID,
    OB_MITIGATED,
    OB_NS,
    OB_PARTY,
    OB_SEQ,
    ORPHAN,
)

if TYPE_CHECKING:
    from .core import Monitor

# Every role a rule gives an event is one function with one signature,
#   entry(mon, case_id, ctx, name, t, day, attrs, seq, out)
# (ctx: the case's context, state.py; out: the list findings go to), made once per profile with
# everything constant resolved: a push calls exactly the work its event needs.
Entry = Callable[..., None]


class Handler:
    roles: tuple[str, ...] = ()

    def __init__(self, info: RuleInfo) -> None:
        self.info = info
        self.index = info.index

    def matches(self) -> dict[str, Match]:
        raise NotImplementedError

    def events(self) -> dict[str, set[str]]:
        """The event names each role listens to ("*": every event): its match's, unless a role has several."""
        return {role: {match.event} for role, match in self.matches().items()}

    def entry(self, role: str, days: DayMath, skip: Condition | None) -> Entry:
        """The function for one role; ``skip``: a condition of the role's match the index has checked."""
        return getattr(self, f"make_{role}")(days, skip)

    @property
    def mitigation(self) -> str | None:
        """The field flagging an event for fault tolerance (e.g. Xinjiang 42, good_faith), if the profile has one."""
        return self.info.mitigation_attr


def party_of(info: RuleInfo, fixed: bool = True) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
    """The responsible party at the anchor event (engine.assemble._parties), as a function of (known, attrs);
    ``fixed`` False: None where the case names none, not the profile's fixed name for the role."""
    attribute, name = info.party_attr, info.party_name if fixed else None
    role = info.role if info.party_by_actor else None  # a fixed body the rule names: no actor names it

    def party(known: dict[str, Any], attrs: dict[str, Any]) -> Any:
        found = known.get(attribute) if attribute is not None else None
        if found is None and role is not None and attrs.get("actor_role") == role:
            found = attrs.get("actor")
        return name if found is None else found

    return party


class Deadline(Handler):
    roles = ("trigger", "extension", "fulfil")

    def __init__(self, info: RuleInfo, rule: Any) -> None:
        super().__init__(info)
        self.trigger = Match(rule.trigger)
        self.fulfil = Match(rule.fulfil)
        self.also = [Match(match) for match in rule.also_fulfilled_by]  # further events that answer too
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

    def events(self) -> dict[str, set[str]]:
        found = super().events()
        found["fulfil"] = {match.event for match in (self.fulfil, *self.also)}  # every event that answers
        return found

    def make_trigger(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.trigger.tester(skip)
        index, n, unit, due_attribute = self.index, self.days, self.unit, self.due_attribute
        cum, workdays, cd_add = days.cum, days.workdays, days.cd_add
        party_attr, mitigation = self.info.party_attr, self.mitigation
        # unnamed at the trigger stays None (not the profile's fixed name): a late fulfilment may name it
        party_named = party_of(self.info, fixed=False)
        working, calendar = unit == "working_days", unit == "calendar_days"
        last_second = end_of_day(0)
        n_rules = self.info.n_rules

        def on_trigger(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                       seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            if working:
                due = workdays[cum[day - FIRST_DAY] + n - 1] if n else day
            elif calendar:
                due = cd_add(day, n)
            elif due_attribute is not None:
                value = attrs.get(due_attribute)
                due = None if value is None else (value + OFFSET_NS) // NS_PER_DAY
            else:
                due = None  # C4: presence only
            party = ctx.get(party_attr) if party_attr is not None else None
            if party is None:
                party = party_named(ctx, attrs)
            key = seq * n_rules + index  # the obligation's id: one per rule and trigger event
            ob = [key, index, case_id, t, day, seq, name, due, 0, due,
                  None if due is None else due * NS_PER_DAY + last_second,  # end_of_day(due)
                  party, mitigation is not None and bool(attrs.get(mitigation))]
            open_cases = mon._open
            obligations = open_cases.get(case_id)
            if obligations is None:
                open_cases[case_id] = {index: [ob]}
            else:
                open_here = obligations.get(index)
                if open_here is None:
                    obligations[index] = [ob]
                else:
                    open_here.append(ob)
            mon.n_obligations += 1
            if due is None:
                mon.unsettled[key] = ob
            else:
                mon.pending[key] = ob
                heapq.heappush(mon.heap, (ob[OB_DUE_END], key))
                if mon.stale > 4096 and mon.stale * 2 > len(mon.heap):
                    mon.compact()

        return on_trigger

    def make_extension(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.extension.tester(skip) if self.extension is not None else None
        index, n, ext_attribute, ext_max = self.index, self.days, self.ext_attribute, self.ext_max
        rule_id = self.info.id
        working = self.unit == "working_days"

        def on_extension(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                         seq: int, out: list) -> None:
            if test is not None and not test(attrs, ctx):
                return
            amount = _numeric(attrs.get(ext_attribute))
            if amount is None:
                # as engine.deadlines._extensions: every grant without its days is counted (a note)
                mon.undated(rule_id, ext_attribute, "unstated")
            obligations = mon._open.get(case_id)
            if not obligations or index not in obligations:
                return
            # as engine.deadlines._extensions: a negative or unreadable grant extends nothing
            amount = max(int(amount), 0) if amount is not None else 0
            for ob in obligations[index]:
                base_due = ob[OB_BASE_DUE]
                if ob[OB_NS] <= t and base_due is not None and day <= base_due:
                    ob[OB_EXTRA] += amount
                    extra = min(ob[OB_EXTRA], ext_max)
                    # as engine.deadlines.period_end: working days on top of the period, whatever its unit
                    due = days.wd_add(ob[OB_DAY], n + extra) if working else days.wd_add(base_due, extra)
                    if due != ob[OB_DUE]:
                        ob[OB_DUE] = due
                        ob[OB_DUE_END] = end_of_day(due)
                        if ob[OB_ID] in mon.pending:  # (one already reported overdue is not reported again)
                            mon.stale += 1  # its older heap entry is now stale
                            mon.schedule(ob)

        if self.unit == "none" or self.extension is None:
            return _nothing
        return on_extension

    def make_fulfil(self, days: DayMath, skip: Condition | None) -> Entry:
        test = self.fulfil.tester(skip)
        # with also_fulfilled_by, which matches apply depends on the event's name (None: fulfil alone)
        several = _answer_tests([self.fulfil, *self.also]) if self.also else None
        index, info = self.index, self.info
        cum = days.cum
        party_of_event = party_of(info)
        # the latest instant at which a fulfilment of this rule answered a trigger from before that instant, in
        # the case's context: then no fulfilment at that instant answers the instant's own triggers
        answered_key = index * 4

        def on_fulfil(mon: Monitor, case_id: str, ctx: dict, name: str, t: int, day: int, attrs: dict,
                      seq: int, out: list) -> None:
            open_cases = mon._open
            obligations = open_cases.get(case_id)
            if not obligations:
                return
            waiting = obligations.get(index)
            if not waiting:
                return
            if several is not None:
                tests = several.get(name, ())
                if tests is not None and not any(answers(attrs, ctx) for answers in tests):
                    return
            elif test is not None and not test(attrs, ctx):
                return
            # As engine.context.answers_of decides: an answer that closes an earlier cycle is not also the
            # answer of a cycle opened at its own instant (a log of dates only: raised on the 6th, raised again
            # and resolved on the 8th), which waits for the first answer after that instant. The obligations
            # are in trigger order, so the first and last tell whether either case arises.
            if waiting[-1][OB_NS] == t and (waiting[0][OB_NS] < t or ctx.get(answered_key) == t):
                at_instant = [ob for ob in waiting if ob[OB_NS] == t]
                waiting = waiting[:len(waiting) - len(at_instant)]
                if not waiting:
                    return  # this instant's answers went to an earlier cycle
                obligations[index] = at_instant
                ctx[answered_key] = t
            else:
                if waiting[0][OB_NS] < t:
                    ctx[answered_key] = t
                del obligations[index]
                if not obligations:
                    del open_cases[case_id]
            for ob in waiting:
                due = ob[OB_DUE]
                if due is None:
                    del mon.unsettled[ob[OB_ID]]
                    continue
                if mon.pending.pop(ob[OB_ID], None) is not None:
                    mon.stale += 1  # its heap entry is now stale (an overdue one was popped already)
                if day > due:
                    reporter = mon.reporter
                    reporter.found(
                        out, info, "late", case_id, ORPHAN in ctx, ob[OB_EVENT], ob[OB_DAY],
                        # as engine.assemble._late_parties: unnamed at the trigger, as the fulfilment names it
                        party=ob[OB_PARTY] if ob[OB_PARTY] is not None else party_of_event(ctx, attrs),
                        mitigated=ob[OB_MITIGATED] or reporter.mitigated(attrs),
                        rows=sorted({ob[OB_SEQ], seq}), due_day=due, occurred_ns=t,
                        wd_late=cum[day - FIRST_DAY] - cum[due - FIRST_DAY],
                    )
            mon.n_obligations -= len(waiting)

        return on_fulfil


def _nothing(*args: Any) -> None:
    return None


def _answer_tests(matches: list[Match]) -> dict[str, tuple[Test, ...] | None]:
    """A deadline answered by several matches (``also_fulfilled_by``): for each event name, the tests of the
    matches naming it, any one of which makes the event an answer; None where one of them tests nothing."""
    by_name: dict[str, list[Test | None]] = {}
    for match in matches:
        for name in EVENTS if match.event == "*" else (match.event,):
            by_name.setdefault(name, []).append(match.test)
    return {name: None if None in found else tuple(t for t in found if t is not None)
            for name, found in by_name.items()}

