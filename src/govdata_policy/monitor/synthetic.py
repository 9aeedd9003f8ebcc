"""Synthetic event logs drawn from a profile's own rules, for tests and load benchmarks.

Every process (rule topic) a profile's rules use becomes a case template: the
events its rules name as trigger, fulfilment, extension, act, requirement or
``since``, and the attribute values their conditions test (plus other allowed
values and gaps). Cases get random gaps of 0-40 days, so periods cross
weekends, holidays and make-up working days. Times within a case strictly
increase; an event may be repeated exactly (a duplicate) or carry a value the
batch validator rejects. Everything is plain Python driven by one
``random.Random``, so a hypothesis-provided generator reproduces and shrinks it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Iterator
from typing import Any

from ..timeutil import NS_PER_DAY, OFFSET_NS
from ..vocabulary import (
    BOOL_ATTRIBUTES,
    CATEGORY_BY_PREFIX,
    ENUM_ATTRIBUTES,
    INT_ATTRIBUTES,
    TIME_ATTRIBUTES,
    allowed_values,
)

NS_PER_SECOND = 10**9
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAMES = ("市公安局", "市卫健委", "自治区大数据局", "市自然资源局", "县民政局")
_TEXTS = ("依据《数据安全法》第二十一条", "业务需要", "仅限本部门使用")
# GB 11643 resident ids and GB 32100 credit codes: valid ones and one broken check digit
_IDS = ("11010519491231002X", "440524188001010014", "91350100M000100Y43", "110105194912310021", "ABC")


def _matches(rule: Any) -> dict[str, Any]:
    """The EventMatch of each role a rule names."""
    found: dict[str, Any] = {}
    for role in ("trigger", "fulfil", "act", "requires", "since"):
        match = getattr(rule, role, None)
        if match is not None:
            found[role] = match
    extension = getattr(rule, "extension", None)
    if extension is not None:
        found["extension"] = extension.event
    for number, match in enumerate(getattr(rule, "also_fulfilled_by", [])):  # the further events that answer
        found[f"also_fulfilled_by.{number}"] = match
    return found


class LogGenerator:
    """Random logs for one profile: ``case(case_id, start_ns)`` and ``log(n_cases)``."""

    def __init__(
        self, profile: Any, rng: random.Random, *, first: dt.date = dt.date(2022, 1, 1),
        last: dt.date = dt.date(2026, 6, 30), invalid_rate: float = 0.02, duplicate_rate: float = 0.03,
    ) -> None:
        self.rng = rng
        self.first_ns = self._ns(first)
        self.last_ns = self._ns(last)
        self.invalid_rate = invalid_rate
        self.duplicate_rate = duplicate_rate
        self.processes: dict[str, list[str]] = {}  # topic -> event names
        self.event_attrs: dict[str, set[str]] = {}  # event -> attributes worth setting on it
        self.values: dict[str, list[Any]] = {}  # attribute -> values conditions test
        self.case_attrs: set[str] = set()
        any_event_attrs: set[str] = set()
        for rule in profile.rules:
            events = self.processes.setdefault(rule.topic, [])
            for match in _matches(rule).values():
                if match.event == "*":
                    any_event_attrs.update(match.when)
                    continue
                if match.event not in events:
                    events.append(match.event)
                attrs = self.event_attrs.setdefault(match.event, set())
                attrs.update(match.when)
                self.case_attrs.update(match.case_when)
                for conditions in (match.when, match.case_when):
                    for attribute, condition in conditions.items():
                        self.values.setdefault(attribute, []).extend(condition.values())
            attrs = self.event_attrs.setdefault(getattr(getattr(rule, "act", None), "event", ""), set())
            need = getattr(rule, "require", None)
            if need is not None:
                for names in (need.all_present, need.any_present, need.maximum, need.maximum_total, need.valid_format):
                    attrs.update(names or ())
            for field in ("date_attribute", "created_attribute"):
                if getattr(rule, field, None):
                    attrs.add(getattr(rule, field))
            if getattr(rule, "due_attribute", None):
                self.event_attrs.setdefault(rule.trigger.event, set()).add(rule.due_attribute)
            if getattr(rule, "extension", None) is not None:
                self.event_attrs.setdefault(rule.extension.event.event, set()).add(rule.extension.attribute)
        for _role, party in profile.spec.parties.items():
            if party.attribute:
                self.case_attrs.add(party.attribute)
        self.any_event_attrs = any_event_attrs
        self.mitigation = profile.spec.mitigation.attribute if profile.spec.mitigation else None
        self.topics = sorted(t for t, events in self.processes.items() if events)

    @staticmethod
    def _ns(day: dt.date) -> int:
        return (day.toordinal() - _EPOCH_ORDINAL) * NS_PER_DAY - OFFSET_NS

    # -- values -------------------------------------------------------------------------
    def value(self, attribute: str, event: str, t: int) -> Any:
        rng = self.rng
        if rng.random() < 0.2:
            return None
        tested = self.values.get(attribute)
        if tested and rng.random() < 0.6:
            return rng.choice(tested)
        if attribute in BOOL_ATTRIBUTES:
            return rng.choice((True, False, "是", "否", "true"))
        if attribute in INT_ATTRIBUTES:
            return rng.choice((rng.randint(0, 20), str(rng.randint(0, 20))))
        if attribute in TIME_ATTRIBUTES:
            if attribute == "log_created_at":
                when = t - rng.randint(0, 5 * 366) * NS_PER_DAY
            else:
                when = t + rng.randint(-5, 80) * NS_PER_DAY
            return self.time_text(when)
        if attribute == "category":
            prefix = next((p for p in CATEGORY_BY_PREFIX if event.startswith(p)), None)
            return rng.choice(CATEGORY_BY_PREFIX[prefix]) if prefix else rng.choice(_TEXTS)
        if attribute in ENUM_ATTRIBUTES:
            word = rng.choice(allowed_values(attribute, event) or ENUM_ATTRIBUTES[attribute])  # outcome: the event's
            return word.upper() if rng.random() < 0.1 else word  # canonicalised by the validator
        if attribute == "subject_id":
            return rng.choice(_IDS)
        if attribute in ("provider", "requester", "actor"):
            return rng.choice(_NAMES)
        return rng.choice(_TEXTS)

    def time_text(self, ns: int) -> str:
        seconds = (ns + OFFSET_NS) // NS_PER_SECOND
        day, rest = divmod(seconds, 86_400)
        date = dt.date.fromordinal(day + _EPOCH_ORDINAL)
        h, m, s = rest // 3600, rest // 60 % 60, rest % 60
        form = self.rng.random()
        if form < 0.8:
            return f"{date.isoformat()} {h:02d}:{m:02d}:{s:02d}"
        if form < 0.9:
            return f"{date.isoformat()}T{h:02d}:{m:02d}:{s:02d}+08:00"
        if s == 0:
            return f"{date.year}/{date.month}/{date.day} {h}:{m:02d}"
        return f"{date.year}年{date.month}月{date.day}日 {h:02d}:{m:02d}:{s:02d}"

    # -- cases ----------------------------------------------------------------------------
    def case(self, case_id: str, start_ns: int, length: int | None = None) -> list[tuple[int, dict[str, Any]]]:
        """One case's events as (time ns, event dict), strictly increasing in time."""
        rng = self.rng
        events = self.processes[rng.choice(self.topics)]
        length = length or rng.randint(1, 8)
        t = start_ns
        out: list[tuple[int, dict[str, Any]]] = []
        for i in range(length):
            if i:
                t += rng.choice((0, 0, 1, 2, 3, 5, 10, 20, 40)) * NS_PER_DAY + rng.randint(1, 36_000) * NS_PER_SECOND
            name = events[0] if i == 0 and rng.random() < 0.6 else rng.choice(events)
            event: dict[str, Any] = {"case_id": case_id, "event": name, "time": self.time_text(t)}
            attributes = set(self.event_attrs.get(name, ()))
            if i == 0 or rng.random() < 0.2:
                attributes |= self.case_attrs
            if rng.random() < 0.3:
                attributes |= self.any_event_attrs
            if rng.random() < 0.3:
                attributes |= {"actor", "actor_role"}
            if self.mitigation and rng.random() < 0.1:
                attributes.add(self.mitigation)
            for attribute in sorted(attributes):
                value = self.value(attribute, name, t)
                if value is not None:
                    event[attribute] = value
            if rng.random() < self.invalid_rate:
                self._spoil(event)
            out.append((t, event))
            if rng.random() < self.duplicate_rate:
                out.append((t, dict(event)))
        return out

    def _spoil(self, event: dict[str, Any]) -> None:
        """A value the batch validator rejects, with its reason."""
        choice = self.rng.randrange(4)
        if choice == 0:
            event["event"] = event["event"].replace(".", "_")
        elif choice == 1:
            event["outcome"] = "maybe"
        elif choice == 2:
            event["emergency"] = "perhaps"
        else:
            event["time"] = event["time"].replace("-", "/").replace(" ", "T") + "x"

    def log(self, n_cases: int, prefix: str = "C") -> list[tuple[int, dict[str, Any]]]:
        """Several cases interleaved, sorted by time (stable): [(time ns, event dict)]."""
        rng = self.rng
        found: list[tuple[int, dict[str, Any]]] = []
        for i in range(n_cases):
            found.extend(self.case(f"{prefix}{i}", rng.randint(self.first_ns, self.last_ns)))
        found.sort(key=lambda item: item[0])
        return found

    def stream(self, n_events: int, open_cases: int | None = None, prefix: str = "S") -> Iterator[dict[str, Any]]:
        """A long stream in time order with about ``open_cases`` cases in flight at once.

        Cases start at the current time and replay their own gaps; the event
        due first comes next, so time never goes back. The default number in
        flight grows with the stream so that it spans a few years, not decades.
        """
        rng = self.rng
        in_flight = open_cases or max(1000, n_events // 100)
        t = self.first_ns
        heap: list[tuple[int, int, int, list[tuple[int, dict[str, Any]]]]] = []
        serial = 0
        for _ in range(n_events):
            while len(heap) < in_flight:
                serial += 1
                start = t + rng.randint(0, 3600) * NS_PER_SECOND
                events = self.case(f"{prefix}{serial}", start)
                heapq.heappush(heap, (events[0][0], serial, 0, events))
            when, number, i, events = heapq.heappop(heap)
            t = max(t, when)
            event = events[i][1]
            event["time"] = self.time_text(t)
            if i + 1 < len(events):
                heapq.heappush(heap, (max(events[i + 1][0], t), number, i + 1, events))
            yield event
