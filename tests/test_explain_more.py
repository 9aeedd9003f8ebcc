"""``explain``: what it says beside the days that moved a due date (weekends), the result's notes
that concern the case, and calendar overrides as ``check --overrides`` counts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def guangxi_example() -> Any:
    return gp.load_jurisdiction("guangxi").evaluate(EXAMPLES / "guangxi.csv", as_of="2025-06-30")


def _initial_review(explained: Any) -> Any:
    [item] = [o for o in explained.obligations if o.rule.clause == "29.2"]
    return item


def test_no_weekend_skipped_is_not_said_to_be_skipped(guangxi_example: Any) -> None:
    # GX-S02: requested Mon 2024-05-06, 2 working days -> Wed 05-08: no holiday, no weekend between
    explained = guangxi_example.explain("GX-S02")
    item = _initial_review(explained)
    assert (item.trigger.time[:10], item.due[:10], item.weekend_days) == ("2024-05-06", "2024-05-08", 0)
    assert "Days that moved the due date: no holiday, make-up working day or weekend in between" in explained.to_text()
    assert "期间影响期限的日子： 期间没有节假日、调休或周末" in explained.to_text("zh")
    assert "只跳过周末" not in explained.to_text("zh") and "only weekends" not in explained.to_text("en")


def test_a_weekend_skipped_is_said(guangxi_example: Any) -> None:
    # GX-C01's 30.3: Fri 2024-09-20 + 2 working days -> Tue 09-24, over Sat 09-21 and Sun 09-22
    [item] = [o for o in guangxi_example.explain("GX-C01").obligations if o.rule.clause == "30.3"]
    assert (item.due[:10], item.weekend_days, item.calendar) == ("2024-09-24", 2, [])
    explained = guangxi_example.explain("GX-C01", lang="zh")
    assert "期间影响期限的日子： 期间没有节假日或调休，只跳过周末" in explained.to_text("zh")
    assert "only weekends were skipped" in explained.to_text("en")


def test_explain_counts_on_the_override_files_check_takes(tmp_path: Path) -> None:
    # Yongzhou 18.2, requested Mon 2025-03-10: due Mon 03-24, answered 03-25 (late 1). An override making
    # Wed 03-12 a day off moves the due day to 03-25: check --overrides finds nothing, and so must explain
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time,category,provider,outcome\n"
                   "C1,share.requested,2025-03-10 09:00,conditional,市公安局,\n"
                   "C1,share.provider_reviewed,2025-03-25 10:00,,,approved\n", encoding="utf-8")
    extra = tmp_path / "closure.yaml"
    extra.write_text("kind: overrides\nlabel: 市政府通知\nsource: a city notice\n"
                     "off:\n  - {name: 临时停工, dates: [2025-03-12]}\n", encoding="utf-8")
    base = ["explain", "C1", str(log), "-j", "yongzhou", "--as-of", "2025-12-31"]
    plain = runner.invoke(app, [*base, "--format", "json"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["obligations"][0]["status"] == "late"
    moved = runner.invoke(app, [*base, "--format", "json", "--overrides", str(extra)])
    assert moved.exit_code == 0, moved.output
    [duty] = json.loads(moved.stdout)["obligations"]
    assert (duty["status"], duty["due"], duty["finding"]) == ("met", "2025-03-25T23:59:59+08:00", None)
    days = [(d["date"], d["kind"], d["name"]) for d in duty["calendar"]]
    assert days == [("2025-03-12", "off", "临时停工 (市政府通知)")]
    text = runner.invoke(app, [*base, "--overrides", str(extra)]).stdout
    assert "2025-03-12（周三）休息：临时停工 (市政府通知)" in text and "逾期" not in text
    checked = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json",
                                  "--overrides", str(extra)])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["violations"] == []
