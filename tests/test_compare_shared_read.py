"""`compare --log` reads and validates the log once for every profile (reading knows no rules), yet each
profile still refuses the rows its own calendar cannot count: a variant with a longer period checks
events less near the calendar's end, and its rejected rows and counts are its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.engine.evaluate import Loaded, evaluate, load

runner = CliRunner()

LOG = ("case_id,event,time,category\n"
       "A1,share.requested,2025-03-03 09:00,conditional\n"
       "A2,share.requestd,2025-03-03 09:00,conditional\n"  # refused by reading: under every profile
       "A3,share.requested,2035-08-01 09:00,conditional\n")  # in the 100-wd variant's margin, not the base's


@pytest.fixture
def long_variant(variant_file: Callable[[str, str], Path]) -> Path:
    # a 100-working-day reply: events from 2035-07-05 on leave the period no room before the calendar ends
    return variant_file("yongzhou-100wd", "extends: yongzhou\nparameters:\n  yz_conditional_reply_days: "
                                          "{value: 100, reference: test, description: test}\n")


def test_each_profile_keeps_its_own_calendar_refusals(tmp_path: Path, long_variant: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(long_variant), "--log", str(log), "--as-of",
                                  "2035-12-31", "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    body = json.loads(outcome.output)["log"]
    assert body["rows"] == {"yongzhou": {"read": 3, "accepted": 2, "rejected": 1},
                            "yongzhou-100wd": {"read": 3, "accepted": 1, "rejected": 2}}
    rejected = body["rejected_rows"]
    assert [(r["row"], r["line"]) for r in rejected["yongzhou"]] == [(2, 3)]
    assert [(r["row"], r["line"]) for r in rejected["yongzhou-100wd"]] == [(2, 3), (3, 4)]
    assert "too near the end of the working-day calendar" in rejected["yongzhou-100wd"][1]["reason"]
    # each the same as the profile's own check of the log
    for name, profile in (("yongzhou", "yongzhou"), ("yongzhou-100wd", str(long_variant))):
        alone = gp.load_jurisdiction(profile).evaluate(log, as_of="2035-12-31")
        assert rejected[name] == alone.rejected_rows and body["rows"][name] == alone.rows


def test_a_log_read_once_checks_as_the_log_read_by_each(tmp_path: Path, long_variant: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    loaded = Loaded(*load(log))
    for profile in (gp.load_jurisdiction("yongzhou"), gp.load_jurisdiction(long_variant)):
        shared, alone = evaluate(profile, loaded, as_of="2035-12-31"), evaluate(profile, log, as_of="2035-12-31")
        assert shared.to_json(indent=2) == alone.to_json(indent=2)
        assert shared.obligations.equals(alone.obligations)
    assert loaded.rejected == load(log)[1] and len(loaded.frame) == 2  # nothing of the shared read was changed
