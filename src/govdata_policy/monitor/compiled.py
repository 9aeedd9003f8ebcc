"""A profile's rules prepared once for streaming: handlers indexed by event name."""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable
from typing import Any

from ..vocabulary import EVENTS
from .findings import RuleInfo
from .kinds import HANDLERS, DayMath, Deadline, Handler, LeadTime, Unsupported, check_due_attribute

Precheck = Callable[[Any, dict[str, Any]], "str | None"]
# on_<role>(mon, case, name, t, day, attrs, seq, out)
Entry = Callable[..., None]


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

        index: dict[str, list[tuple[int, Entry]]] = {}
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
                steps = [getattr(handler, f"on_{role}") for role in handler.roles
                         if role in roles and roles[role].event in (name, "*")]
                index.setdefault(name, []).append((handler.index, _chain(steps)))
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
        # rule order within each event, so findings come out in a stable order
        self.index = {
            name: tuple(entry for _, entry in sorted(entries, key=lambda e: e[0])) for name, entries in index.items()
        }
        self.prechecks = {name: tuple(checks) for name, checks in prechecks.items()}
        self.tracked = frozenset(tracked)
        self.days = DayMath(profile.calendar)
        self.digest = profile_digest(profile)


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
