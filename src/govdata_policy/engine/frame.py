"""The log, prepared once for every rule: sorted, de-duplicated, indexed by event.

Rows are put in one canonical order, (time, case, event, content), so that the
findings never depend on the order of the input rows: ties on time within a
case are broken by the event name and then by a hash of the row's content.
Exact duplicates (every column equal but the row number) are collapsed: the
first row number is kept as evidence and the count is reported in a note.

Issue 5: the sorted log is not copied up front. ``Prepared`` keeps the input
frame and the canonical order, and takes a column into that order when it is
first asked for (most rules read a few columns at a few positions); the whole
sorted ``frame`` is built only if someone asks for it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..rules.model import Condition, EventMatch
from ..timeutil import NS_PER_DAY, OFFSET_NS
from .distinct import ColumnCodes, is_text, per_distinct

ENGINE_COLUMNS = ("row", "case_id", "event", "time_ns", "day")


class Prepared:
    """Positions 0..n-1 in canonical order; ``frame`` and columns are taken from the input lazily."""

    def __init__(self, source: pd.DataFrame, order: np.ndarray, case_codes: np.ndarray,
                 by_event: dict[str, np.ndarray], duplicates: int = 0) -> None:
        self._source = source  # the input rows, in input order (not copied)
        # the source row at each canonical position, and row -1 for position -1 (none)
        self._row_at = np.append(order, -1)
        self._order = self._row_at[:-1]
        self.case_codes = case_codes  # int64 code per row, same case = same code
        self.time_ns = source["time_ns"].to_numpy(dtype=np.int64)[order]
        self.day = source["day"].to_numpy(dtype=np.int64)[order]
        self.rows = source["row"].to_numpy(dtype=np.int64)[order]  # input row numbers
        self.by_event = by_event  # event name -> positions (ascending = time order)
        self.duplicates = duplicates
        self._columns: dict[str, pd.Series] = {}
        self._known: dict[str, pd.Series] = {}
        self._latest: dict[str, np.ndarray] = {}
        self._distinct: dict[str, ColumnCodes] = {}
        self._isna: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._order)

    def case_rows(self, case_id: str, as_of_ns: int) -> tuple[np.ndarray, np.ndarray]:
        """The row numbers of the case's accepted events (those after as_of and exact duplicates included),
        in input order, and which come after as_of: one pass over the log's case ids for both."""
        mine = (self._source["case_id"].astype(str) == case_id).to_numpy(dtype=bool)
        rows = self._source["row"].to_numpy(dtype=np.int64)[mine]
        return rows, self._source["time_ns"].to_numpy(dtype=np.int64)[mine] > as_of_ns

    def dated_only_before_timed(self) -> int:
        """Events at 00:00:00 local (most likely a date written without its time of day) on a day
        their case has an event with a time: read as midnight, they come before it. A reply dated
        the day of a 09:00 request is then no answer to it; the note says so (the log alone cannot
        tell a reply at midnight from a date without a time)."""
        midnight = (self.time_ns + OFFSET_NS) % NS_PER_DAY == 0
        if not midnight.any() or midnight.all():
            return 0
        first = self.day.min()
        key = self.case_codes.astype(np.int64) * (int(self.day.max() - first) + 1) + (self.day - first)
        return int(np.isin(key[midnight], key[~midnight]).sum())

    def forget_caches(self, case_blocks: bool = True) -> None:
        """Let go of what the rules computed on the way (made again if asked for).

        issue 5: after the rules, the per-attribute positions, value codes and case
        blocks are 110 MB on a 1M-event log, resident while the findings are assembled
        and written. ``case_blocks`` False keeps the case blocks (30 MB with each place in them; the findings'
        parties are looked up through them, and making them again takes 0.06 s).
        """
        for cache in (self._columns, self._known, self._latest, self._distinct, self._isna):
            cache.clear()
        self.__dict__.pop("time_ties", None)
        if case_blocks:
            self.__dict__.pop("_by_case", None)
            self.__dict__.pop("_case_place", None)
            self.__dict__.pop("_case_tie_ends", None)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The whole log in canonical order (a copy of every column: ask for ``column`` if one is enough)."""
        return self._source.take(self._order).reset_index(drop=True)

    @property
    def columns(self) -> pd.Index:
        return self._source.columns

    def column(self, attribute: str) -> pd.Series:
        if "frame" in self.__dict__ and attribute in self.frame.columns:
            return self.frame[attribute]
        if attribute not in self._source.columns:
            return pd.Series(pd.NA, index=pd.RangeIndex(len(self)), dtype="object")
        if attribute not in self._columns:
            source = self._source[attribute]
            self._columns[attribute] = pd.Series(source.array.take(self._order), dtype=source.dtype, name=attribute)
        return self._columns[attribute]

    def at(self, attribute: str, positions: np.ndarray) -> pd.Series:
        """``column(attribute).iloc[positions]`` (index 0..k-1), without taking the whole column;
        a position of -1 gives NA."""
        if attribute not in self._source.columns:
            return pd.Series(pd.NA, index=pd.RangeIndex(len(positions)), dtype="object")
        source = self._source[attribute]
        return pd.Series(source.array.take(self._row_at[positions], allow_fill=True), dtype=source.dtype)

    def _missing(self, attribute: str) -> np.ndarray:
        """Which source rows have no value of the attribute (NA)."""
        if attribute not in self._isna:
            self._isna[attribute] = self._source[attribute].isna().to_numpy(dtype=bool)
        return self._isna[attribute]

    @cached_property
    def _by_case(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions grouped by case (time order within a case), their source rows, and each one's
        case start in that order."""
        by_case = group_order(self.case_codes)
        codes = self.case_codes[by_case]
        first = np.r_[True, codes[1:] != codes[:-1]][: len(codes)]
        return by_case, self._order[by_case], np.maximum.accumulate(np.where(first, np.arange(len(codes)), 0))

    @cached_property
    def _case_place(self) -> np.ndarray:
        """Per position, its place in case order (the inverse of ``_by_case``'s positions)."""
        by_case = self._by_case[0]
        place = np.empty(len(by_case), dtype=np.int64)
        place[by_case] = np.arange(len(by_case))
        return place

    @cached_property
    def time_ties(self) -> tuple[np.ndarray, np.ndarray]:
        """Per position, the first and the last position of its time (time ascends: a tie is a run)."""
        n = len(self)
        starts = np.r_[True, self.time_ns[1:] != self.time_ns[:-1]][:n]
        ends = np.r_[starts[1:], True][:n]
        first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
        return first, run_ends(ends)

    @cached_property
    def _case_tie_ends(self) -> np.ndarray | None:
        """In case order (``_by_case``), the last place of each place's run of events of its case at
        its time; None when no case has two events at one instant."""
        by_case = self._by_case[0]
        n = len(by_case)
        times, codes = self.time_ns[by_case], self.case_codes[by_case]
        ends = np.r_[(times[1:] != times[:-1]) | (codes[1:] != codes[:-1]), True][:n]
        return None if ends.all() else run_ends(ends)

    def latest(self, attribute: str) -> np.ndarray:
        """Per position, the position of its case's latest non-empty value of the attribute at or
        before its time; -1 if none. An event's own value is its own; one without takes the latest
        of its case up to the last event at the same instant: events at one time are simultaneous,
        whatever order the canonical sort (by event name) gave them, so a review logged at the
        minute of its request sees the request's category.

        Issue 5: a forward fill within case blocks (the running maximum of the valid
        positions, ignored where it lies before the block's start); the groupby ffill it
        replaces cost 0.1 s per attribute on 1M rows.
        """
        if attribute not in self._latest:
            latest = np.full(len(self), -1, dtype=np.int64)
            if attribute in self._source.columns:
                by_case, source_rows, starts = self._by_case
                missing = self._missing(attribute)[source_rows]
                last = np.maximum.accumulate(np.where(missing, -1, np.arange(len(by_case))))
                ends = self._case_tie_ends
                if ends is not None:  # an event without a value takes its instant's last fill
                    last = np.where(missing, last[ends], last)
                latest[by_case] = np.where(last >= starts, by_case[last], -1)
            self._latest[attribute] = latest
        return self._latest[attribute]

    def latest_at(self, attribute: str, positions: np.ndarray) -> np.ndarray:
        """``latest(attribute)[positions]``, worked out at those positions only.

        Issue 5: the findings' parties asked ``latest`` of each party attribute over the whole
        log (0.03 s an attribute on 1M rows, 0.3 s of assembling Guangxi's findings); here each
        position looks up its case's last valued place at or before it (a binary search among
        the valued places), the whole-log work being one pass to find those places.
        """
        if attribute in self._latest:
            return self._latest[attribute][positions]
        latest = np.full(len(positions), -1, dtype=np.int64)
        if attribute not in self._source.columns or not len(positions):
            return latest
        by_case, source_rows, starts = self._by_case
        missing = self._missing(attribute)[source_rows]
        valued = np.flatnonzero(~missing)
        if not len(valued):
            return latest
        place = self._case_place[positions]
        ends = self._case_tie_ends
        # an event without a value looks up to its instant's last event, as ``latest`` does
        upto = np.where(missing[place], ends[place], place) if ends is not None else place
        found = np.searchsorted(valued, upto, side="right") - 1
        last = np.where(found >= 0, valued[found], -1)
        return np.where(last >= starts[place], by_case[last], -1)

    def known(self, attribute: str) -> pd.Series:
        """The case's latest non-empty value of an attribute at each row (forward fill within case)."""
        if attribute not in self._known:
            column = self.column(attribute)
            if column.isna().all():
                self._known[attribute] = column
            else:
                values = column.array.take(self.latest(attribute), allow_fill=True)
                self._known[attribute] = pd.Series(values, dtype=column.dtype, name=attribute)
        return self._known[attribute]

    def distinct(self, attribute: str, positions: np.ndarray) -> tuple[np.ndarray, pd.Series]:
        """The attribute's values at positions (-1 for NA) as codes into a table of its distinct values.

        The table's last entry is NA, code -1: an elementwise test of the table, indexed
        by the codes, is the test of the values (``engine.distinct``).
        """
        if attribute not in self._source.columns:
            return np.full(len(positions), -1, dtype=np.intp), pd.Series([pd.NA], dtype="object")
        if attribute not in self._distinct:
            # asked for on most rows ('*'), a column's NA rows are found at once and not factorized
            # (finding them is cheaper: 0.05 s less for Xinjiang's sparse subject_id on 1M rows)
            most = attribute in self._isna or 2 * len(positions) > len(self)
            self._distinct[attribute] = ColumnCodes(self._source[attribute], self._missing(attribute) if most else None)
        return self._distinct[attribute].at(self._row_at[positions])

    def select(self, match: EventMatch) -> np.ndarray:
        """Positions of the events a match names, in time order."""
        if match.event == "*":
            positions = np.arange(len(self), dtype=np.int64)
        else:
            positions = self.by_event.get(match.event, np.empty(0, dtype=np.int64))
        tests = [(attribute, condition, False) for attribute, condition in match.when.items()]
        tests += [(attribute, condition, True) for attribute, condition in match.case_when.items()]
        for attribute, condition, in_case in tests:
            if len(positions) == 0:
                break
            codes, table = self.distinct(attribute, self.latest(attribute)[positions] if in_case else positions)
            positions = positions[condition_holds(table, condition)[codes]]
        return positions


