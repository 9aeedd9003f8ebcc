"""``govdata-policy test PATH``: run YAML rule cases (docs/rules-format.md); exit 1 on a failure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import zh_of
from .common import ErrorLang, ErrorLangOption, fail, jurisdiction_option


def register(app: typer.Typer) -> None:
    @app.command("test")
    def run_tests(
        paths: Annotated[list[Path], typer.Argument(help="YAML case files or folders of them.")],
        jurisdiction: Annotated[str | None, jurisdiction_option("Run the cases under this profile instead.")] = None,
        lang: ErrorLangOption = ErrorLang.en,
    ) -> None:
        """Run YAML rule cases: events in, expected findings out. Reports pass/fail per case."""
        from ..calendar import CalendarFileError, CalendarRangeError
        from ..rules.loader import RuleLoadError
        from ..yamltests import case_files, other_yaml, run_file
        from .check_cmd import load_profile

        said = lang.value
        profile = load_profile(jurisdiction, said) if jurisdiction else None
        passed = failed = 0
        for path in paths:
            if not path.exists():
                fail(f"{path}: no such file or folder", f"{path}：找不到文件或文件夹", said)
        files = [(path, file) for path in paths for file in case_files(path)]
        shown = _shown_names(files)
        for path, file in files:
            # a variant kept beside the cases naming it (jurisdiction: my-variant.yaml), and its rule
            # files, are no cases: passed over when a folder is run, and said so
            kind = other_yaml(file) if path.is_dir() else None
            if kind is not None:
                # the path as given (drafts/calendars/mine.yaml): two extra.yaml of two folders told apart
                typer.echo(f"skipped {file}: {kind}, not a case file", err=True)
                continue
            try:
                outcomes = run_file(file, profile)
            except (RuleLoadError, CalendarFileError, CalendarRangeError) as exc:  # the calendar is built here
                fail(str(exc), zh_of(exc), said)  # a case file's mistake, the drafter's, may have none
            for outcome in outcomes:
                if outcome.passed:
                    passed += 1
                    typer.echo(f"PASS {shown[file]}: {outcome.name}")
                else:
                    failed += 1
                    typer.echo(f"FAIL {shown[file]}: {outcome.name}")
                    for problem in outcome.problems:
                        typer.echo(f"     {problem}")
        if passed + failed == 0:  # a folder without cases (or the wrong path) is no pass
            fail(f"no YAML cases found in {', '.join(map(str, paths))} (a case file holds `cases:`)",
                 f"{'、'.join(map(str, paths))}中没有找到 YAML 案例（案例文件含有 `cases:`）", said)
        typer.echo(f"{passed} passed, {failed} failed")
        raise typer.Exit(1 if failed else 0)


def _shown_names(files: list[tuple[Path, Path]]) -> dict[Path, str]:
    """How a case file is named on its PASS / FAIL lines: by its path inside the folder given (``test
    tests/cases``: ``guangxi/catalog.yaml``, where the file's name alone was that of four files), a file
    given by itself by its name; where two of the run would still read alike (two folders given, each with
    a catalog.yaml), each by its path as given."""
    names = {file: file.relative_to(path).as_posix() if path.is_dir() else file.name for path, file in files}
    if len(set(names.values())) < len(names):
        return {file: str(file) for _, file in files}
    return names
