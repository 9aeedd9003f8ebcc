"""`compare`'s ≠ and `--differences-only` follow what a profile changes, not only the words a cell shows:
a drafter told "0 of 34 rows differ: the profiles' rules, penalties and settings are the same" reads the
variant as changing nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import govdata_policy as gp
from govdata_policy.compare import compare_rules

VariantFile = Callable[[str, str], Path]


def _differing(*profiles: object) -> list[str]:
    _, rows = compare_rules(list(profiles))
    return [row.key for row in rows if row.differs]


def test_a_variant_citing_another_clause_differs(variant_file: VariantFile) -> None:
    # the cell's text leaves the clause out (across jurisdictions every clause differs); between variants a
    # rule renumbered 18.2 -> 18.3 gives findings of another clause and was "the same"
    base = gp.load_jurisdiction("yongzhou")
    renumbered = gp.load_jurisdiction(variant_file(
        "yz-renumbered", "extends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply: {clause: '18.3'}\n"))
    assert _differing(base, renumbered) == ["deadline → share.provider_reviewed [category=conditional]"]
    # alike, a profile compared with itself, and jurisdictions still compared by duty, not by clause
    assert _differing(base, gp.load_jurisdiction("yongzhou")) == []
    # Yongzhou 13 and Xinzhou 3.2 both give 15 working days to update a catalog: the same duty
    assert "deadline → catalog.updated" not in _differing(base, gp.load_jurisdiction("xinzhou"))