def run_ends(ends: np.ndarray) -> np.ndarray:
    """Per place, the last place of its run, where ``ends`` marks the last place of each run."""
    n = len(ends)
    return np.minimum.accumulate(np.where(ends, np.arange(n), n)[::-1])[::-1]


def empty_values(values: pd.Series) -> np.ndarray:
    """Missing or only white space."""
    missing = values.isna().to_numpy(dtype=bool)
    if is_text(values.dtype):
        text = values.astype("string").str.strip()
        missing = missing | (text == "").fillna(True).to_numpy(dtype=bool)
    return missing


def _equal_values(values: pd.Series, condition: Condition) -> np.ndarray:
    wanted = condition.values()
    if values.dtype == "boolean" or pd.api.types.is_bool_dtype(values.dtype):
        wanted = [w for w in wanted if isinstance(w, bool)]
    elif pd.api.types.is_integer_dtype(values.dtype):
        wanted = [w for w in wanted if isinstance(w, int) and not isinstance(w, bool)]
    else:
        wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in wanted]
    return values.isin(wanted).fillna(False).to_numpy(dtype=bool) & ~values.isna().to_numpy(dtype=bool)


def condition_holds(values: pd.Series, condition: Condition) -> np.ndarray:
    """One declarative condition, tested value by value; NA never equals anything."""
    if condition.present is not None:
        present = ~empty_values(values)
        return present if condition.present else ~present
    if condition.absent is not None:
        absent = empty_values(values)
        return absent if condition.absent else ~absent
    hit = _equal_values(values, condition)
    if condition.not_in is not None:
        return ~hit
    return hit


