"""A profile's rules prepared once for streaming: handlers indexed by event name."""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable
from typing import Any

from ..vocabulary import EVENTS
from .acts import LeadTime, Prohibited, Required, Retention, check_due_attribute
from .basics import EQ_IN, PRESENT, Condition, DayMath, Unsupported
from .findings import RuleInfo
from .kinds import Deadline, Entry, Handler
from .marks import Precondition, Waiting

Precheck = Callable[[Any, dict[str, Any]], "str | None"]


HANDLERS: dict[str, type[Handler]] = {
    "deadline": Deadline, "waiting": Waiting, "precondition": Precondition, "prohibited": Prohibited,
    "required": Required, "lead_time": LeadTime, "retention": Retention,
}


class Compiled:
    """Per profile: rule metadata, the event index, date prechecks, the day arithmetic, a digest."""

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

        days = self.days = DayMath(profile.calendar)
        index: dict[str, list[tuple[int, Entry, str, Condition | None]]] = {}
        prechecks: dict[str, list[Precheck]] = {}
        for handler in handlers:
            roles = handler.matches()
            listens = handler.events()  # a deadline's fulfil role listens to each event that answers it
            names: set[str] = set()
            for events in listens.values():
                names |= set(EVENTS) if "*" in events else events
            for name in names:
                # the roles this event plays in the rule, in the order they apply
                played = [role for role in handler.roles if role in listens and ({name, "*"} & listens[role])]
                if len(played) == 1:
                    # one role: the index can check one of its own conditions (the entry skips it)
                    # (a fulfilment is reached by its rule instead, and checks all its conditions)
                    role = played[0]
                    key = _key_condition(roles[role]) if role != "fulfil" else None
                    entry = handler.entry(role, days, key)
                else:
                    role, key = "", None
                    entry = _chain([handler.entry(role, days, None) for role in played])
                index.setdefault(name, []).append((handler.index, entry, role, key))
            # dates a rule counts working days on must lie on the calendar (the batch would raise)
            if isinstance(handler, LeadTime):
                for name in _names(handler.act.event):
                    prechecks.setdefault(name, []).append(handler.precheck)
            if isinstance(handler, Deadline) and handler.due_attribute:
                for name in _names(handler.trigger.event):
                    prechecks.setdefault(name, []).append(
                        lambda mon, attrs, h=handler: check_due_attribute(h, attrs))
        # event name -> (its prechecks, then its entries as _dispatch arranges them)
        self.index: dict[str, Dispatch] = {
            name: (tuple(prechecks.get(name, ())), *_dispatch(index.get(name, [])))
            for name in sorted(set(index) | set(prechecks))}
        self.digest = profile_digest(profile)


Dispatch = tuple[
    tuple[Precheck, ...],
    tuple[Entry, ...],
    tuple[tuple[str, dict[Any, tuple[Entry, ...]]], ...],
    tuple[tuple[str, tuple[Entry, ...]], ...],
    tuple[tuple[int, Entry], ...],
]


def _key_condition(match: Any) -> Condition | None:
    """The test of the event's own values the index checks for a role: equality first, else presence."""
    for op in (EQ_IN, PRESENT):
        for condition in match.when:
            if condition[1] == op:
                return condition
    return None


def _dispatch(entries: list[tuple[int, Entry, str, Condition | None]]) -> tuple[Any, ...]:
    """An event's entries, arranged so a push calls only those that can matter.

    * fulfilments (the event's only role in a deadline rule): by rule, called
      only for the rules the case has open obligations under;
    * a rule whose role requires an attribute of the event to equal something
      (``category: conditional``, ``outcome: pass``): through a table from
      that attribute's value; one that requires a presence
      (``subject_id: {present: true}``): only when the event carries it;
    * the rest: always.

    An entry checks the rest of its conditions itself (the others, ``case_when``).
    """
    always: list[Entry] = []
    keyed: dict[str, dict[Any, list[Entry]]] = {}
    present: dict[str, list[Entry]] = {}
    fulfils: dict[int, Entry] = {}
    for rule_index, entry, role, key in sorted(entries, key=lambda e: e[0]):  # rule order: stable findings
        if role == "fulfil":
            fulfils[rule_index] = entry
        elif key is None:
            always.append(entry)
        elif key[1] == EQ_IN:
            attribute, _, wanted = key
            table = keyed.setdefault(attribute, {})
            for value in wanted:
                table.setdefault(value, []).append(entry)
        else:
            present.setdefault(key[0], []).append(entry)
    return (
        tuple(always),
        tuple((attribute, {value: tuple(found) for value, found in table.items()})
              for attribute, table in keyed.items()),
        tuple((attribute, tuple(found)) for attribute, found in present.items()),
        tuple(fulfils.items()),
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


# rule fields added after snapshots were first taken, left out where a rule leaves them at their default:
# the digest of a profile using none is as it was before (a snapshot taken then still restores)
_LATER_FIELDS: dict[str, Any] = {"party": None, "kept_through": "instant", "also_fulfilled_by": []}


def _rule_body(rule: Any) -> dict[str, Any]:
    unused = {name for name, default in _LATER_FIELDS.items() if getattr(rule, name, default) == default}
    return rule.model_dump(mode="json", exclude=unused or None)


def profile_digest(profile: Any) -> str:
    """What a snapshot must be restored against: rules, parties, documents, penalties, calendar."""
    spec = profile.spec
    body = {
        "name": profile.name,
        "rules": [_rule_body(rule) for rule in profile.rules],
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
