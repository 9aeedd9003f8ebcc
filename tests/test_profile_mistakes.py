"""A drafter's mistakes in a copied profile or rule file: each fails to load, naming the file,
the rule and the field, instead of loading and quietly changing (or not changing) verdicts.

Every case below loaded before and was found by an audit posing as a policy drafter: a
misspelt parameter changed nothing, ``period:`` given twice kept the second, ``days: true``
counted one day, ``categroy`` never matched, a penalty item nobody has was cited.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.profile import ProfileError
from govdata_policy.rules.loader import RuleLoadError

ROOT = Path(__file__).resolve().parents[1]
SHARING = "rules_xz/sharing.yaml"
PROFILE = "xz.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """Xinzhou's profile and rules, copied as a drafter starts: ``xz.yaml`` with ``./rules_xz``."""
    shutil.copytree(ROOT / "rules" / "xinzhou", tmp_path / "rules_xz")
    text = (ROOT / "jurisdictions" / "xinzhou.yaml").read_text(encoding="utf-8")
    text = text.replace("rulesets: [xinzhou]", "rulesets: [./rules_xz]")
    assert "./rules_xz" in text
    (tmp_path / PROFILE).write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "jurisdictions" / "sources", tmp_path / "sources", dirs_exist_ok=True)
    return tmp_path


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _fails(folder: Path, *says: str, profile: Path | None = None) -> str:
    with pytest.raises(RuleLoadError) as info:
        gp.load_jurisdiction(profile or folder / PROFILE)
    message = str(info.value)
    for part in says:
        assert part in message, message
    return message


def test_the_copy_loads_as_it_is(copy: Path) -> None:
    assert len(gp.load_jurisdiction(copy / PROFILE).rules) == len(gp.load_jurisdiction("xinzhou").rules)


PERIOD = "    period: {unit: working_days, days: 5, param: xz_provider_reply_days}\n"

