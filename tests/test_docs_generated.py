"""docs/jurisdictions/*.md are generated from the rule files and must be up to date."""

from __future__ import annotations

from pathlib import Path

from govdata_policy.docs_gen import main, render
from govdata_policy.profile import BUILT_INS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "jurisdictions"


def test_generated_pages_are_up_to_date() -> None:
    assert main(["--check", str(DOCS)]) == 0, "run: python -m govdata_policy.docs_gen"


def test_every_rule_is_on_its_page() -> None:
    import govdata_policy as gp

    for name in BUILT_INS:
        page = render(name)
        for rule in gp.load_jurisdiction(name).rules:
            assert f"(`{rule.id}`)" in page
            assert rule.text_zh.strip()[:20] in page


def test_a_prohibited_act_reported_invalid_says_invalid() -> None:
    # Guangxi 21（四）: CLAUSES.md reads a mounted catalog's own offline request as `invalid`; the page said prohibited
    page = render("guangxi")
    assert "- what: `catalog.offline_requested` (mounted=true) is invalid" in page
    assert "- what: `conduct.leak` is prohibited" in page
