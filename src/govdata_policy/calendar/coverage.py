"""Which years of a calendar are settled, and the notes for those that are not.

A deadline computed across a year whose schedule is estimated must say so
(regional-holidays.md): the national schedule is "published" when ``holidays``
has that year's make-up working days; a region's year is settled only when
its data exists with confidence "high". Years before the region's ``since``
have no regional days and are settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .bounds import FIRST_YEAR, LAST_YEAR
from .files import CONFIDENCE_RANK, RegionalFile, Settles
from .national import NationalSchedule

_HIGH = CONFIDENCE_RANK["high"]


@dataclass(frozen=True)
class YearCoverage:
    """One row of ``WorkingCalendar.coverage()``; ``pd.DataFrame(rows)`` makes it a table."""

    year: int
    national: str  # published | estimated | override
    national_source: str
    region: str | None  # the region's label, None for a national-only calendar
    regional: str  # n/a | before-since | data | no-data | override
    regional_confidence: str | None
    regional_source: str | None
    settled: bool
    notes: tuple[str, ...]


def _national(
    year: int, schedule: NationalSchedule, settles: dict[int, Settles]
) -> tuple[str, str, list[str]]:
    given = settles.get(year)
    if given is not None:
        notes = []
        if CONFIDENCE_RANK[given.confidence] < _HIGH:
            notes.append(
                f"calendar {year}: national schedule taken from an override with confidence "
                f"{given.confidence} (source: {given.source}); deadlines may move"
            )
        return "override", given.source, notes
    if year in schedule.published:
        return "published", schedule.source, []
    return (
        "estimated",
        f"{schedule.source}: statutory days only",
        [
            f"calendar {year}: national schedule not yet published; "
            "make-up working days unknown, deadlines estimated"
        ],
    )


def _weak_note(year: int, label: str, parts: Sequence[tuple[str, str, str]]) -> str | None:
    weak: list[str] = []
    for name, confidence, source in parts:
        if CONFIDENCE_RANK[confidence] < _HIGH:
            text = f"{name + ' ' if name else ''}confidence {confidence} (source: {source})"
            if text not in weak:
                weak.append(text)
    if not weak:
        return None
    return f"calendar {year}: {label} regional days off not settled: {'; '.join(weak)}; deadlines may move"


def _regional(
    year: int, regional: RegionalFile | None, settles: dict[int, Settles]
) -> tuple[str, str | None, str | None, list[str]]:
    if regional is None:
        return "n/a", None, None, []
    label = regional.label
    given = settles.get(year)
    if given is not None:
        note = _weak_note(year, label, [("override", given.confidence, given.source)])
        return "override", given.confidence, given.source, [note] if note else []
    if year < regional.since:
        return "before-since", None, None, []
    block = next((b for b in regional.years if b.year == year), None)
    fixed = [(e.name, e.confidence, e.source) for e in regional.fixed_in(year)]
    if block is None and (not fixed or regional.days_set_yearly):
        beyond = " beyond its days off every year" if fixed else ""
        note = (
            f"calendar {year}: no {label} regional holiday data for {year}{beyond} (the region has its own "
            f"days off since {regional.since}, {regional.basis.document}); "
            "deadlines estimated without them"
        )
        return "no-data", None, None, [note]
    # a year's data: its block (the notice of that year), and the days off every year it holds
    parts = [*(block.parts() if block is not None else []), *fixed]
    lowest = min((c for _, c, _ in parts), key=CONFIDENCE_RANK.__getitem__)
    note = _weak_note(year, label, parts)
    return "data", lowest, block.source if block is not None else fixed[0][2], [note] if note else []


def build_coverage(
    schedule: NationalSchedule, regional: RegionalFile | None, settles: Sequence[Settles]
) -> list[YearCoverage]:
    """One row per year of the calendar's span; later override files win over earlier ones."""
    national_settles = {s.year: s for s in settles if s.scope == "national"}
    regional_settles = {s.year: s for s in settles if s.scope == "regional"}
    rows: list[YearCoverage] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        national, national_source, national_notes = _national(year, schedule, national_settles)
        status, confidence, source, regional_notes = _regional(year, regional, regional_settles)
        notes = tuple(national_notes + regional_notes)
        rows.append(
            YearCoverage(
                year=year,
                national=national,
                national_source=national_source,
                region=regional.label if regional else None,
                regional=status,
                regional_confidence=confidence,
                regional_source=source,
                settled=not notes,
                notes=notes,
            )
        )
    return rows