MISTAKES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "a misspelt event": (
        lambda f: _edit(f, SHARING, "    fulfil: share.provider_reviewed\n", "    fulfil: share.provider_reveiwed\n"),
        ("sharing.yaml", "rule xz-5.3.2-provider-reply", "field fulfil.event",
         "unknown event 'share.provider_reveiwed'", "(did you mean 'share.provider_reviewed'?)")),
    "a key given twice": (
        lambda f: _edit(f, SHARING, PERIOD, PERIOD + "    period: {unit: calendar_days, days: 5}\n"),
        ("sharing.yaml: line", "the key 'period' is given twice")),
    "days: true": (
        lambda f: _edit(f, SHARING, "days: 5, param: xz_provider_reply_days", "days: true"),
        ("sharing.yaml", "rule xz-5.3.2-provider-reply", "field period.days")),
    "calendar days under a clause counting 工作日": (
        lambda f: _edit(f, SHARING, "unit: working_days, days: 5, param: xz_provider_reply_days",
                        "unit: calendar_days, days: 5"),
        ("rule xz-5.3.2-provider-reply", "field period.unit", "counts 工作日")),
    "an attribute misspelt in a condition": (
        lambda f: _edit(f, SHARING, "case_when: {category: conditional, dedicated",
                        "case_when: {categroy: conditional, dedicated"),
        ("rule xz-5.3.2-provider-reply", "'categroy' is not an attribute", "did you mean 'category'")),
    "an attribute misspelt in a requirement": (
        lambda f: _edit(f, SHARING, "all_present: [reason, legal_basis]", "all_present: [reason, legal_bases]"),
        ("rule xz-5.3.2-refusal-basis", "'legal_bases' is not an attribute", "did you mean 'legal_basis'")),
    "a mistake inside a reading option no profile picks yet": (
        lambda f: _edit(f, SHARING, "not_in: [agent]", "not_in: [agnet]"),
        ("reading xz_agent_review_counts: option 'no'", "rule xz-5.3.2-provider-reply", "'agnet'")),
    "a penalty item the profile does not have": (
        lambda f: _edit(f, SHARING, 'penalty: "7.4.2"', 'penalty: "7.4.22"'),
        ("sharing.yaml", "field penalty", "'7.4.22' is not an item")),
    "a document the profile does not have": (
        lambda f: (_edit(f, SHARING, "jurisdiction: xinzhou\ndocument: main", "jurisdiction: xinzhou"),  # a mixed file
                   _edit(f, SHARING, 'also: ["5.4.1"]\n    document: main', 'also: ["5.4.1"]\n    document: mian')),
        ("sharing.yaml", "rule xz-5.3.2-provider-reply", "field document", "'mian' is not a document")),
    "a rule citing another document than its file's": (
        lambda f: _edit(f, SHARING, "jurisdiction: xinzhou\ndocument: main", "jurisdiction: xinzhou\ndocument: annex"),
        ("sharing.yaml: rule xz-5.1-no-independent-platform: field document", "the file is of document 'annex'")),
    "a misspelt parameter in the profile": (
        lambda f: _edit(f, PROFILE, "  xz_provider_reply_days:", "  xz_provider_reply_day:"),
        ("xz.yaml: field parameters.xz_provider_reply_day", "no rule reads", "'xz_provider_reply_days'")),
    "a misspelt parameter in the rule": (
        lambda f: _edit(f, SHARING, "param: xz_provider_reply_days", "param: xz_provider_reply_dys"),
        ("field parameters.xz_provider_reply_days", "no rule reads", "'xz_provider_reply_dys'")),
    "a parameter valid from a date": (
        lambda f: _edit(f, PROFILE, "  xz_provider_reply_days:\n",
                        "  xz_provider_reply_days:\n    valid_from: 2026-01-01\n"),
        ("field parameters.xz_provider_reply_days", "no valid_from")),
    "a deadline counted in years": (  # nothing counts it: the batch raised, the monitor read it as C4
        lambda f: _edit(f, PROFILE, "  xz_provider_reply_days:\n    value: 5",
                        "  xz_provider_reply_days:\n    value: {unit: years, days: 1}"),
        ("rule xz-5.3.2-provider-reply: field period", "a deadline period is counted in working_days or "
         "calendar_days or none, not years")),
    "a parameter given as text": (
        lambda f: _edit(f, PROFILE, "  xz_provider_reply_days:\n    value: 5",
                        '  xz_provider_reply_days:\n    value: "10"'),
        ("xz.yaml: field parameters.xz_provider_reply_days.value", "'10' is not a number")),
    "a calendar file that is not there": (
        lambda f: _edit(f, PROFILE, "calendar: {}", "calendar: {regional: calendars/shanxi.yaml}"),
        ("xz.yaml: field calendar.regional", "calendars/shanxi.yaml not found")),
    "a ruleset folder that is not there": (
        lambda f: _edit(f, PROFILE, "rulesets: [./rules_xz]", "rulesets: [rules_xz]"),
        ("xz.yaml: field rulesets", "'rules_xz'")),
    "an unknown profile to extend": (
        lambda f: (f / "v.yaml").write_text("name: v\nextends: xinzhuo\n", encoding="utf-8"),
        ("v.yaml: field extends", "'xinzhuo'")),
    "a rule without a kind": (
        lambda f: _edit(f, SHARING, "    kind: deadline\n", ""),
        ("sharing.yaml", "field kind: missing or unknown")),
    "a party's attribute misspelt": (  # loaded, and every provider finding named no party
        lambda f: _edit(f, PROFILE, "  provider: {attribute: provider}", "  provider: {attribute: provdier}"),
        ("xz.yaml: field parties.provider.attribute: 'provdier' is not an attribute", "did you mean 'provider'")),
    "a party read from a date": (
        lambda f: _edit(f, PROFILE, "  provider: {attribute: provider}", "  provider: {attribute: rectify_by}"),
        ("xz.yaml: field parties.provider.attribute: 'rectify_by' holds a yes/no, number or time",)),
    "a rule's party the profile does not have": (  # loaded, and every finding of the rule named no party
        lambda f: _edit(f, SHARING, "    obligor_role: provider\n    penalty: \"7.4.2\"\n",
                        "    obligor_role: provider\n    party: provder\n    penalty: \"7.4.2\"\n"),
        ("sharing.yaml: rule xz-5.3.2-provider-reply: field party: 'provder' is not a key of the profile's parties",
         "did you mean 'provider'")),
    "a rule's party that is its own obligor role": (  # the default, which reads the log; a fixed body would not
        lambda f: _edit(f, SHARING, "    obligor_role: provider\n    penalty: \"7.4.2\"\n",
                        "    obligor_role: provider\n    party: provider\n    penalty: \"7.4.2\"\n"),
        ("sharing.yaml: rule xz-5.3.2-provider-reply: field party", "is the rule's obligor_role", "leave party out")),
    "a variant's override naming a party the profile does not have": (
        lambda f: (f / "v.yaml").write_text(
            "name: v\nextends: ./xz.yaml\nrule_overrides:\n  xz-5.3.2-provider-reply: {party: region}\n",
            encoding="utf-8"),
        ("v.yaml: rule xz-5.3.2-provider-reply: field party: 'region' is not a key of the profile's parties",)),
    "a party entry no rule names": (  # a misspelt role answered for nothing, the role's own entry still did
        lambda f: _edit(f, PROFILE, "  provider: {attribute: provider}\n",
                        "  provider: {attribute: provider}\n  authorty: {name_zh: 某局}\n"),
        ("xz.yaml: field parties.authorty: neither a role", "nor named by a rule's party", "did you mean 'authority'")),
    # a misspelt required key was "field authority_zh: Field required" of a file that has it, misspelt
    "a required key misspelt in the profile": (
        lambda f: _edit(f, PROFILE, "authority_zh:", "authorty_zh:"),
        ("xz.yaml: field authorty_zh: not a field (did you mean 'authority_zh'? it is required)",)),
    "a parameter's reference misspelt": (
        lambda f: _edit(f, PROFILE, "    value: 5\n    reference:", "    value: 5\n    refrence:"),
        ("xz.yaml: field parameters.xz_provider_reply_days.refrence: not a field (did you mean 'reference'?",)),
    "a required key misspelt in a rule": (
        lambda f: _edit(f, SHARING, "    fulfil: share.provider_reviewed\n", "    fulfill: share.provider_reviewed\n"),
        ("sharing.yaml: rule xz-5.3.2-provider-reply: field fulfill: not a field (did you mean 'fulfil'?",)),
    "an optional key misspelt": (
        lambda f: _append(f, PROFILE, "enforce_validty: false\n"),
        ("xz.yaml: field enforce_validty: not a field (did you mean 'enforce_validity'?)",)),
    # was "v.yaml: rule_overrides/remove_rules name unknown rule ...": neither the field nor the id meant
    "a variant overriding a rule the profile does not have": (
        lambda f: (f / "v.yaml").write_text(
            "name: v\nextends: ./xz.yaml\nrule_overrides:\n  xz-5.3.2-provider-replies: {penalty: \"7.3\"}\n",
            encoding="utf-8"),
        ("v.yaml: field rule_overrides.xz-5.3.2-provider-replies: no rule", "did you mean 'xz-5.3.2-provider-reply'")),
    "a variant removing a rule the profile does not have": (
        lambda f: (f / "v.yaml").write_text("name: v\nextends: ./xz.yaml\nremove_rules: [xz-5.5-quality]\n",
                                            encoding="utf-8"),
        ("v.yaml: field remove_rules: no rule 'xz-5.5-quality'", "did you mean 'xz-5.5-quality-verification'")),
    # merged key by key, the value alone kept the parent's reference, which cites the parent's 5 working days
    "a variant's value without its reference": (
        lambda f: (f / "v.yaml").write_text(
            "name: v\nextends: ./xz.yaml\nparameters:\n  xz_provider_reply_days: {value: 3}\n", encoding="utf-8"),
        ("v.yaml: field parameters.xz_provider_reply_days.reference: missing", "the parent's reference")),
    "a clause written as the document writes it": (  # was "String should match pattern '^(R\\.)?[0-9]+…'"
        lambda f: _edit(f, SHARING, '    clause: "5.1"\n', '    clause: "五（一）"\n'),
        ("sharing.yaml: rule xz-5.1-no-independent-platform: field clause: '五（一）' is not a clause path",
         "五（三）2 -> 5.3.2")),
    # a check of the whole profile said its field as empty: "xz.yaml: field : penalties.document 'mian' is not…"
    "the penalties' document not a key of documents": (
        lambda f: _edit(f, PROFILE, "penalties:\n  article: \"7.4\"\n  document: main",
                        "penalties:\n  article: \"7.4\"\n  document: mian"),
        ("xz.yaml: field penalties.document: 'mian' is not a key of documents (main)",)),
    "a parties key neither a role nor a name": (
        lambda f: _edit(f, PROFILE, "  provider: {attribute: provider}", "  Provider: {attribute: provider}"),
        ("xz.yaml: field parties.Provider: 'Provider' is neither a role",)),
    "a clause number written as a YAML number": (
        lambda f: _append(f, PROFILE, "rule_overrides:\n  xz-5.3.2-provider-reply: {penalty: 7.3}\n"),
        ("field penalty", 'write it in quotes, "7.3"')),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_fails_to_load_and_says_where(copy: Path, mistake: str) -> None:
    edit, says = MISTAKES[mistake]
    edit(copy)
    _fails(copy, *says, profile=copy / "v.yaml" if (copy / "v.yaml").exists() else None)


