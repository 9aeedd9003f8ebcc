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


def test_removals_accumulate_down_a_chain(variant_file: Callable[[str, str], Path]) -> None:
    # B's list replaced A's: yz-21-extension-limit, which A removed, was back under B
    first = variant_file("first", "extends: yongzhou\nremove_rules: [yz-21-extension-limit]\n")
    second = variant_file("second", f"extends: {first}\nremove_rules: [yz-13-catalog-filed]\n")
    profile = gp.load_jurisdiction(second)
    assert {"yz-21-extension-limit", "yz-13-catalog-filed"}.isdisjoint(profile.rules_by_id)
    assert len(profile.rules) == len(gp.load_jurisdiction("yongzhou").rules) - 2
    assert profile.spec.remove_rules == ["yz-21-extension-limit", "yz-13-catalog-filed"]


REMOVED = "yz-21-extension-limit"  # the only rule reading yz_quality_extension_limit_per
PER_APPROVAL = "parameters:\n  yz_quality_extension_limit_per: {value: approval, reference: t, description: t}\n"


@pytest.mark.parametrize(("parent_body", "body", "says"), [
    ("", f"remove_rules: [{REMOVED}]\nrule_overrides:\n  {REMOVED}: {{penalty: \"38.9\"}}\n",
     f"field rule_overrides.{REMOVED}: the rule is removed (remove_rules of {{parent}})"),
    (f"remove_rules: [{REMOVED}]\n", f"rule_overrides:\n  {REMOVED}: {{penalty: \"38.9\"}}\n",
     f"field rule_overrides.{REMOVED}: the rule is removed (remove_rules of {{parent}})"),
    ("", f"remove_rules: [{REMOVED}]\n" + PER_APPROVAL,
     f"field parameters.yz_quality_extension_limit_per: read only by rule {REMOVED}, which remove_rules of "
     "{parent} removes"),
], ids=["override, same layer", "override after the removal", "parameter only the removed rule reads"])
def test_a_removed_rule_changed_too_is_refused(
        variant_file: Callable[[str, str], Path], parent_body: str, body: str, says: str) -> None:
    # each loaded, and the override or value changed nothing
    parent = variant_file("parent", "extends: yongzhou\n" + parent_body) if parent_body else None
    child = variant_file("child", f"extends: {parent or 'yongzhou'}\n{body}")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(child)
    assert str(caught.value).startswith(f"{child}: {says.format(parent=parent or child)}"), str(caught.value)


def test_a_rule_changed_by_a_parent_may_be_removed_by_a_child(variant_file: Callable[[str, str], Path]) -> None:
    # the parent's override and value are its own business; the child's removal drops them with the rule
    parent = variant_file("parent", f"extends: yongzhou\n{PER_APPROVAL}rule_overrides:\n  {REMOVED}: "
                          "{penalty: \"38.9\"}\n")
    child = variant_file("child", f"extends: {parent}\nremove_rules: [{REMOVED}]\n")
    assert REMOVED not in gp.load_jurisdiction(child).rules_by_id
    # a parameter another kept rule reads may still be set beside the removal
    both = variant_file("both", f"extends: yongzhou\nremove_rules: [{REMOVED}]\nparameters:\n"
                        "  yz_quality_extension_counting: {value: total, reference: t, description: t}\n")
    assert gp.load_jurisdiction(both).rules_by_id["yz-21-quality-verification"].extension.max_working_days == 10


def test_an_override_of_a_rules_readings_is_refused(variant_file: Callable[[str, str], Path]) -> None:
    # it loaded: the rule then showed `total` as its default reading while the rule file's default
    # (on_top, 15 extra working days) was applied, the new option's 3 days nowhere
    body = ("extends: yongzhou\nrule_overrides:\n  yz-21-quality-verification:\n    readings:\n"
            "      - {param: yz_quality_extension_counting, summary: changed, default: total,\n"
            "         options: {on_top: {}, total: {extension: {max_working_days: 3}}}}\n")
    reread = variant_file("reread", body)
    with pytest.raises(ProfileError, match=rf"^{reread}: field rule_overrides\.yz-21-quality-verification\.readings: "
                                          "a rule's readings cannot be overridden; choose one by its parameter"):
        gp.load_jurisdiction(reread)


def test_a_variants_misspelt_parameter_is_said_as_one(variant_file: Callable[[str, str], Path]) -> None:
    # a variant gives a value and its reference, the description being the parent's; misspelt, the parameter is
    # a new one and was refused for its missing description alone, the misspelling unsaid
    misspelt = variant_file("yz-typo", "extends: yongzhou\nparameters:\n"
                                       "  yz_conditional_reply_day: {value: 5, reference: 草案}\n")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(misspelt)
    assert str(caught.value) == (
        f"{misspelt}: field parameters.yz_conditional_reply_day.description: Field required "
        "('yz_conditional_reply_day' is no parameter of the profile it extends: did you mean "
        "'yz_conditional_reply_days'?)")
    # a parameter of the variant's own (no parent's name is near it) is refused as before, without a guess
    own = variant_file("yz-own", "extends: yongzhou\nparameters:\n  my_filing_days: {value: 5, reference: 草案}\n")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(own)
    assert str(caught.value) == f"{own}: field parameters.my_filing_days.description: Field required"


def test_a_misspelt_add_rules_is_said_with_add_rules_meant(variant_file: Callable[[str, str], Path]) -> None:
    # add_rules is read from each layer, not from the profile model: `add_rule:` was "not a field; the fields:
    # name, title_zh, …", a list of the fields without the one meant
    misspelt = variant_file("yz-add", "extends: yongzhou\nadd_rule: [mine.yaml]\n")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(misspelt)
    assert str(caught.value) == f"{misspelt}: field add_rule: not a field (did you mean 'add_rules'?)"


def test_a_misspelt_extends_is_said_before_the_fields_it_leaves_missing(tmp_path: Path) -> None:
    # `extend:` left the variant without a parent, and the first of the fields a parent would give was said:
    # "field title_zh: Field required", of a file that was never meant to have one
    misspelt = tmp_path / "yz-draft.yaml"
    misspelt.write_text("name: yz-draft\nextend: yongzhou\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(misspelt)
    assert str(caught.value) == f"{misspelt}: field extend: not a field (did you mean 'extends'?)"
