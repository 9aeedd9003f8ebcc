"""``explain``: what it says beside the days that moved a due date (weekends), the result's notes
that concern the case, and calendar overrides as ``check --overrides`` counts them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp

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
