"""``require: maximum`` (each act's own value at most the limit), which no built-in rule uses: a drafter's
rule added to a variant (``add_rules``), judged by the batch and the monitor alike, at and over its limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp

# "each approval at most 10 extra working days": a drafter's reading of Yongzhou 21, as its own rule
RULE_FILE = """\
jurisdiction: yongzhou
document: main
title: 草案比较 — 每次延长
rules:
  - id: draft-21-each-extension
    clause: "21"
    document: main
    topic: quality
    kind: required
    title_zh: 每次延长校核期限不超过10个工作日
    text_zh: 需延长校核期限的,应经提供部门负责人同意并告知使用部门,延长期限最长不得超过15个工作日。
    summary_en: Each approved extension of the verification period is at most 10 working days.
    obligor_role: provider
    penalty: "38.2"
    act: quality.extension_approved
    require: {maximum: {extra_working_days: 10}}
"""
RULE = "draft-21-each-extension"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("variant")
    (folder / "each.yaml").write_text(RULE_FILE, encoding="utf-8")
    (folder / "v.yaml").write_text("name: each-extension\nextends: yongzhou\nadd_rules: [each.yaml]\n",
                                   encoding="utf-8")
    return gp.load_jurisdiction(folder / "v.yaml")


def _events(grants: dict[str, Any]) -> list[dict[str, Any]]:
    events = []
    for case, grant in grants.items():
        events.append({"case_id": case, "event": "quality.objection_raised", "time": "2024-05-06 09:00"})
        events.append({"case_id": case, "event": "quality.extension_approved", "time": "2024-05-07 09:00",
                       "extra_working_days": grant})
    return events


def _found(profile: Any, events: list[dict[str, Any]]) -> tuple[list[tuple], list[tuple]]:
    batch = profile.evaluate(events, as_of="2024-12-31").violations
    batch = batch[batch["rule_id"] == RULE]
    in_batch = sorted(zip(batch["case_id"], batch["kind"], batch["message_en"], strict=True))
    monitor = profile.monitor()
    streamed = [v for e in sorted(events, key=lambda e: e["time"]) for v in monitor.push(e)]
    in_monitor = sorted((v["case_id"], v["kind"], v["message_en"]) for v in streamed if v["rule_id"] == RULE)
    return in_batch, in_monitor


def test_a_grant_at_the_limit_is_allowed_and_one_over_is_invalid(profile: Any) -> None:
    in_batch, in_monitor = _found(profile, _events({"AT": 10, "OVER": 11, "BLANK": ""}))
    # 10 is "not more than 10": no finding; 11 is one over; a blank grant is nothing to judge
    assert [(case, kind) for case, kind, _ in in_batch] == [("OVER", "invalid")]
    assert "extra_working_days > 10: 11" in in_batch[0][2]
    assert in_monitor == in_batch  # the same message, word for word


def test_the_limit_is_each_acts_own_not_the_cases_total(profile: Any) -> None:
    # two grants of 6 in one case (12 in all) are each within 10: maximum, unlike maximum_total, does not add up
    events = _events({"TWICE": 6}) + [{"case_id": "TWICE", "event": "quality.extension_approved",
                                       "time": "2024-05-08 09:00", "extra_working_days": 6}]
    in_batch, in_monitor = _found(profile, events)
    assert in_batch == in_monitor == []
