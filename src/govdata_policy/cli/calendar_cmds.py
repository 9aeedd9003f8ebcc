"""``deadline`` and ``calendar``: the working-day calendar on the command line.

Heavy imports (pandas, numpy, holidays) happen inside the commands so that
``govdata-policy --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import ErrorLang, ErrorLangOption, fail, fail_on

if TYPE_CHECKING:
    from ..calendar import WorkingCalendar

JurisdictionOption = Annotated[
    str | None,
    typer.Option(
        "-j",
        "--jurisdiction",
        metavar="J",
        help="guangxi, yongzhou, xinjiang, xinzhou, or a path to a profile file.",
        show_default=False,
    ),
]
OverridesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--overrides",
        metavar="FILE",
        help="A calendar overrides YAML file (kind: overrides); repeatable, later files win.",
        show_default=False,
    ),
]


def calendar_or_fail(jurisdiction: str | None, overrides: list[Path] | None, lang: str = "en") -> WorkingCalendar:
    """A jurisdiction's calendar with extra override files; a bad file or name exits 2 (check uses it too)."""
    from ..calendar import CalendarFileError
    from ..calendar.resolve import calendar_for_jurisdiction
    from ..errors import zh_of

    if not jurisdiction:
        fail("missing option -j/--jurisdiction", "缺少选项 -j/--jurisdiction", lang)
    try:
        return calendar_for_jurisdiction(jurisdiction, overrides or ())
    except (CalendarFileError, ValueError, OSError) as exc:
        zh = zh_of(exc)
        fail(_one_line(str(exc)), _one_line(zh) if zh else None, lang)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _notes(notes: list[str]) -> None:
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def deadline(
    jurisdiction: JurisdictionOption = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATETIME",
            help="Trigger time: ISO date or datetime; without offset it is +08:00 local time.",
            show_default=False,
        ),
    ] = None,
    working_days: Annotated[
        int | None,
        typer.Option(
            "--working-days",
            metavar="N",
            help="N working days after the trigger day (C1/C2).",
            show_default=False,
        ),
    ] = None,
    calendar_days: Annotated[
        int | None,
        typer.Option(
            "--calendar-days",
            metavar="N",
            help="N calendar days; a last day that is off moves to the next working day (C3).",
            show_default=False,
        ),
    ] = None,
    overrides: OverridesOption = None,
    lang: ErrorLangOption = ErrorLang.en,
) -> None:
    """Print the due time (end of the due day, ISO 8601 +08:00) of a period starting at --start."""
    said = lang.value
    if (working_days is None) == (calendar_days is None):
        fail("give exactly one of --working-days N and --calendar-days N",
             "请给出 --working-days N 和 --calendar-days N 中的一个（且只给一个）", said)
    count = working_days if working_days is not None else calendar_days
    assert count is not None
    if count < 0:
        fail(f"the number of days must be 0 or more, got {count}", f"天数应为 0 或更多，给出的是 {count}", said)
    if not start:
        fail("missing option --start", "缺少选项 --start", said)
    from ..calendar import CalendarRangeError
    from ..timeutil import local_day_of

    calendar = calendar_or_fail(jurisdiction, overrides, said)
    try:
        start_day = local_day_of(start)
    except (ValueError, TypeError, OverflowError):
        fail(f"--start: cannot read {start!r} as a date or time", f"--start：无法将{start!r}识别为日期或时间", said)
    try:
        if working_days is not None:
            due_day = calendar.wd_add(start_day, working_days)
        else:
            due_day = calendar.cd_add(start_day, count)
    except CalendarRangeError as exc:  # 10**30 days among them: the start is not to blame
        fail_on(exc, said)
    from ..timeutil import end_of_day

    typer.echo(end_of_day(due_day).isoformat())
    _notes(calendar.coverage_notes(start_day, due_day))


def calendar(
    jurisdiction: JurisdictionOption = None,
    year: Annotated[
        int | None, typer.Option("--year", metavar="YYYY", help="The year to list.", show_default=False)
    ] = None,
    overrides: OverridesOption = None,
    lang: ErrorLangOption = ErrorLang.en,
) -> None:
    """List the year's days off and make-up working days: YYYY-MM-DD off|work NAME."""
    said = lang.value
    if year is None:
        fail("missing option --year", "缺少选项 --year", said)
    from ..calendar import CalendarRangeError

    cal = calendar_or_fail(jurisdiction, overrides, said)
    try:
        entries = cal.entries(year)
    except CalendarRangeError as exc:
        fail_on(exc, said)
    for day, kind, name in entries:
        typer.echo(f"{day.isoformat()} {kind} {name}")
    _notes(cal.coverage_notes(f"{year}-01-01", f"{year}-12-31"))


def register(app: typer.Typer) -> None:
    app.command("deadline")(deadline)
    app.command("calendar")(calendar)
