"""`compare --log` says which cases a profile has no verdict on because their event lies outside a document's
validity (C6). It checked each such profile a second time with the findings kept, running every rule again,
though the rules do not depend on validity: only the assembly does. ``evaluate(..., unenforced=True)`` now
assembles the kept findings from the same rule run; they must be those of a separate unenforced check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.engine import evaluate as evaluate_module
from govdata_policy.engine.evaluate import evaluate

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def rule_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The profile of each run of the rules."""
    runs: list[str] = []
    real = evaluate_module.run_rules

    def counting(ctx: Any, rules: list[Any], *args: Any, **kwargs: Any) -> Any:
        runs.append(rules[0].id if rules else "")
        return real(ctx, rules, *args, **kwargs)

    monkeypatch.setattr(evaluate_module, "run_rules", counting)
    return runs


# xinjiang's trial measure is valid 2023-02-17 .. 2025-02-16, yongzhou's 2022-07-18 .. 2027-07-17: each example
# log has findings (violations and obligations both) on events outside them
@pytest.mark.parametrize("name", ["xinjiang", "yongzhou"])
def test_the_kept_findings_are_those_of_a_check_that_keeps_them(name: str, rule_runs: list[str]) -> None:
    profile, log = gp.load_jurisdiction(name), EXAMPLES / f"{name}.csv"
    result = evaluate(profile, log, as_of="2026-06-30", unenforced=True)
    assert len(rule_runs) == 1
    kept = result.unenforced
    assert len(rule_runs) == 1  # assembled from the same run of the rules
    alone = evaluate(profile, log, as_of="2026-06-30", enforce_validity=False)
    assert kept.to_json(indent=2) == alone.to_json(indent=2)  # notes and rows too
    assert kept.obligations.equals(alone.obligations) and kept.violations.equals(alone.violations)
    assert kept.enforce_validity is False and kept.unenforced is None
    # the findings were left out of the result itself, as before
    enforced = evaluate(profile, log, as_of="2026-06-30")
    assert result.to_json(indent=2) == enforced.to_json(indent=2)
    assert len(result.violations) < len(kept.violations)


def test_without_the_option_there_is_nothing_kept() -> None:
    result = gp.load_jurisdiction("xinjiang").evaluate(EXAMPLES / "xinjiang.csv", as_of="2026-06-30")
    assert result.unenforced is None


def test_compare_runs_each_profiles_rules_once(rule_runs: list[str]) -> None:
    outcome = runner.invoke(app, ["compare", "guangxi", "xinjiang", "yongzhou", "--log",
                                  str(EXAMPLES / "xinjiang.csv"), "--as-of", "2026-06-30", "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    assert len(rule_runs) == 3  # was 4: xinjiang's rules again, to find what it left out
    reasons = [case["reason"] for case in json.loads(outcome.stdout)["log"]["cases_that_differ"]]
    assert any("not reported under xinjiang" in reason for reason in reasons)