def test_an_added_rule_file_not_there_names_the_variant_and_field(tmp_path: Path) -> None:
    variant = tmp_path / "v.yaml"
    variant.write_text("name: v\nextends: yongzhou\nadd_rules: [extra.yaml, nofile.yaml]\n", encoding="utf-8")
    (tmp_path / "extra.yaml").write_text("", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(variant)
    assert str(caught.value) == f"{variant}: field add_rules.1: rule file nofile.yaml not found next to the profile"
    variant.write_text("name: v\nextends: yongzhou\nadd_rules: {x: 1}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"v\.yaml: field add_rules: a list of rule files, not dict"):
        gp.load_jurisdiction(variant)


YONGZHOU_RULE_FILE = """\
jurisdiction: yongzhou
document: main
title: 草案
rules:
  - {id: draft-18.1-no-refusal, clause: "18.1", document: main, topic: sharing, kind: prohibited,
     title_zh: 无条件共享类不得拒绝, text_zh: "使用无条件共享类政务数据,可直接通过共享平台获得访问权限;",
     summary_en: An unconditional request is not refused., obligor_role: provider, penalty: "38.5",
     act: {event: share.provider_reviewed, when: {outcome: refused}, case_when: {category: unconditional}}}
"""


def test_an_added_rule_file_of_another_jurisdiction_is_refused(tmp_path: Path) -> None:
    # a Yongzhou rule file added to a Xinzhou variant: its clauses are not Xinzhou's document's
    (tmp_path / "extra.yaml").write_text(YONGZHOU_RULE_FILE, encoding="utf-8")
    variant = tmp_path / "v.yaml"
    variant.write_text("name: v\nextends: xinzhou\nadd_rules: [extra.yaml]\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as caught:
        gp.load_jurisdiction(variant)
    assert str(caught.value) == (f"{(tmp_path / 'extra.yaml').resolve()}: field jurisdiction: 'yongzhou', but the "
                                 "profile's rules are 'xinzhou''s (added by v)")
    variant.write_text("name: v\nextends: yongzhou\nadd_rules: [extra.yaml]\n", encoding="utf-8")
    assert "draft-18.1-no-refusal" in gp.load_jurisdiction(variant).rules_by_id  # its own jurisdiction: loads


def test_a_rule_file_of_the_profiles_own_rulesets_naming_another_jurisdiction_is_refused(copy: Path) -> None:
    # a drafter's profile, renamed, whose rule folder holds a file copied from another jurisdiction (or not
    # yet renamed): it loaded silently, its findings citing that jurisdiction's clauses under this profile
    _edit(copy, PROFILE, "name: xinzhou", "name: shili")
    for path in (copy / "rules_xz").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("jurisdiction: xinzhou", "jurisdiction: shili"),
                        encoding="utf-8")
    assert gp.load_jurisdiction(copy / PROFILE).name == "shili"  # renamed throughout: loads
    _edit(copy, SHARING, "jurisdiction: shili", "jurisdiction: guangxi")
    message = _fails(copy, "rules_xz/sharing.yaml: rule xz-", "field jurisdiction: 'guangxi', but the profile's "
                     "rules are shili's (write jurisdiction: shili", "extends: guangxi")
    assert message.startswith(str((copy / SHARING).resolve())), message
    # a variant of the drafter's profile uses its rules: a file of the variant's own folder says so too
    variant = copy / "v.yaml"
    variant.write_text("name: v\nextends: xz.yaml\n", encoding="utf-8")
    _fails(copy, "field jurisdiction: 'guangxi', but the profile's rules are shili's", profile=variant)
    _edit(copy, SHARING, "jurisdiction: guangxi", "jurisdiction: v")
    _fails(copy, "field jurisdiction: 'v', but the profile's rules are shili's", profile=variant)
    # a renamed copy naming the bundled ruleset uses Xinzhou's rules by choice, and its folder's files may too
    _edit(copy, PROFILE, "rulesets: [./rules_xz]", "rulesets: [xinzhou, ./rules_xz]")
    _edit(copy, SHARING, "jurisdiction: v", "jurisdiction: xinzhou")
    for path in (copy / "rules_xz").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("id: xz-", "id: own-"), encoding="utf-8")
    assert "own-5.3.2-provider-reply" in gp.load_jurisdiction(copy / PROFILE).rules_by_id


def test_a_misspelt_jurisdiction_gets_the_closest_name_from_the_profile_and_the_calendar_verbs() -> None:
    from govdata_policy.calendar.resolve import UnknownJurisdictionError, calendar_files

    with pytest.raises(ProfileError, match=r"unknown jurisdiction 'yongzhu' \(did you mean 'yongzhou'\?\): use one "
                                           r"of guangxi, xinjiang, xinzhou, yongzhou or a path"):
        gp.load_jurisdiction("yongzhu")
    with pytest.raises(UnknownJurisdictionError, match=r"'xinjang' \(did you mean 'xinjiang'\?\): use one of "):
        calendar_files("xinjang")


@pytest.mark.parametrize(("attribute", "says"), [
    ("goodfaith", "'goodfaith' is not an attribute of the vocabulary of docs/contract.md (did you mean 'good_faith'?)"),
    ("reason", "'reason' is not a yes/no attribute (classified, "),  # the engine reads the flag as yes/no
])
def test_a_mitigation_attribute_is_a_yes_no_attribute_of_the_vocabulary(
        tmp_path: Path, attribute: str, says: str) -> None:
    # loaded before, and clause 42's mitigation disappeared from every finding
    variant = tmp_path / "v.yaml"
    variant.write_text(f"name: v\nextends: xinjiang\nmitigation: {{attribute: {attribute}}}\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        gp.load_jurisdiction(variant)
    assert str(caught.value).startswith(f"{variant}: field mitigation.attribute: {says}"), str(caught.value)
    variant.write_text("name: v\nextends: xinjiang\nmitigation: {attribute: good_faith}\n", encoding="utf-8")
    assert gp.load_jurisdiction(variant).spec.mitigation.clause == "42"  # the parent's clause, kept


def test_an_unknown_rule_overridden_down_a_chain_names_the_layer_that_overrides_it(copy: Path) -> None:
    # the chain's last file was named, which does not hold the mistake
    (copy / "v.yaml").write_text("name: v\nextends: ./xz.yaml\nremove_rules: [xz-5.5-quality]\n", encoding="utf-8")
    (copy / "w.yaml").write_text("name: w\nextends: ./v.yaml\n", encoding="utf-8")
    message = _fails(copy, "field remove_rules: no rule 'xz-5.5-quality'", profile=copy / "w.yaml")
    assert message.startswith(str(copy / "v.yaml")), message
