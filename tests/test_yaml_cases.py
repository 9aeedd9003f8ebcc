"""Every YAML rule case under tests/cases/ runs as its own test (docs/rules-format.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdata_policy.yamltests import load_case_file, run_case

CASES = Path(__file__).parent / "cases"


def _collect() -> list:
    params = []
    for path in sorted(CASES.rglob("*.yaml")):
        spec = load_case_file(path)
        for index, case in enumerate(spec.cases):
            ident = f"{path.parent.name}/{path.stem}#{index + 1}"
            params.append(pytest.param(path, spec.jurisdiction, case, id=ident))
    return params


@pytest.mark.parametrize(("path", "jurisdiction", "case"), _collect())
def test_yaml_case(path: Path, jurisdiction: str, case) -> None:
    import govdata_policy as gp

    outcome = run_case(gp.load_jurisdiction(jurisdiction), case, path)
    assert outcome.passed, f"{case.name}:\n  " + "\n  ".join(outcome.problems)
