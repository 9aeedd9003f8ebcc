"""The streaming monitor: ``push`` events in time order, ``advance`` the clock, on event time only.

Pushing a log in time order and then calling ``advance(as_of)`` yields the
same violations as ``profile.evaluate(log, as_of=as_of)`` (CONTRACT.md §4);
see docs/monitor.md for the guarantee's exact scope and for what the monitor
remembers. The wall clock is never read: time moves only with the events
pushed and the times advanced to.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Mapping
from typing import Any

from ..calendar.bounds import FIRST_DAY, LAST_DAY, SPAN, SPAN_ZH
from ..calendar.errors import CalendarRangeError
from ..io.civil import NS_PER_SECOND
from ..options import flag, flag_or_none, loaded_profile, whole, whole_or_none
from ..timeutil import NS_PER_DAY, OFFSET_NS
from . import state as st
from .compiled import compiled_for
from .findings import Reporter
from .rejection import RejectedEvent, calendar_reason, out_of_order_reason, too_far_ahead_reason
from .scalar_cells import given_case_id
from .scalar_validate import EventParser
from .state import LAST_KEYS, LAST_NAME, LAST_NS, ORPHAN, STAMP, Cases, Obligation

NEVER = -(2**63)
# The guard suggested for a live stream (``max_ahead_days``): an event this many days after the monitor's
# current time is taken for a mistyped time (2034 for 2024), not for the new time: a quarter, far longer than
# any holiday's silence on a platform (the Spring Festival's nine days), shorter than a mistyped year (365 days)
# or a month mistyped by more than three. Not the default: a log replayed from history has quiet spells longer
# than that (the shipped examples do), and CONTRACT.md promises a replay the batch's findings
MAX_AHEAD_DAYS = 92
NOT_GUARDED = 1 << 80  # beyond every time a nanosecond count of the calendar holds


class Monitor:
    """Streaming monitor of one profile. Not thread-safe: feed it from one thread.

    Options: ``closed_cache_size`` (recently-closed cases kept with their
    context, default 100_000), ``rejected_kept`` (rejections kept in
    ``monitor.rejected``, default 10_000; all are counted), ``enforce_validity``
    (default: the profile's; C6 findings outside a document's validity are
    counted and, when enforced, not returned), ``max_ahead_days`` (an event more
    than this many days after the current time is rejected, not taken as the
    new time; default None: no limit; ``MAX_AHEAD_DAYS``, 92, for a live stream).
    """

    def __init__(
        self, profile: Any, *, closed_cache_size: int = 100_000, rejected_kept: int = 10_000,
        enforce_validity: bool | None = None, max_ahead_days: int | None = None,
    ) -> None:
        self.profile = loaded_profile(profile)  # Monitor.restore("yongzhou", data) is told to load it
        # enforce_validity="no" (a config file's text) was true: C6 findings counted and not returned
        enforce_validity = flag_or_none("enforce_validity", enforce_validity)
        # a bool is an int (max_ahead_days=True was a one-day guard), None no size (a bare TypeError about "<")
        closed_cache_size = whole("closed_cache_size", closed_cache_size, unit="cases")
        rejected_kept = whole("rejected_kept", rejected_kept, unit="rejections")
        max_ahead_days = whole_or_none("max_ahead_days", max_ahead_days, unit="days")
        self._options = {"closed_cache_size": closed_cache_size, "rejected_kept": rejected_kept,
                         "enforce_validity": enforce_validity, "max_ahead_days": max_ahead_days}
        # an event at or after the current time + this is too far ahead (the + 1: max_ahead_days itself is not)
        self._ahead_span = NOT_GUARDED if max_ahead_days is None else max_ahead_days * NS_PER_DAY + 1
        compiled = compiled_for(profile)
        self._compiled = compiled
        self._index = compiled.index
        self.days = compiled.days
        enforce = profile.spec.enforce_validity if enforce_validity is None else enforce_validity
        self.reporter = Reporter(profile, enforce, closed_cache_size)
        self._parser = EventParser()
        from ..engine.evaluate import calendar_margin

        self._last_event_day = LAST_DAY - calendar_margin(profile)
        # state (everything below goes into a snapshot)
        self._now = NEVER
        self._ahead_from = NOT_GUARDED  # the first time rejected as too far ahead; the first event sets the clock
        self._cases = Cases(closed_cache_size)
        self._alias()
        # open obligations by id: those with a due day not yet reported overdue (pending), each with an
        # entry (end of its due day in ns, its id) in the heap, and those without one (unsettled: C4 or a
        # due attribute not given), reported missing at the next advance. Heap entries are tuples of ints,
        # which the garbage collector stops tracking; an entry whose obligation has since been fulfilled or
        # moved by an extension is stale (lazy deletion).
        self.pending: dict[int, Obligation] = {}
        self.heap: list[tuple[int, int]] = []
        self.stale = 0
        self.unsettled: dict[int, Obligation] = {}
        self.n_obligations = 0
        self._rejected: deque[dict[str, Any]] = deque(maxlen=rejected_kept)
        self._pushed = 0
        self._counts = {"rejected": 0, "duplicates": 0, "out_of_order": 0, "violations": 0}
        self._first_day = 0  # the first event's day, for calendar coverage notes

    def _alias(self) -> None:
        """The hot path's own names for parts of the state."""
        cases = self._cases
        self._contexts, self._open = cases.contexts, cases.open
        self._same_time, self._order = cases.same_time, cases.order

    # -- the stream -----------------------------------------------------------------
    def push(self, event: Mapping[str, Any], *, strict: bool = False) -> list[dict[str, Any]]:
        """One event (a log row as a dict); returns the violations it decides.

        An event that cannot be taken is recorded in ``rejected`` and counted, and gives ``[]``; with
        ``strict=True`` it raises ``RejectedEvent`` (a ``ValueError``) carrying that record instead, so that a
        refusal is not taken for an event with nothing to report. An exact duplicate is no refusal: ``[]``.
        """
        if strict is not False and strict is not True:  # before anything is counted: strict="no" raised
            strict = flag("strict", strict)
        self._pushed = seq = self._pushed + 1  # plays the role of the row number in evidence_rows
        if event.__class__ is dict or isinstance(event, Mapping):
            parsed = self._parser.parse(event)
        else:
            parsed = f"event: expected a mapping of fields, got {type(event).__name__}"
        if parsed.__class__ is str:
            return self._reject(seq, parsed, given_case_id(event), strict)
        case_id, name, t, day, attrs, keys = parsed
        if day < FIRST_DAY or day > self._last_event_day:
            return self._reject(seq, calendar_reason(seq, day, LAST_DAY - self._last_event_day), case_id, strict)
        dispatch = self._index.get(name)
        if dispatch is not None and dispatch[0]:
            for check in dispatch[0]:
                reason = check(self, attrs)
                if reason:
                    return self._reject(seq, reason, case_id, strict)
        ctx = self._contexts.get(case_id)
        if ctx is not None and t <= ctx[LAST_NS]:
            if t == ctx[LAST_NS] and (name, attrs) in self._cases.last_fields(case_id, ctx):
                self._counts["duplicates"] += 1
                return []
            if t < ctx[LAST_NS]:
                return self._out_of_order(seq, t, case_id, strict)
        now = self._now
        if t != now:
            if t < now:
                return self._out_of_order(seq, t, case_id, strict)
            if t >= self._ahead_from:
                return self._too_far_ahead(seq, t, case_id, strict)
            self._now = t
            self._ahead_from = t + self._ahead_span
        if not self._first_day:
            self._first_day = day  # for the calendar coverage notes
        # the context keeps the latest value of every field the case has carried (attrs holds no empty
        # ones): one C call, where keeping only the fields rules read would cost a loop per event
        if ctx is None:
            ctx = attrs.copy()
            cases = self._cases
            if cases.evictions and case_id in cases.evicted:
                ctx[ORPHAN] = True
            self._contexts[case_id] = ctx
        else:
            if t == ctx[LAST_NS]:
                self._cases.same_time_event(case_id, ctx, name, attrs)  # before it takes the new values
            elif self._same_time:
                self._same_time.pop(case_id, None)
            ctx.update(attrs)
        ctx[LAST_NS] = t
        ctx[LAST_NAME] = name
        ctx[LAST_KEYS] = keys

        out: list[dict[str, Any]] = []
        if dispatch is not None:
            _, always, keyed, present, fulfils = dispatch
            if fulfils:  # (rule index, entry) of the rules this event fulfils: those the case has open
                obligations = self._open.get(case_id)
                if obligations:
                    for rule_index, entry in fulfils:
                        if rule_index in obligations:  # (one fulfilment may close several: they are deleted)
                            entry(self, case_id, ctx, name, t, day, attrs, seq, out)
            if always:
                for entry in always:
                    entry(self, case_id, ctx, name, t, day, attrs, seq, out)
            if keyed:
                for attribute, table in keyed:
                    hit = table.get(attrs.get(attribute))
                    if hit is not None:
                        for entry in hit:
                            entry(self, case_id, ctx, name, t, day, attrs, seq, out)
            if present:
                for attribute, hit in present:
                    if attribute in attrs:  # attrs holds present values only
                        for entry in hit:
                            entry(self, case_id, ctx, name, t, day, attrs, seq, out)
        # open or closed now; a closed case becomes the most recently active of the closed ones
        stamp = ctx.get(STAMP)
        if case_id in self._open:
            if stamp is not None:
                self._cases.reopen(ctx)
        else:
            cases = self._cases
            order = self._order
            ctx[STAMP] = new = cases.stamp
            cases.stamp = new + 1
            order[new] = case_id
            if stamp is not None:
                del order[stamp]
            elif len(order) > cases.size:
                cases.evict()
        if out:
            self._counts["violations"] += len(out)
            if len(out) > 1:
                out.sort(key=_push_order)
        return out

    def advance(self, now: Any) -> list[dict[str, Any]]:
        """Move the clock to ``now`` (what ``as_of`` accepts; a date alone = the end of that day).

        Reports, once each, obligations whose due day ended before ``now``
        (overdue) and obligations without a due day still open (missing, C4).
        """
        if now is None:
            raise TypeError("advance(now) needs a time: the monitor runs on event time, never the wall clock")
        from ..engine.evaluate import parse_as_of

        ns = parse_as_of(now)
        now_day = (ns + OFFSET_NS) // NS_PER_DAY
        if not FIRST_DAY <= now_day <= LAST_DAY:
            raise CalendarRangeError(f"advance: {now!r} is outside the working-day calendar ({SPAN})",
                                     zh=f"advance：{now!r}在工作日历（{SPAN_ZH}）之外")
        out: list[dict[str, Any]] = []
        heap, pending = self.heap, self.pending
        # a due day is over from the next day's first instant (its 23:59:59.5 is still on time): by day,
        # as the batch and a late fulfilment count
        while heap and heap[0][0] + NS_PER_SECOND <= ns:
            due_end, key = heapq.heappop(heap)
            ob = pending.get(key)
            if ob is None or ob[st.OB_DUE_END] != due_end:
                self.stale = max(self.stale - 1, 0)
                continue
            del pending[key]  # still open: a late fulfilment is reported too
            due = ob[st.OB_DUE]
            self._report(out, ob, "overdue", ns, due_day=due, wd_late=self.days.wd_between(due, now_day))
        for ob in list(self.unsettled.values()):
            if ob[st.OB_NS] <= ns:
                self._report(out, ob, "missing", ns)
                self._settle(ob)
        if ns > self._now:
            self.set_now(ns)
        if out:
            self._counts["violations"] += len(out)
            out.sort(key=_advance_order)
        return out

    def _report(self, out: list[dict[str, Any]], ob: Obligation, kind: str, as_of_ns: int, **due: Any) -> None:
        """An open obligation found overdue or missing at an ``advance``."""
        case_id = ob[st.OB_CASE]
        info = self._compiled.infos[ob[st.OB_RULE]]
        party = ob[st.OB_PARTY] if ob[st.OB_PARTY] is not None else info.party_name  # unnamed: the profile's
        self.reporter.found(
            out, info, kind, case_id, ORPHAN in self._contexts[case_id],
            ob[st.OB_EVENT], ob[st.OB_DAY], party=party, mitigated=ob[st.OB_MITIGATED],
            rows=[ob[st.OB_SEQ]], as_of_ns=as_of_ns, **due)

    def _settle(self, ob: Obligation) -> None:
        """A missing (C4) obligation, once reported, has nothing more to say: drop it."""
        del self.unsettled[ob[st.OB_ID]]
        self.n_obligations -= 1
        cases, case_id, rule = self._cases, ob[st.OB_CASE], ob[st.OB_RULE]
        obligations = cases.open[case_id]
        open_here = obligations[rule]
        open_here.remove(ob)
        if not open_here:
            del obligations[rule]
            if not obligations:
                del cases.open[case_id]
                cases.close(case_id, cases.contexts[case_id])

    def schedule(self, ob: Obligation) -> None:
        """Put an open obligation with a due day on the heap (compacting it when mostly stale)."""
        key = ob[st.OB_ID]
        self.pending[key] = ob
        heapq.heappush(self.heap, (ob[st.OB_DUE_END], key))
        if self.stale > 4096 and self.stale * 2 > len(self.heap):
            self.compact()

    def compact(self) -> None:
        """Drop the heap's stale entries (those of obligations fulfilled, reported or moved since)."""
        pending = self.pending
        self.heap = [e for e in self.heap if e[1] in pending and pending[e[1]][st.OB_DUE_END] == e[0]]
        heapq.heapify(self.heap)
        self.stale = 0

    def undated(self, rule_id: str, attribute: str, blank: str = "undated") -> None:
        """Count an act a lead-time or retention rule could not judge: the date it counts from is blank
        (the batch's ``blank_date`` note); or, ``blank="unstated"``, an extension granted with its days blank
        (``blank_extension``). Kept in the counts, so a snapshot of format 3 still restores."""
        counted = self._counts.setdefault(blank, {})  # type: ignore[arg-type]
        counted[rule_id] = (attribute, counted.get(rule_id, (attribute, 0))[1] + 1)  # type: ignore[union-attr]

    def set_now(self, ns: int) -> None:
        """Move the clock (an ``advance``, a restore; ``push`` does it inline)."""
        self._now = ns
        self._ahead_from = NOT_GUARDED if ns == NEVER else ns + self._ahead_span

    def _too_far_ahead(self, seq: int, t: int, case_id: str, strict: bool) -> list:
        counts = self._counts
        counts["too_far_ahead"] = counts.get("too_far_ahead", 0) + 1  # (a snapshot of format 3 has no such key)
        reason = too_far_ahead_reason(self.reporter.iso, t, self._now, self._options["max_ahead_days"])
        return self._reject(seq, reason, case_id, strict)

    def _out_of_order(self, seq: int, t: int, case_id: str, strict: bool) -> list:
        self._counts["out_of_order"] += 1
        return self._reject(seq, out_of_order_reason(self.reporter.iso, t, self._now), case_id, strict)

    def _reject(self, seq: int, reason: str, case_id: str | None, strict: bool) -> list:
        self._counts["rejected"] += 1
        # the push number alone made a platform count its pushes to find the event; the case is what it looks up
        rejection: dict[str, Any] = {"row": seq, "reason": reason}
        if case_id is not None:
            rejection["case_id"] = case_id
        self._rejected.append(rejection)
        if strict:  # recorded and counted all the same: stats() and rejected do not depend on how it was pushed
            raise RejectedEvent(rejection)
        return []

    # -- what it knows ----------------------------------------------------------------
    @property
    def now(self) -> str | None:
        """The monitor's current time (latest event pushed or time advanced to), ISO +08:00."""
        return None if self._now == NEVER else self.reporter.iso(self._now)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        """The latest rejected events, ``{"row": push number, "reason": ..., "case_id": ...}`` (bounded; all
        are counted). ``case_id`` is the case as read, or the text given when the event could not be read;
        absent when the event named none."""
        return list(self._rejected)

    def stats(self) -> dict[str, Any]:
        counts = self._counts
        return {
            "open_cases": len(self._cases.open),
            "open_obligations": self.n_obligations,
            "cached_closed_cases": self._cases.cached,
            "evicted_cases": self._cases.evictions,
            "heap_entries": len(self.heap),
            "events_pushed": self._pushed,
            "accepted": self._pushed - counts["rejected"] - counts["duplicates"],
            "rejected": counts["rejected"],
            "duplicates": counts["duplicates"],
            "out_of_order": counts["out_of_order"],
            "too_far_ahead": counts.get("too_far_ahead", 0),
            "violations": counts["violations"],
            "outside_validity": sum(self.reporter.outside.values()),
            "now": self.now,
        }

    def notes(self) -> list[dict[str, str]]:
        """The batch's notes for what was seen: duplicates, drafts, trial measures, C6 counts, calendar
        coverage, blank dates; and the monitor's own (rules it skips, evicted cases)."""
        from .notes import monitor_notes

        return monitor_notes(self)

    # -- stop and restart (snapshot.py) ---------------------------------------------
    def snapshot(self) -> bytes:
        """The whole state as bytes (pickle): restore with ``Monitor.restore(profile, data)``.

        Only restore snapshots you made: unpickling runs code from the data.
        """
        from .snapshot import snapshot

        return snapshot(self)

    @classmethod
    def restore(cls, profile: Any, data: bytes) -> Monitor:
        from .snapshot import restore

        return restore(cls, profile, data)

    def __reduce__(self) -> tuple[Any, ...]:
        from .snapshot import reduce

        return reduce(self)

    def __repr__(self) -> str:
        s = self.stats()
        return (f"<Monitor {self.profile.name} at {s['now']}: {s['open_cases']} open cases, "
                f"{s['open_obligations']} open obligations, {s['events_pushed']} pushed>")


def _push_order(v: dict[str, Any]) -> tuple[str, str]:
    return v["rule_id"], v["kind"]


def _advance_order(v: dict[str, Any]) -> tuple[str, int, str, str]:
    return v["case_id"], v["evidence_rows"][0], v["rule_id"], v["kind"]


def _unpickle(profile_file: str, data: bytes) -> Monitor:
    """A monitor pickled before snapshot.py held this (its pickle names this function)."""
    from .snapshot import unpickle

    return unpickle(profile_file, data)

