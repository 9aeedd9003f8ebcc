"""The plan: processes and their steps, read off a profile's rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govdata_policy.vocabulary import (
    EVENTS,
    ROLES,
)

from .settings import DEFAULT_STEP_RATE, PROCESS_WEIGHT, STEP_RATE


@dataclass
class Link:
    """How a step's time follows an earlier step (its anchor)."""

    anchor: int | None  # index of the anchor step; None for the first step
    kind: str  # "deadline" | "waiting" | "due_attribute" | "free"
    unit: str = "none"  # period unit of the rule linking them
    days: int = 0


@dataclass
class Step:
    event: str
    rate: float
    link: Link
    role: str  # actor_role of the step
    attributes: list[str] = field(default_factory=list)  # attributes carried by this step
    gated_by: list[Any] = field(default_factory=list)  # deadline rules whose trigger makes this step due
    precondition: list[Any] = field(default_factory=list)  # precondition rules acting on this step


@dataclass
class Process:
    name: str
    weight: float
    steps: list[Step]


def process_of(event: str) -> str:
    prefix = event.split(".", 1)[0]
    if event.startswith("catalog.offline_"):
        return "catalog_offline"
    if event in ("conduct.rectification_ordered", "conduct.rectified"):
        return "rectification"
    if event == "conduct.log_deleted":
        return "log"
    return prefix


def rule_matches(rule: Any) -> list[tuple[str, Any]]:
    """(role of the match in the rule, EventMatch) for every event a rule names."""
    found = []
    for name in ("trigger", "fulfil", "act", "requires", "since"):
        match = getattr(rule, name, None)
        if match is not None:
            found.append((name, match))
    extension = getattr(rule, "extension", None)
    if extension is not None:
        found.append(("extension", extension.event))
    return found


def build_plan(profile: Any) -> list[Process]:
    """The processes a profile's rules describe, each a list of steps in vocabulary order."""
    rules = list(profile.rules)
    events: set[str] = set()
    for rule in rules:
        events.update(m.event for _, m in rule_matches(rule) if m.event != "*")
    order = {name: i for i, name in enumerate(EVENTS)}
    by_process: dict[str, list[str]] = {}
    for event in sorted(events, key=order.__getitem__):
        by_process.setdefault(process_of(event), []).append(event)
    for names in by_process.values():
        _respect_rules(names, rules)
    # conduct acts are independent findings, one per case: each its own one-step process
    processes: list[Process] = []
    conduct = by_process.pop("conduct", [])
    for name, names in by_process.items():
        processes.append(Process(name, PROCESS_WEIGHT.get(name, 0.02), _steps(names, rules)))
    for event in conduct:
        processes.append(Process(f"conduct:{event}", PROCESS_WEIGHT["conduct"] / len(conduct), _steps([event], rules)))
    total = sum(p.weight for p in processes)
    for p in processes:
        p.weight /= total
    return processes


def _respect_rules(names: list[str], rules: list[Any]) -> None:
    """Vocabulary order, except that what a rule puts after an event comes after it.

    Xinzhou notifies users after a resource goes offline, Guangxi before: the
    deadline (trigger -> fulfil) and waiting (trigger -> act) rules say which.
    """
    pairs = []
    for rule in rules:
        if rule.kind == "deadline":
            pairs.append((rule.trigger.event, rule.fulfil.event))
        elif rule.kind == "waiting":
            pairs.append((rule.trigger.event, rule.act.event))
        elif rule.kind == "precondition":
            pairs.append((rule.requires.event, rule.act.event))
    for _ in range(len(names) * len(pairs) + 1):
        moved = False
        for before, after in pairs:
            if before in names and after in names and names.index(after) < names.index(before):
                names.remove(after)
                names.insert(names.index(before) + 1, after)
                moved = True
        if not moved:
            return


def _steps(names: list[str], rules: list[Any]) -> list[Step]:
    steps: list[Step] = []
    index = {name: i for i, name in enumerate(names)}
    for i, event in enumerate(names):
        link = Link(None, "free") if i == 0 else Link(i - 1, "free")
        gated: list[Any] = []
        pre: list[Any] = []
        role = None
        attributes: list[str] = []
        only_prohibited = True
        for rule in rules:
            for part, match in rule_matches(rule):
                if match.event != event:
                    continue
                attributes.extend(match.when)
                if rule.kind != "prohibited":
                    only_prohibited = False
                if part in ("fulfil", "act") and role is None:
                    role = rule.obligor_role
                if part == "act" and rule.kind == "precondition":
                    pre.append(rule)
                if part == "act" and rule.kind in ("required", "lead_time", "retention"):
                    attributes.extend(_required_attributes(rule))
                anchor = _anchor_of(rule, part, index, i)
                if anchor is None:
                    continue
                kind, unit, days = rule_timing(rule)
                # the tightest rule decides the timing; deadlines before free links
                if link.kind == "free" or (kind != "free" and days < link.days):
                    link = Link(anchor, kind, unit, days)
                if kind in ("deadline", "due_attribute"):
                    gated.append(rule)
                    if rule.due_attribute:
                        steps[anchor].attributes.append(rule.due_attribute)
            if rule.kind == "deadline" and rule.trigger.event == event:
                only_prohibited = False
        if i == 0:
            rate = 1.0
        elif event in STEP_RATE:
            rate = STEP_RATE[event]
        elif only_prohibited:
            rate = 0.02
        else:
            rate = DEFAULT_STEP_RATE
        role = role if role in ROLES else "department"  # obligor "actor": whoever acted
        steps.append(Step(event, rate, link, role, list(dict.fromkeys(attributes)), gated, pre))
    # what the case knows (case_when) and who acts are set on the first step
    first = steps[0]
    for rule in rules:
        if any(m.event in index for _, m in rule_matches(rule)):
            for _, match in rule_matches(rule):
                first.attributes.extend(match.case_when)
    first.attributes.extend(_descriptive(names[0]))
    first.attributes = list(dict.fromkeys(first.attributes))
    return steps


def _anchor_of(rule: Any, part: str, index: dict[str, int], here: int) -> int | None:
    """The earlier step a rule ties this step's time to."""
    source = None
    if rule.kind == "deadline" and part == "fulfil":
        source = rule.trigger.event
    elif rule.kind == "waiting" and part == "act":
        source = rule.trigger.event
    if source is None or source not in index or index[source] >= here:
        return None
    return index[source]


def rule_timing(rule: Any) -> tuple[str, str, int]:
    if rule.kind == "deadline" and rule.due_attribute:
        return "due_attribute", "calendar_days", 0
    period = rule.period
    kind = "deadline" if rule.kind == "deadline" else "waiting"
    if period is None or period.unit == "none":
        return kind, "none", 10**6 if kind == "waiting" else 10**5
    return kind, period.unit, int(period.days or 0)


def _required_attributes(rule: Any) -> list[str]:
    if rule.kind == "lead_time":
        return [rule.date_attribute]
    if rule.kind == "retention":
        return [rule.created_attribute]
    need = rule.require
    names = list(need.all_present or need.any_present or [])
    names += list((need.maximum or {}).keys()) + list((need.valid_format or {}).keys())
    return names


def _descriptive(first_event: str) -> list[str]:
    if first_event.startswith(("share.", "open.")):
        return ["requester", "provider", "resource", "purpose", "subject_id"]
    if first_event.startswith(("catalog.", "resource.", "quality.", "data.")):
        return ["provider", "resource"]
    return []


