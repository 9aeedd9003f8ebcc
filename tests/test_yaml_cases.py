"""Every YAML rule case under tests/cases/ runs as its own test (docs/rules-format.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdata_policy.yamltests import case_profile, load_case_file, other_yaml, run_case

CASES = Path(__file__).parent / "cases"


def _case_files() -> list[Path]:
    # a variant profile kept beside the cases naming it (yongzhou/yongzhou-initial-rejection-answers.yaml) is
    # no case file, as `govdata-policy test` passes it over
    return [path for path in sorted(CASES.rglob("*.yaml")) if other_yaml(path) is None]


def _collect() -> list:
    params = []
    for path in _case_files():
        spec = load_case_file(path)
        for index, case in enumerate(spec.cases):
            ident = f"{path.parent.name}/{path.stem}#{index + 1}"
            params.append(pytest.param(path, case_profile(path, spec), case, id=ident))
    return params


@pytest.mark.parametrize(("path", "jurisdiction", "case"), _collect())
def test_yaml_case(path: Path, jurisdiction: str, case) -> None:
    import govdata_policy as gp

    outcome = run_case(gp.load_jurisdiction(jurisdiction), case, path)
    assert outcome.passed, f"{case.name}:\n  " + "\n  ".join(outcome.problems)


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    """The project's standard: each rule is made to fire once and kept quiet once (docs/rules-format.md)."""
    import govdata_policy as gp

    fires: set[str] = set()
    quiet: set[str] = set()
    for path in _case_files():
        for case in load_case_file(path).cases:
            rules = [case.rule] if isinstance(case.rule, str) else list(case.rule or [])
            if case.violations == []:
                quiet.update(rules)
            for expected in case.violations or []:
                rule_id = expected.get("rule_id") or (rules[0] if len(rules) == 1 else None)
                if rule_id:
                    fires.add(rule_id)
    lacking = [
        rule.id for name in ("guangxi", "yongzhou", "xinjiang", "xinzhou")
        for rule in gp.load_jurisdiction(name).rules if rule.id not in fires or rule.id not in quiet
    ]
    assert lacking == []
