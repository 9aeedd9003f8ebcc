"""A profile's rules prepared once for streaming: handlers indexed by event name."""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable
from typing import Any

from ..vocabulary import EVENTS
from .acts import LeadTime, Prohibited, Required, Retention, check_due_attribute
from .basics import EQ_IN, DayMath, Unsupported
from .findings import RuleInfo
from .kinds import Deadline, Handler, Precondition, Waiting

Precheck = Callable[[Any, dict[str, Any]], "str | None"]
# on_<role>(mon, case, name, t, day, attrs, seq, out)
Entry = Callable[..., None]


HANDLERS: dict[str, type[Handler]] = {
    "deadline": Deadline, "waiting": Waiting, "precondition": Precondition, "prohibited": Prohibited,
    "required": Required, "lead_time": LeadTime, "retention": Retention,
}


class Compiled:
    """Per profile: the event index, the attributes a case must remember, the day arithmetic."""

    def __init__(self, profile: Any) -> None:
        self.infos: list[RuleInfo] = []
        self.skipped: list[str] = []
        handlers: list[Handler] = []
        for i, rule in enumerate(profile.rules):
            info = RuleInfo(i, rule, profile)
            self.infos.append(info)
            try:
                handlers.append(HANDLERS[rule.kind](info, rule))
            except Unsupported as exc:
                self.skipped.append(str(exc))

        index: dict[str, list[tuple[int, Entry, Any]]] = {}
        prechecks: dict[str, list[Precheck]] = {}
        tracked: set[str] = set()
        for handler in handlers:
            roles = handler.matches()
            names: set[str] = set()
            for match in roles.values():
                names |= set(EVENTS) if match.event == "*" else {match.event}
                tracked.update(attribute for attribute, _, _ in match.case_when)
            for name in names:
                # the roles this event plays in the rule, in the order they apply
                played = [role for role in handler.roles if role in roles and roles[role].event in (name, "*")]
                steps = [getattr(handler, f"on_{role}") for role in played]
                only = roles[played[0]] if len(played) == 1 else None
                index.setdefault(name, []).append((handler.index, _chain(steps), only))
            if handler.info.party_attr:
                tracked.add(handler.info.party_attr)
            # dates a rule counts working days on must lie on the calendar (the batch would raise)
            if isinstance(handler, LeadTime):
                for name in _names(handler.act.event):
                    prechecks.setdefault(name, []).append(handler.precheck)
            if isinstance(handler, Deadline) and handler.due_attribute:
                for name in _names(handler.trigger.event):
                    prechecks.setdefault(name, []).append(
                        lambda mon, attrs, h=handler: check_due_attribute(h, attrs))
        self.index = {name: _dispatch(entries) for name, entries in index.items()}
        self.prechecks = {name: tuple(checks) for name, checks in prechecks.items()}
        self.tracked = tuple(sorted(tracked))
        self.days = DayMath(profile.calendar)
        self.digest = profile_digest(profile)


Dispatch = tuple[tuple[Entry, ...], tuple[tuple[str, dict[Any, tuple[Entry, ...]]], ...]]


def _dispatch(entries: list[tuple[int, Entry, Any]]) -> Dispatch:
    """An event's entries: those always called, and those keyed by the one value they test.

    A rule whose single role for this event tests one attribute for equality
    (``category: conditional``, ``outcome: pass``) is reached through a table
    from that attribute's value, so a push pays one lookup for all the rules
    it does not concern. Each entry still checks its own conditions.
    """
    always: list[Entry] = []
    keyed: dict[str, dict[Any, list[Entry]]] = {}
    for _, entry, match in sorted(entries, key=lambda e: e[0]):  # rule order: stable findings
        simple = match is not None and not match.case_when and len(match.when) == 1 and match.when[0][1] == EQ_IN
        if not simple:
            always.append(entry)
            continue
        attribute, _, wanted = match.when[0]
        table = keyed.setdefault(attribute, {})
        for value in wanted:
            table.setdefault(value, []).append(entry)
    return tuple(always), tuple(
        (attribute, {value: tuple(found) for value, found in table.items()}) for attribute, table in keyed.items()
    )


def _chain(steps: list[Entry]) -> Entry:
    """One step is called as is; several (an event playing two roles in a rule) one after the other."""
    if len(steps) == 1:
        return steps[0]

    def chained(*args: Any) -> None:
        for step in steps:
            step(*args)

    return chained


def _names(event: str) -> list[str]:
    return list(EVENTS) if event == "*" else [event]


def profile_digest(profile: Any) -> str:
    """What a snapshot must be restored against: rules, parties, documents, penalties, calendar."""
    spec = profile.spec
    body = {
        "name": profile.name,
        "rules": [rule.model_dump(mode="json") for rule in profile.rules],
        "spec": spec.model_dump(mode="json", include={
            "documents", "parties", "penalties", "mitigation", "calendar", "enforce_validity"}),
    }
    # calendar paths are machine paths; the days themselves are what counts
    body["spec"].pop("calendar", None)
    calendar = profile.calendar
    days = hashlib.sha256(calendar.work_mask.tobytes()).hexdigest()
    text = json.dumps([body, days], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_COMPILED: weakref.WeakKeyDictionary[Any, Compiled] = weakref.WeakKeyDictionary()


def compiled_for(profile: Any) -> Compiled:
    """Compiled once per profile object and shared by its monitors."""
    found = _COMPILED.get(profile)
    if found is None:
        found = _COMPILED[profile] = Compiled(profile)
    return found
