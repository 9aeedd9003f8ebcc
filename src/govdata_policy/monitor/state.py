"""What a monitor remembers: cases, open obligations, a bounded cache of closed cases.

Memory is proportional to what is still open plus a fixed bound:

* every case remembered has a context: one dict holding the latest value of
  each field the case has carried (what ``case_when`` conditions and
  responsible parties read), under int keys the marks of waiting and
  precondition rules (latest trigger, ``requires`` and ``since`` events) and
  the case's own bookkeeping (``LAST_NS`` .. ``ORPHAN`` below);
* a case is open while it has open obligations (``Cases.open``); one with
  none is in the recently-closed cache, whose order of last activity
  (``Cases.order``) decides eviction;
* past the cache's bound the case with the oldest last activity is evicted and
  its id is remembered in a Bloom filter of two generations (``EvictedFilter``),
  so a later event of it can be flagged as judged without context.

A context holds only atomic values (str, int, bool and tuples of str), so
Python's cyclic garbage collector does not track it: a collection walks a
few dicts, not an object per remembered case. The heap's entries are tuples of
ints, untracked too; open obligations (lists, in dicts by case and rule) are
the only per-case objects it walks, and only while they are open. (The
monitor updates the closed cases' order of activity itself, in ``push``.)
"""

from __future__ import annotations

import hashlib
from typing import Any

# context keys besides the field names (str) and the marks (rule index * 4 + slot >= 0)
LAST_NS = -1  # the case's latest event: its time,
LAST_NAME = -2  # its event name
LAST_KEYS = -3  # and its field names (their values are the context's own: see Cases.last_fields)
STAMP = -4  # a closed case's last activity (its key in Cases.order)
ORPHAN = -5  # present when the case was created for an id the cache had evicted: earlier context lost
TOTALS = -1000  # maximum_total sums so far: the j-th attribute of rule i at TOTALS - 64 * i - j (flat ints,
# not a dict in the context, which made every such case's context one the garbage collector walks)

# an obligation (one trigger waiting for its first fulfilment) is a list:
# [id (trigger push number * number of rules + rule index), rule index, case id, trigger ns, trigger day,
#  trigger push number, trigger event,
#  due day before extensions, extension days granted, due day, end of the due day (ns), party, mitigated]
# due day None: C4 (no period) or a due attribute that was not given
OB_ID, OB_RULE, OB_CASE, OB_NS, OB_DAY, OB_SEQ, OB_EVENT, OB_BASE_DUE, OB_EXTRA, OB_DUE, OB_DUE_END, OB_PARTY, \
    OB_MITIGATED = range(13)
Obligation = list


