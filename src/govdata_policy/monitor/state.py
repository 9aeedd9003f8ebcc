"""What a monitor remembers: open cases, open obligations, a bounded cache of closed cases.

Memory is proportional to what is still open plus a fixed bound:

* a ``Case`` is kept in the open state while it has open obligations;
* a case with none moves to the recently-closed cache (``ClosedCache``), which
  keeps its small context (latest values of the attributes rules test through
  ``case_when`` or use to name the responsible party, latest times of the
  events waiting / precondition rules look back for, the events at its latest
  time, to recognise a resent one) so that a later event of the case is
  judged with that context;
* past the cache's bound the case with the oldest last activity is evicted and
  its id is remembered in a fixed-size Bloom filter (``EvictedFilter``), so a
  later event of it can be flagged as judged without context.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any


class Obligation:
    """One deadline obligation: opened by a trigger, closed by its first fulfilment."""

    __slots__ = (
        "rule", "case", "trigger_ns", "trigger_day", "trigger_seq", "trigger_event", "base_due", "extra",
        "due_day", "due_end", "party", "mitigated", "state",
    )
    OPEN, OVERDUE_REPORTED, DONE = 0, 1, 2

    def __init__(
        self, rule: int, case: Case, trigger_ns: int, trigger_day: int, trigger_seq: int, trigger_event: str,
        due_day: int | None, due_end: int | None, party: Any, mitigated: bool,
    ) -> None:
        self.rule = rule
        self.case = case
        self.trigger_ns = trigger_ns
        self.trigger_day = trigger_day
        self.trigger_seq = trigger_seq
        self.trigger_event = trigger_event
        self.base_due = due_day  # before extensions: extensions count only when approved by this day
        self.extra = 0
        self.due_day = due_day  # None: C4 (no period) or a due attribute that was not given
        self.due_end = due_end
        self.party = party
        self.mitigated = mitigated
        self.state = Obligation.OPEN

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


class Case:
    """One process instance: its context and its open obligations."""

    __slots__ = (
        "case_id", "known", "marks", "obligations", "n_open", "last_ns", "last_name", "last_attrs", "also", "orphan",
        "is_open",
    )

    def __init__(self, case_id: str, orphan: bool) -> None:
        self.case_id = case_id
        self.known: dict[str, Any] = {}  # attribute -> latest non-empty value in the case
        self.marks: dict[Any, Any] = {}  # (rule index, role) -> latest (ns, day, seq, mitigated)
        self.obligations: dict[int, list[Obligation]] = {}  # rule index -> open obligations
        self.n_open = 0
        self.last_ns = -(2**63)
        # the event at last_ns (its name and fields) and any others at that same time as
        # (name, fields): an exact repeat of one is a duplicate. Two slots rather than a tuple,
        # and no list unless needed: the garbage collector tracks a tuple holding a dict, and a
        # list, for as long as the case is remembered.
        self.last_name = ""
        self.last_attrs: dict[str, Any] | None = None
        self.also: list[tuple[str, dict[str, Any]]] | None = None
        self.orphan = orphan  # created for an id the cache had evicted: earlier context lost
        self.is_open = False

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


class ClosedCache:
    """Closed cases, least recently active first; bounded, evicting the oldest."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("closed_cache_size must be >= 0")
        self.size = size
        self.cases: OrderedDict[str, Case] = OrderedDict()
        self.evicted = EvictedFilter()
        self.evictions = 0

    def __len__(self) -> int:
        return len(self.cases)

    def put(self, case: Case) -> None:
        cases = self.cases
        cases[case.case_id] = case
        if len(cases) > self.size:
            old_id, _ = cases.popitem(last=False)
            self.evicted.add(old_id)
            self.evictions += 1


class EvictedFilter:
    """Bloom filter of evicted case ids (3 hashes over 2**24 bits = 2 MiB, made on first use).

    With a million ids in it, about 1 in 200 unseen ids is wrongly taken for an
    evicted one (and its findings get a note they did not need); an evicted id
    is never missed. The hash is stable across processes, so snapshots keep it.
    """

    BITS = 1 << 24
    MASK = BITS - 1

    def __init__(self) -> None:
        self.bits: bytearray | None = None
        self.count = 0

    def _positions(self, case_id: str) -> tuple[int, int, int]:
        # 72 stable bits, three 24-bit positions (Python's own str hash differs per process)
        x = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8", "surrogatepass"), digest_size=9).digest())
        mask = self.MASK
        return x & mask, (x >> 24) & mask, x >> 48

    def add(self, case_id: str) -> None:
        if self.bits is None:
            self.bits = bytearray(self.BITS >> 3)
        bits = self.bits
        for p in self._positions(case_id):
            bits[p >> 3] |= 1 << (p & 7)
        self.count += 1

    def __contains__(self, case_id: str) -> bool:
        bits = self.bits
        if bits is None:
            return False
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(case_id))
