"""Xinjiang's good-faith relief (clause 42, 容错免责) is reported, never dropped (CLAUSES.md): the
JSON, CSV and workbook carried it, the HTML report and the terminal table did not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.report import write_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RELIEF = "启动容错免责程序"  # words of clause 42, which the mitigation quotes


@pytest.fixture(scope="module")
def xinjiang() -> Any:
    return gp.load_jurisdiction("xinjiang").evaluate(EXAMPLES / "xinjiang.csv", as_of="2025-06-30")


def _table(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="violations-data">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(("lang", "label"), [("zh", "容错减轻"), ("en", "Mitigation")])
def test_the_html_report_has_a_mitigation_column(xinjiang: Any, tmp_path: Path, lang: str, label: str) -> None:
    page = write_report(xinjiang, "html", tmp_path / "x.html", lang=lang).read_text(encoding="utf-8")
    data = _table(page)
    keys = [c["key"] for c in data["columns"]]
    shown = [c for c in data["columns"] if not c["hidden"]]  # the paths clauses sort by are hidden, after all
    assert [c["key"] for c in shown][-2:] == ["mitigation", "message"]  # the message stays last, the widest
    assert shown[-2]["label"] == label and f">{label}</th>" in page
    where = keys.index("mitigation")
    relieved = sorted(row[0] for row in data["rows"] if row[where])
    assert relieved == ["XJ-20", "XJ-20"]
    assert all(RELIEF in row[where] for row in data["rows"] if row[where])
    # and in the case's timeline, under the finding's message
    assert page.count('<span class="mitigation">') == 2 and f"{label}{'：' if lang == 'zh' else ': '}42:" in page


def test_no_mitigation_column_where_no_finding_has_one(result: Any, tmp_path: Path) -> None:
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "mitigation" not in [c["key"] for c in _table(page)["columns"]]
    assert "容错" not in page


@pytest.mark.parametrize("columns", ["160", "80"])  # the wide table and the narrow terminal's lines
def test_the_terminal_table_shows_the_mitigation_where_a_finding_has_one(
        monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    outcome = CliRunner().invoke(app, ["check", str(EXAMPLES / "xinjiang.csv"), "-j", "xinjiang",
                                       "--as-of", "2025-06-30", "--lang", "zh"])
    assert outcome.exit_code == 1, outcome.output
    text = outcome.stdout
    assert text.count("容错减轻：42:") == 2  # XJ-20's two findings, and no other
    assert "XJ-20" in text