def condition_mask(values: pd.Series, condition: Condition) -> np.ndarray:
    """Vectorised test of one declarative condition, once per distinct value; NA never equals anything."""
    return per_distinct(values, lambda distinct: condition_holds(distinct, condition))


def group_order(codes: np.ndarray) -> np.ndarray:
    """``np.argsort(codes, kind="stable")`` for codes >= 0, sorted 16 bits at a time.

    Issue 5: numpy's stable sort of 16-bit keys is a radix sort; two such passes over a
    million case codes take 0.03 s where the stable sort of the 64-bit codes took 0.1 s.
    """
    order = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    top = int(codes.max()) if len(codes) else 0
    shift = 16
    while top >> shift:
        order = order[np.argsort((codes[order] >> shift & 0xFFFF).astype(np.uint16), kind="stable")]
        shift += 16
    return order


def _time_order(time_ns: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """``np.lexsort((*reversed(keys), time_ns))``, sorting by the other keys only where times tie.

    Issue 5: an export is mostly in time order, where a stable argsort of the times costs
    almost nothing; the full lexsort over three or four keys cost 0.2-0.4 s per million rows.
    Within a tie the rows keep their input order, as in lexsort, so the result is the same.
    """
    order = np.argsort(time_ns, kind="stable")
    t = time_ns[order]
    same = t[1:] == t[:-1]
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        sub = order[at]
        order[at] = sub[np.lexsort((*(key[sub] for key in reversed(keys)), time_ns[sub]))]
    return order


def _first_seen_codes(values: pd.Series) -> np.ndarray:
    """``pd.factorize(values)[0]``: equal values, equal codes, numbered in order of first appearance.

    Issue 5: case ids are mostly distinct; Arrow's hash table over their UTF-8 text numbers
    them the same way as pandas' over Python str, 0.08 s faster per million rows. Validated
    ids are Arrow text already; a caller's own EventFrame may bring them as Python str.
    """
    text = _ids_as_arrow(values)
    if text is None:
        return pd.factorize(values)[0]
    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    return pc.dictionary_encode(text).indices.to_numpy().astype(np.intp)


def _ids_as_arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The ids as Arrow text when every one is text (none missing), else None."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return None if values.isna().any() else pa.array(values.array)
    if pd.api.types.is_object_dtype(values.dtype) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        try:
            return pa.array(values.to_numpy(), type=pa.large_string())
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8
            return None
    return None


def prepare(events: pd.DataFrame, keep: np.ndarray | None = None) -> Prepared:
    """Sort into canonical order, collapse exact duplicates, index by event.

    ``keep`` (a mask over the rows) leaves rows out without copying the frame first.
    """
    chosen = np.arange(len(events)) if keep is None else np.flatnonzero(keep)
    everything = len(chosen) == len(events)

    def kept(name: str) -> pd.Series:
        return events[name] if everything else events[name].iloc[chosen]

    case_codes = _first_seen_codes(kept("case_id"))
    # event codes in name order, so ties on time break the same way whatever the input order
    event_codes, event_names = pd.factorize(kept("event"), sort=True)
    time_ns = kept("time_ns").to_numpy(dtype=np.int64)
    order = _time_order(time_ns, case_codes, event_codes)
    t, c, e = time_ns[order], case_codes[order], event_codes[order]
    same = (t[1:] == t[:-1]) & (c[1:] == c[:-1]) & (e[1:] == e[:-1])
    duplicates = 0
    if same.any():
        tied_sorted = np.zeros(len(order), dtype=bool)
        tied_sorted[1:] |= same
        tied_sorted[:-1] |= same
        tied = order[tied_sorted]
        # by name, not as the input happens to order its columns: the tie-break (and so who a finding names)
        # must not depend on the header order of the export
        content = sorted(col for col in events.columns if col != "row")
        as_text = events.iloc[chosen[tied]][content].astype("string").set_axis(tied)
        tiebreak = np.zeros(len(chosen), dtype=np.uint64)
        tiebreak[tied] = pd.util.hash_pandas_object(as_text, index=False).to_numpy()
        # exact duplicates: keep the lowest row number, whatever the input order
        by_row = as_text.assign(_row=kept("row").to_numpy()[tied]).sort_values("_row")
        dup_labels = by_row.index[by_row.drop(columns="_row").duplicated(keep="first").to_numpy()]
        duplicates = len(dup_labels)
        unique = np.ones(len(chosen), dtype=bool)
        unique[dup_labels.to_numpy()] = False
        order = _time_order(time_ns, case_codes, event_codes, tiebreak)
        order = order[unique[order]]
    event_codes = event_codes[order]
    grouping = group_order(event_codes)
    bounds = np.searchsorted(event_codes[grouping], np.arange(len(event_names) + 1))
    by_event = {
        str(name): grouping[bounds[i]:bounds[i + 1]].astype(np.int64) for i, name in enumerate(event_names)
    }
    return Prepared(events, chosen[order], case_codes[order].astype(np.int64), by_event, duplicates)
