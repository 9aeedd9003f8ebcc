"""A log checked in parts (``workers=N``, Dask) says where each finding's evidence lies in the officer's own
files as a one-process check does: the 证据位置 / Evidence location column of the workbook and the HTML report,
and ``explain``'s lines. Such a result kept no ``Result.files``, so the column was blank exactly where logs are
largest."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import govdata_policy as gp
from govdata_policy.engine import parallel
from govdata_policy.report import write_report

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-12-31"


def _log(folder: Path) -> list[Path]:
    """The Yongzhou example as an officer's two exports: a titled first file with blank lines and a reason
    typed over two lines (its rows pushed down), the rest in a second file; cases run across both."""
    with open(ROOT / "examples" / "yongzhou.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    reason = header.index("reason")
    for number, row in enumerate(rows):
        if number % 5 == 2:
            row[reason] = "第一行\n第二行"
    half = len(rows) // 2
    first, second = folder / "a.csv", folder / "b.csv"
    with open(first, "w", encoding="utf-8", newline="") as handle:
        handle.write("永州市政务数据共享日志\n")
        writer = csv.writer(handle, lineterminator="\n")
        for number, row in enumerate([header, *rows[:half]]):
            writer.writerow(row)
            if number % 7 == 3:
                handle.write("\n")
    with open(second, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows[half:]])
    return [first, second]


def locations(result: Any, folder: Path, lang: str) -> dict[str, list[Any]]:
    """The evidence location column of the workbook's 违规 and 义务 sheets and of the HTML report's table."""
    book = load_workbook(write_report(result, "xlsx", folder / f"r-{lang}.xlsx", lang=lang, obligations=True))
    title = "证据位置" if lang == "zh" else "Evidence location"
    out: dict[str, list[Any]] = {}
    for name in ("违规", "义务") if lang == "zh" else ("Violations", "Obligations"):
        rows = list(book[name].iter_rows(values_only=True))
        out[name] = [row[rows[0].index(title)] for row in rows[1:]]
    page = write_report(result, "html", folder / f"r-{lang}.html", lang=lang).read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="violations-data">(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    column = [c["key"] for c in data["columns"]].index("evidence_location")
    out["html"] = [row[column] for row in data["rows"]]
    return out


def assert_same_places(one: Any, parts: Any, folder: Path) -> None:
    """The same evidence locations in both reports and languages, and the same lines in explain."""
    for lang in ("zh", "en"):
        single = locations(one, folder, lang)
        assert locations(parts, folder, lang) == single
        shown = [place for column in single.values() for place in column]
        assert len(shown) > 10 and None not in shown  # every finding here has rows in a file with lines
    case = str(one.violations["case_id"].iloc[0])

    def named(result: Any) -> list[tuple[int, Any, Any]]:
        return [(o.trigger.row, o.trigger.line, o.trigger.source) for o in result.explain(case).obligations]

    assert named(parts) == named(one)
    assert all(line for _, line, _ in named(one))


@pytest.mark.skipif(not parallel.can_fork(), reason="several processes need fork (Linux)")
def test_several_processes_say_the_places_one_process_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS", 0)  # the log is small
    monkeypatch.chdir(tmp_path)  # the files named as given: a.csv, b.csv
    profile = gp.load_jurisdiction("yongzhou")
    logs = [path.name for path in _log(tmp_path)]
    one = profile.evaluate(logs, as_of=AS_OF)
    many = profile.evaluate(logs, as_of=AS_OF, workers=2)
    assert many.events is None and one.violations["evidence_rows"].tolist() == many.violations["evidence_rows"].tolist()
    assert_same_places(one, many, tmp_path)
    # keep_events=False keeps no files, in one process as in several
    assert profile.evaluate(logs, as_of=AS_OF, workers=2, keep_events=False).files == ()
