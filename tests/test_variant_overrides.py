"""What a variant's ``rule_overrides`` and ``remove_rules`` do to its parent's rules, down a chain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.profile import ProfileError

REPLY = "yz-18.2-conditional-reply"
OVERRIDE = "extends: {parent}\nrule_overrides:\n  yz-18.2-conditional-reply: {{trigger: {{when: {{{when}}}}}}}\n"
REQUESTS = [{"case_id": case, "event": "share.requested", "time": "2024-06-03 09:00", "category": category}
            for case, category in (("C", "conditional"), ("N", "not_shared"), ("U", "unconditional"))]


def _owed(profile: gp.Profile) -> list[str]:
    """The cases owing 18.2's reply (overdue at the end of July: none was answered)."""
    found = profile.evaluate(REQUESTS, as_of="2024-07-31").violations
    return sorted(found.loc[found["rule_id"] == REPLY, "case_id"])


def test_a_condition_in_an_override_replaces_the_rules_condition_whole(
        variant_file: Callable[[str, str], Path]) -> None:
    # merged key by key, {in: [..]} joined the rule's {equals: conditional}: "needs exactly one of equals / in …"
    wider = variant_file("wider", OVERRIDE.format(parent="yongzhou", when="category: {in: [conditional, not_shared]}"))
    profile = gp.load_jurisdiction(wider)
    assert profile.rules_by_id[REPLY].trigger.when["category"].in_ == ["conditional", "not_shared"]
    assert profile.rule_layer[REPLY] == "wider"
    assert _owed(profile) == ["C", "N"]
    # null drops the condition, also one a parent's override gave
    dropped = variant_file("dropped", OVERRIDE.format(parent=wider, when="category: null"))
    assert gp.load_jurisdiction(dropped).rules_by_id[REPLY].trigger.when == {}
    assert _owed(gp.load_jurisdiction(dropped)) == ["C", "N", "U"]


@pytest.mark.parametrize("body", [
    OVERRIDE.format(parent="yongzhou", when=""),  # read as "no conditions", it kept them: a no-op
    OVERRIDE.format(parent="yongzhou", when="category: conditional"),  # what the rule says already
    "extends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply: {}\n",
], ids=["empty when", "the rule's own condition", "empty override"])
def test_an_override_that_changes_nothing_is_refused(variant_file: Callable[[str, str], Path], body: str) -> None:
    # it loaded, and named the variant as the rule's layer on every finding
    idle = variant_file("idle", body)
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(idle)
    assert str(caught.value).startswith(f"{idle}: field rule_overrides.{REPLY}: changes nothing in the rule")


def test_a_layer_restating_its_parents_override_is_refused(variant_file: Callable[[str, str], Path]) -> None:
    wider = variant_file("wider", OVERRIDE.format(parent="yongzhou", when="category: [conditional, not_shared]"))
    again = variant_file("again", OVERRIDE.format(parent=wider, when="category: {in: [conditional, not_shared]}"))
    with pytest.raises(ProfileError, match=rf"^{again}: field rule_overrides\.{REPLY}: changes nothing"):
        gp.load_jurisdiction(again)
