"""Regional calendars and user overrides as YAML data, validated on load.

Two kinds of file share one vocabulary (see docs/calendar.md):

* ``kind: regional`` - a region's own days off / make-up working days, one block
  per year, each with ``source`` and ``confidence``, plus the legal ``basis`` and
  ``since`` (the first year the region has such days, so missing years show).
* ``kind: overrides`` - extra days off / working days a user adds from a notice
  published after the release, optionally declaring which years it ``settles``.

Dates are read as text (the loader switches off YAML's own timestamp parsing)
so that a bad date is reported by the validator with file, year and field,
instead of crashing inside the YAML parser; duplicate keys are refused because
PyYAML would otherwise let the later one win silently.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .. import yaml_guard
from .bounds import FIRST_DATE, FIRST_YEAR, LAST_DATE, LAST_YEAR, SPAN
from .errors import CalendarFileError

Confidence = Literal["low", "low-medium", "medium", "medium-high", "high"]
CONFIDENCE_RANK: dict[str, int] = {"low": 0, "low-medium": 1, "medium": 2, "medium-high": 3, "high": 4}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_ERRORS = 5


def _iso_date(value: Any) -> dt.date:
    # only YYYY-MM-DD text (or a real date): a bare number would otherwise be taken
    # as a Unix timestamp by pydantic's lax mode
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class _Strict(BaseModel):
    # extra="forbid": a misspelt key ("confidance") must fail, not be ignored
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DayEntry(_Strict):
    """One named holiday or make-up period: ``dates: [...]`` or ``from:`` / ``to:`` (inclusive)."""

    name: str = Field(min_length=1)
    dates: list[IsoDate] | None = None
    from_: IsoDate | None = Field(default=None, alias="from")
    to: IsoDate | None = None
    source: str | None = None
    confidence: Confidence | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> DayEntry:
        ranged = self.from_ is not None or self.to is not None
        if self.dates is not None and ranged:
            raise ValueError("give either 'dates' or 'from'/'to', not both")
        if self.dates is None:
            if self.from_ is None or self.to is None:
                raise ValueError("needs 'dates' (a list) or both 'from' and 'to'")
            if self.to < self.from_:
                raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        elif not self.dates:
            raise ValueError("'dates' is empty")
        return self

    def days(self) -> list[dt.date]:
        if self.dates is not None:
            return list(self.dates)
        assert self.from_ is not None and self.to is not None
        return [self.from_ + dt.timedelta(days=i) for i in range((self.to - self.from_).days + 1)]


def _check_entries(off: list[DayEntry], work: list[DayEntry], year: int | None) -> None:
    seen: dict[dt.date, str] = {}
    for kind, entries in (("off", off), ("work", work)):
        for i, entry in enumerate(entries):
            where = f"{kind}[{i}] ({entry.name})"
            for day in entry.days():
                if year is not None and day.year != year:
                    raise ValueError(f"{where}: {day} is not in year {year}")
                if not FIRST_DATE <= day <= LAST_DATE:
                    raise ValueError(f"{where}: {day} is outside the calendar ({SPAN})")
                if day in seen:
                    raise ValueError(f"{where}: {day} is listed twice (also in {seen[day]})")
                seen[day] = where


class YearBlock(_Strict):
    """A region's days for one year, with the notice they come from."""

    year: Year
    source: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None
    off: list[DayEntry] = Field(default_factory=list)
    work: list[DayEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_year(self) -> YearBlock:
        _check_entries(self.off, self.work, self.year)
        return self

    def parts(self) -> list[tuple[str, str, str]]:
        """(name, confidence, source) of each holiday; an entry inherits the year's values.

        A year without entries (a cancelled holiday) is one part named "".
        """
        entries = [*self.off, *self.work]
        if not entries:
            return [("", self.confidence, self.source)]
        return [(e.name, e.confidence or self.confidence, e.source or self.source) for e in entries]

    def lowest_confidence(self) -> str:
        return min((c for _, c, _ in self.parts()), key=CONFIDENCE_RANK.__getitem__)


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class EveryYear(_Strict):
    """A day off on the same Gregorian month and day each year (a region's own anniversary, 每年3月15日),
    from ``from_year`` (default: the file's ``since``) to ``to_year`` (default: the calendar's last year),
    so that a fixed day is not written out year by year. A lunar-date festival moves in the Gregorian
    calendar and is set by a notice each year: it stays in ``years``."""

    name: str = Field(min_length=1)
    month_day: str
    from_year: Year | None = None
    to_year: Year | None = None
    source: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None

    @model_validator(mode="after")
    def _a_day_of_every_year(self) -> EveryYear:
        found = _MONTH_DAY.match(self.month_day.strip())
        if found is None:
            raise ValueError(f"month_day {self.month_day!r}: write the month and day as MM-DD (03-15)")
        try:
            dt.date(2023, int(found[1]), int(found[2]))  # a year without 29 February: 02-29 is no day of every year
        except ValueError:
            raise ValueError(f"month_day {self.month_day!r} is not a day of every year") from None
        if self.from_year is not None and self.to_year is not None and self.to_year < self.from_year:
            raise ValueError(f"to_year {self.to_year} is before from_year {self.from_year}")
        return self

    def years(self, since: int) -> range:
        """The years it is a day off in, within the calendar's span."""
        return range(max(self.from_year or since, FIRST_YEAR), (self.to_year or LAST_YEAR) + 1)

    def day(self, year: int) -> dt.date:
        month, day = self.month_day.strip().split("-")
        return dt.date(year, int(month), int(day))

    def as_entry(self, since: int) -> DayEntry:
        """The days off it gives, as a ``years`` entry would list them (the calendar's layers apply these)."""
        return DayEntry(name=self.name, dates=[self.day(year) for year in self.years(since)], source=self.source,
                        confidence=self.confidence)


class Basis(_Strict):
    """The legal instrument that gives the region its own days off."""

    title: str
    document: str
    year: int
    text: str | None = None
    url: str | None = None
    note: str | None = None


class RegionalFile(_Strict):
    kind: Literal["regional"]
    region: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    label: str = Field(min_length=1)
    label_zh: str | None = Field(default=None, min_length=1)  # the notes in Chinese name the region so
    basis: Basis
    since: int = Field(ge=1949, le=LAST_YEAR)
    every_year: list[EveryYear] = Field(default_factory=list)
    years: list[YearBlock] = Field(default_factory=list)

    @model_validator(mode="after")
    def _years(self) -> RegionalFile:
        seen: set[int] = set()
        for block in self.years:
            if block.year in seen:
                raise ValueError(f"year {block.year} is given twice")
            if block.year < self.since:
                raise ValueError(f"year {block.year} is before 'since' ({self.since})")
            seen.add(block.year)
        fixed: dict[dt.date, str] = {}
        for i, entry in enumerate(self.every_year):
            if entry.from_year is not None and entry.from_year < self.since:
                raise ValueError(f"every_year[{i}] ({entry.name}): from_year {entry.from_year} is before 'since' "
                                 f"({self.since})")
            if not entry.years(self.since):
                raise ValueError(f"every_year[{i}] ({entry.name}): to_year {entry.to_year} is before 'since' "
                                 f"({self.since})")
            for year in entry.years(self.since):
                day = entry.day(year)
                if day in fixed:  # two names for one day: the calendar would keep one of them silently
                    raise ValueError(f"every_year[{i}] ({entry.name}): month_day {entry.month_day}: {day} is also "
                                     f"{fixed[day]}, a day off every year")
                fixed[day] = f"every_year[{i}] ({entry.name})"
        for block in self.years:  # a day both fixed and listed: twice off, or off and work in one file
            for kind, entries in (("off", block.off), ("work", block.work)):
                for i, entry in enumerate(entries):
                    for day in entry.days():
                        if day in fixed:
                            raise ValueError(f"year {block.year}: {kind}[{i}] ({entry.name}): {day} is also "
                                             f"{fixed[day]}, a day off every year")
        return self

    def fixed_in(self, year: int) -> list[EveryYear]:
        """The ``every_year`` entries that give a day off in ``year``."""
        return [entry for entry in self.every_year if year in entry.years(self.since)]

    @property
    def days_set_yearly(self) -> bool:
        """Whether the file lists days off year by year (a festival a notice sets each year): a year without
        its block then has days not known here, whatever its fixed days."""
        return any(block.off for block in self.years)


class Settles(_Strict):
    """Declares that an override file completes a year, so its coverage note goes away."""

    year: Year
    scope: Literal["national", "regional"]
    source: str = Field(min_length=1)
    confidence: Confidence = "high"


class OverridesFile(_Strict):
    kind: Literal["overrides"]
    label: str = Field(default="override", min_length=1)
    source: str | None = None
    note: str | None = None
    off: list[DayEntry] = Field(default_factory=list)
    work: list[DayEntry] = Field(default_factory=list)
    settles: list[Settles] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> OverridesFile:
        _check_entries(self.off, self.work, None)
        return self


class _Loader(yaml_guard.NoRepeatedKeys, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader without implicit timestamps and with duplicate keys refused; issue 5: libyaml's
    parser, as the rule files' (the regional calendar file took 0.045 s of every run's start with the
    pure-Python one; both build the same values)."""


class _WordedLoader(yaml_guard.NoRepeatedKeys, yaml.SafeLoader):
    """The same on PyYAML's own parser, asked again about a file libyaml refused: its messages name the
    character (a tab, "found character '\\t' that cannot start any token") and the alias; libyaml's do not."""


# YAML 1.1 would read the key `off:` as the boolean False (and yes/no/on too) and
# dates as date objects; keep only true/false as booleans and dates as text
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_WordedLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; any failure becomes a one-line CalendarFileError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalendarFileError(f"{path}: file not found", zh=f"{path}：找不到文件") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarFileError(f"{path}: cannot read ({exc})", zh=f"{path}：无法读取（{exc}）") from None
    try:
        return yaml_guard.load(text, _Loader)  # a (C)SafeLoader subclass
    except yaml.MarkedYAMLError as refused:
        exc = yaml_guard.worded_error(text, refused, _WordedLoader)
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise CalendarFileError(f"{path}: not valid YAML: {exc.problem} (line {line})",
                                zh=f"{path}：不是有效的 YAML（第 {line} 行）：{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise CalendarFileError(f"{path}: not valid YAML: {exc}", zh=f"{path}：不是有效的 YAML：{exc}") from None


def _raw_get(raw: Any, key: Any) -> Any:
    if isinstance(raw, dict) and key in raw:
        return raw[key]
    if isinstance(raw, list) and isinstance(key, int) and 0 <= key < len(raw):
        return raw[key]
    return None


def _describe(loc: tuple[Any, ...], raw: Any) -> tuple[str, str]:
    """(year part, field part) of a pydantic error location, read against the raw data."""
    year = ""
    parts: list[str] = []
    node = raw
    for i, key in enumerate(loc):
        node_next = _raw_get(node, key)
        if i == 1 and loc[0] == "years" and isinstance(key, int):
            value = _raw_get(node_next, "year")
            year = f"year {value}" if value is not None else f"years[{key}]"
        elif isinstance(key, int):
            parts.append(f"[{key}]")
            name = _raw_get(node_next, "name")
            if isinstance(name, str) and i > 0 and loc[i - 1] in ("off", "work"):
                parts.append(f" ({name})")
        elif loc[0] == "years" and i == 0:
            pass
        else:
            parts.append(("." if parts else "") + str(key))
        node = node_next
    return year, "".join(parts)


def _validation_message(path: Path, raw: Any, exc: ValidationError) -> str:
    messages: list[str] = []
    errors = exc.errors()
    for err in errors[:_MAX_ERRORS]:
        year, field = _describe(tuple(err["loc"]), raw)
        text = str(err["msg"]).removeprefix("Value error, ")
        where = ": ".join(p for p in (year, f"field {field}" if field else "") if p)
        messages.append(f"{where}: {text}" if where else text)
    if len(errors) > _MAX_ERRORS:
        messages.append(f"and {len(errors) - _MAX_ERRORS} more")
    return f"{path}: " + "; ".join(messages)


def _load(path: Path, model: type[BaseModel]) -> Any:
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise CalendarFileError(f"{path}: expected a mapping at the top of the file",
                                zh=f"{path}：文件顶层应为映射（键: 值）")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CalendarFileError(_validation_message(path, raw, exc)) from None


# each regional file's label as its Chinese notes say it (``Xinjiang`` -> ``新疆``), from the files
# loaded in this process: a note is put into Chinese from its English text (details.note_zh)
LABELS_ZH: dict[str, str] = {}


def load_regional(path: Path) -> RegionalFile:
    """A ``kind: regional`` file, validated; CalendarFileError names file, year and field."""
    regional = _load(path, RegionalFile)
    if regional.label_zh:
        LABELS_ZH[regional.label] = regional.label_zh
    return regional


def load_overrides(path: Path) -> OverridesFile:
    """A ``kind: overrides`` file, validated; CalendarFileError names file and field."""
    return _load(path, OverridesFile)