class Cases:
    """Contexts of the cases remembered, their open obligations, the recently-closed cache's order.

    ``contexts``: case id -> context (open and cached closed cases). ``open``:
    case id -> rule index -> open obligations (a case is open while it is
    here). ``order``: stamp -> case id of the closed cases, least recently
    active (an event, or closing at an ``advance``) first; ``oldest`` is a
    cursor below which no stamp is left. ``same_time``: the events at a case's
    latest time when there are several (rare), for recognising duplicates.
    """

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("closed_cache_size must be >= 0")
        self.size = size
        self.contexts: dict[str, dict[Any, Any]] = {}
        self.open: dict[str, dict[int, list[Obligation]]] = {}
        self.order: dict[int, str] = {}
        self.stamp = 0  # the next stamp
        self.oldest = 0
        self.same_time: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.evicted = EvictedFilter()
        self.evictions = 0

    @property
    def cached(self) -> int:
        return len(self.order)

    def close(self, case_id: str, ctx: dict[Any, Any]) -> None:
        """A case without open obligations (new, or just closed): the most recently active closed one."""
        stamp = self.stamp
        self.stamp = stamp + 1
        self.order[stamp] = case_id
        ctx[STAMP] = stamp
        if len(self.order) > self.size:
            self.evict()

    def reopen(self, ctx: dict[Any, Any]) -> None:
        """A closed case has open obligations again: out of the cache's order (the cases stay)."""
        del self.order[ctx.pop(STAMP)]

    def evict(self) -> None:
        """The least recently active closed case goes (its id into the Bloom filter)."""
        order = self.order
        while True:  # the cursor passes each stamp once: amortised O(1)
            case_id = order.pop(self.oldest, None)
            self.oldest += 1
            if case_id is not None:
                break
        del self.contexts[case_id]
        if self.same_time:
            self.same_time.pop(case_id, None)
        self.evicted.add(case_id)
        self.evictions += 1

    def last_fields(self, case_id: str, ctx: dict[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
        """The events (name, fields) at the case's latest time, to recognise a resent one."""
        found = self.same_time.get(case_id) if self.same_time else None
        if found is not None:
            return found
        # one event at that time: it was the last to update the context, which still holds its values
        return [(ctx[LAST_NAME], {key: ctx[key] for key in ctx[LAST_KEYS]})]

    def same_time_event(self, case_id: str, ctx: dict[Any, Any], name: str, attrs: dict[str, Any]) -> None:
        """Another event of the case at its latest time (before the context takes its values)."""
        events = self.last_fields(case_id, ctx)
        events.append((name, attrs))
        self.same_time[case_id] = events


class EvictedFilter:
    """Evicted case ids, in two generations of Bloom filter (each 3 hashes over 2**24 bits = 2 MiB, made on
    first use), so that it forgets: one that never did took more and more new ids for evicted ones as a
    long-running monitor went on evicting (28% of them after six million evictions).

    Ids go into the current generation; once it holds ``CAPACITY`` ids it becomes the old one (the old one
    before it is dropped) and an empty one starts. An id is in the filter while either generation holds it:
    an evicted id is never missed for the next ``CAPACITY`` evictions (it is forgotten after between one and
    two times that many). Each generation holds at most ``CAPACITY`` ids, so an unseen id is wrongly taken
    for an evicted one with probability at most 2 * (1 - exp(-3 * CAPACITY / 2**24)) ** 3 (about 1 in 800),
    however long the monitor runs. The hash is stable across processes, so snapshots keep the filter; a
    generation is laid out as the one-generation filter before it was, so that one's bits restore as the old
    generation (``__setstate__``).
    """

    BITS = 1 << 24
    MASK = BITS - 1
    CAPACITY = 500_000

    def __init__(self) -> None:
        self.current: bytearray | None = None
        self.current_count = 0
        self.old: bytearray | None = None

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A filter from a snapshot of either format. One of the one-generation format (``bits``, ``count``)
        becomes the old generation if it holds at most ``CAPACITY`` ids, and is dropped if it holds more: its
        rate of wrong matches would exceed a generation's (the ids it held are then forgotten)."""
        if "bits" not in state:
            self.__dict__.update(state)
            return
        self.__init__()  # type: ignore[misc]
        if state["count"] <= self.CAPACITY:
            self.old = state["bits"]

    def _positions(self, case_id: str) -> tuple[int, int, int]:
        # 72 stable bits, three 24-bit positions (Python's own str hash differs per process)
        x = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8", "surrogatepass"), digest_size=9).digest())
        mask = self.MASK
        return x & mask, (x >> 24) & mask, x >> 48

    def add(self, case_id: str) -> None:
        if self.current_count >= self.CAPACITY:  # full: it becomes the old generation
            self.old, self.current, self.current_count = self.current, None, 0
        if self.current is None:
            self.current = bytearray(self.BITS >> 3)
        bits = self.current
        for p in self._positions(case_id):
            bits[p >> 3] |= 1 << (p & 7)
        self.current_count += 1

    def __contains__(self, case_id: str) -> bool:
        if self.current is None and self.old is None:
            return False
        a, b, c = self._positions(case_id)
        for bits in (self.current, self.old):
            if bits is not None and bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7)) \
                    and bits[c >> 3] & (1 << (c & 7)):
                return True
        return False
