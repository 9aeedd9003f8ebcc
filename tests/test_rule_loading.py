"""Rule and profile files: every built-in loads, every rule is cited, and a mistake names file, rule and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.citation import number_of_chinese
from govdata_policy.profile import BUILT_INS
from govdata_policy.rules.loader import RuleLoadError, load_rule_file, quoted_counts
from govdata_policy.rules.model import Requirement

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "docs" / "clauses.md"  # the team's CLAUSES.md, kept in the repository
SHARED_CLAUSES = ROOT.parent / "shared" / "CLAUSES.md"  # beside a working checkout, not a clean clone
GOOD_RULE = """\
jurisdiction: test
title: t
rules:
  - id: t-1
    clause: "18.2"
    document: main
    topic: sharing
    kind: deadline
    title_zh: 有条件共享申请10个工作日内答复
    text_zh: 市政务数据主管部门会同提供部门在10个工作日内提出意见并反馈
    summary_en: answered within 10 working days
    obligor_role: provider
    penalty: "38.8"
    trigger: {event: share.requested, when: {category: conditional}}
    fulfil: share.provider_reviewed
    period: {unit: working_days, days: 10}
"""


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_built_in_profile_loads_with_cited_rules(name: str) -> None:
    profile = gp.load_jurisdiction(name)
    assert profile.rules, name
    penalties = profile.spec.penalties.items
    for rule in profile.rules:
        assert re.match(r"^(R\.)?\d+(\.\d+)*$", rule.clause)
        assert len(rule.text_zh.strip()) >= 4 and rule.summary_en.strip()
        assert rule.document in profile.spec.documents, rule.id
        assert rule.penalty is None or rule.penalty in penalties, f"{rule.id}: penalty {rule.penalty}"
        assert rule.obligor_role


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_clause_of_the_inventory_has_a_rule(name: str) -> None:
    text = CLAUSES.read_text(encoding="utf-8")
    heads = {"guangxi": "## Guangxi", "yongzhou": "## Yongzhou", "xinjiang": "## Xinjiang", "xinzhou": "## Xinzhou"}
    order = list(heads)
    start = text.index(heads[name])
    nxt = order.index(name) + 1
    end = text.index(heads[order[nxt]]) if nxt < len(order) else len(text)
    row = re.compile(r"\| ((?:R\.)?[0-9][0-9.]*(?:, [0-9][0-9.]*)*) \|")
    wanted = {m.group(1).split(", ")[0] for m in map(row.match, text[start:end].splitlines()) if m}
    have = {rule.clause for rule in gp.load_jurisdiction(name).rules}
    assert wanted - have == set()


@pytest.mark.parametrize(("copy", "shared"), [("clauses.md", "CLAUSES.md"), ("contract.md", "CONTRACT.md")])
def test_the_repositorys_copies_of_the_inventory_and_contract_are_current(copy: str, shared: str) -> None:
    original = SHARED_CLAUSES.parent / shared
    if not original.exists():
        pytest.skip("the team's shared folder is not beside this checkout (a clean clone): nothing to compare")
    assert (ROOT / "docs" / copy).read_bytes() == original.read_bytes(), f"copy ../shared/{shared} to docs/{copy}"


def test_a_good_rule_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    assert load_rule_file(path).rules[0].period.days == 10


@pytest.mark.parametrize(
    ("broken", "field", "says"),
    [
        ("days: 10}", "period", "days: ten}"),
        ("days: 10}", "period", "days: 0}"),
        ("days: 10}", "period", "days: 12}"),  # the quotation counts 10
        ("fulfil: share.provider_reviewed", "fulfil.event", "fulfil: share.teleported"),
        ('clause: "18.2"', "clause", 'clause: "第十八条"'),
        ("when: {category: conditional}", "trigger", "when: {category: sometimes}"),
        ("obligor_role: provider", "obligor_role", "obligor_role: janitor"),
        ("    period: {unit: working_days, days: 10}\n", "(the whole entry)", ""),
    ],
)
def test_a_mistake_names_file_rule_and_field(tmp_path: Path, broken: str, field: str, says: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD_RULE.replace(broken, says), encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rule_file(path)
    message = str(info.value)
    assert "broken.yaml" in message and "rule t-1" in message
    assert f"field {field}" in message or (field == "period" and "field period.days" in message), message
    if field == "trigger":
        assert "when.category: 'sometimes'" in message


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        # each of these loaded and matched no row (or, for not_in, every row) before
        ('{classified: "true"}', "when.classified: 'true' is not a yes/no value"),
        ("{classified: [yes, 'no']}", "when.classified: 'no' is not a yes/no value"),
        ("{category: yes}", "when.category: True is not text: quote it"),
        ("{category: {not_in: [true]}}", "when.category: True is not text"),
        ('{extra_working_days: "5"}', "when.extra_working_days: '5' is not a whole number"),
        ("{extra_working_days: true}", "when.extra_working_days: True is not a whole number"),
        ("{rectify_by: '2024-01-01'}", "'2024-01-01': a time attribute is tested by present or absent"),
        ("{reason: 5}", "when.reason: 5 is not text"),
    ],
)
def test_a_condition_value_of_the_wrong_type_is_refused(tmp_path: Path, condition: str, says: str) -> None:
    path = tmp_path / "typed.yaml"
    path.write_text(GOOD_RULE.replace("when: {category: conditional}", f"when: {condition}"), encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rule_file(path)
    message = str(info.value)
    assert "typed.yaml" in message and "rule t-1" in message and "field trigger" in message, message
    assert says in message, message


@pytest.mark.parametrize("condition", ["{classified: true}", "{classified: {not_in: [false]}}", "{reason: '5'}",
                                       "{rectify_by: {present: true}}", "{extra_working_days: 5}"])
def test_a_condition_value_of_the_attributes_type_loads(tmp_path: Path, condition: str) -> None:
    path = tmp_path / "typed.yaml"
    path.write_text(GOOD_RULE.replace("when: {category: conditional}", f"when: {condition}"), encoding="utf-8")
    assert load_rule_file(path).rules[0].trigger.when


def test_a_maximum_is_on_a_number_attribute() -> None:
    with pytest.raises(ValueError, match="'reason' is not a number attribute"):
        Requirement(maximum={"reason": 3})


@pytest.mark.parametrize(("word", "number"), [("5", 5), ("十", 10), ("十五", 15), ("二十", 20), ("三十", 30),
                                             ("两", 2), ("一百二十", 120), ("几", None)])
def test_chinese_numbers_of_a_quotation(word: str, number: int | None) -> None:
    assert number_of_chinese(word) == number


def test_the_counts_a_quotation_gives() -> None:
    text = "自收到申请之日起十五个工作日内答复，需延长的，延长期限不得超过10个工作日；日志保存三年"
    assert quoted_counts(text) == {15, 10, 3}


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("jurisdiction: x\nrules: [\n", encoding="utf-8")
    with pytest.raises(RuleLoadError, match=r"bad\.yaml: line \d+"):
        load_rule_file(path)


def test_duplicate_rule_ids_fail(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    own = GOOD_RULE.replace("jurisdiction: test", "jurisdiction: yongzhou")  # the variant's rules are Yongzhou's
    (folder / "a.yaml").write_text(own, encoding="utf-8")
    (folder / "b.yaml").write_text(own, encoding="utf-8")
    profile = Path(gp.__file__).resolve().parents[2] / "jurisdictions" / "yongzhou.yaml"
    variant = tmp_path / "v.yaml"
    variant.write_text(f"name: v\nextends: {profile}\nrulesets: [{folder}]\n", encoding="utf-8")
    with pytest.raises(RuleLoadError, match="t-1.*also defined"):
        gp.load_jurisdiction(variant)


@pytest.mark.parametrize(
    ("requirement", "words"),
    [
        ({"all_present": ["reason"]}, "reason present"),
        ({"all_present": ["reason", "legal_basis", "conditions"]}, "reason, legal_basis and conditions present"),
        ({"any_present": ["reason", "legal_basis"]}, "reason or legal_basis present"),
        ({"maximum_total": {"extra_working_days": 15}}, "extra_working_days ≤ 15 in all"),
        ({"maximum": {"extra_working_days": 15}, "per": "case"}, "extra_working_days ≤ 15 in all"),
        ({"maximum": {"extra_working_days": 15}, "per": "act"}, "extra_working_days ≤ 15"),
        ({"valid_format": {"subject_id": "cn_id_or_uscc"}}, "subject_id a valid cn_id_or_uscc"),
    ],
)
def test_a_requirement_is_said_in_words_not_a_python_dict(requirement: dict, words: str) -> None:
    # the generated pages (docs/jurisdictions) and compare's table both say a requirement this way
    assert Requirement.model_validate(requirement).describe() == words


def test_per_goes_with_a_maximum_only() -> None:
    with pytest.raises(ValueError, match=r"per \(act or case\) goes with maximum"):
        Requirement.model_validate({"any_present": ["reason"], "per": "case"})
    summed = Requirement.model_validate({"maximum": {"extra_working_days": 1}, "per": "case"})
    assert (summed.total_limits, summed.each_limits) == ({"extra_working_days": 1}, {})
    each = Requirement.model_validate({"maximum": {"extra_working_days": 1}})
    assert (each.total_limits, each.each_limits) == ({}, {"extra_working_days": 1})


ALSO = "    also_fulfilled_by:\n      - {event: share.compliance_reviewed, when: {outcome: reject}}\n"


def test_a_deadline_with_further_answering_events_loads(tmp_path: Path) -> None:
    path = tmp_path / "also.yaml"
    path.write_text(GOOD_RULE + ALSO, encoding="utf-8")
    rule = load_rule_file(path).rules[0]
    assert [m.event for m in rule.answers] == ["share.provider_reviewed", "share.compliance_reviewed"]
    assert rule.also_fulfilled_by[0].when["outcome"].equals == "reject"


@pytest.mark.parametrize(
    ("entry", "field", "says"),
    [
        # checked against the vocabulary as fulfil is: each of these loaded would answer nothing, silently
        ("{event: share.complience_reviewed}", "also_fulfilled_by.0.event",
         "unknown event 'share.complience_reviewed' (not in the vocabulary of docs/contract.md) (did you mean"),
        ("{event: share.compliance_reviewed, when: {outcom: reject}}", "also_fulfilled_by.0",
         "when: 'outcom' is not an attribute of the vocabulary"),
        ("{event: share.compliance_reviewed, when: {outcome: rejected}}", "also_fulfilled_by.0",
         "when.outcome: 'rejected' is not one of pass, reject"),
        ("{event: share.compliance_reviewed, case_when: {category: sometimes}}", "also_fulfilled_by.0",
         "case_when.category: 'sometimes' is not one of"),
        ("share.provider_reviewed", "also_fulfilled_by", "entry 0 (share.provider_reviewed) repeats fulfil"),
    ],
)
def test_a_mistake_in_further_answering_events_names_file_rule_and_field(
        tmp_path: Path, entry: str, field: str, says: str) -> None:
    path = tmp_path / "also.yaml"
    path.write_text(GOOD_RULE + f"    also_fulfilled_by:\n      - {entry}\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rule_file(path)
    message = str(info.value)
    assert "also.yaml" in message and "rule t-1" in message and f"field {field}" in message, message
    assert says in message, message


def test_an_entry_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(GOOD_RULE + ALSO + "      - {event: share.compliance_reviewed, when: {outcome: reject}}\n",
                    encoding="utf-8")
    with pytest.raises(RuleLoadError, match=r"rule t-1: field also_fulfilled_by: entry 1 \(share.compliance_reviewed\) "
                                            "repeats an earlier entry"):
        load_rule_file(path)


def test_only_a_deadline_takes_further_answering_events(tmp_path: Path) -> None:
    """A prohibited (or any other kind of) rule has no fulfilment: the field is refused with words saying so,
    not pydantic's "Extra inputs are not permitted"."""
    prohibited = GOOD_RULE.replace("kind: deadline", "kind: prohibited").replace(
        "    trigger: {event: share.requested, when: {category: conditional}}\n"
        "    fulfil: share.provider_reviewed\n    period: {unit: working_days, days: 10}\n",
        "    act: share.paper_demanded\n")
    path = tmp_path / "kind.yaml"
    path.write_text(prohibited, encoding="utf-8")
    assert load_rule_file(path).rules[0].kind == "prohibited"  # the file loads without the field
    path.write_text(prohibited + ALSO, encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rule_file(path)
    assert str(info.value) == (f"{path}: rule t-1: field also_fulfilled_by: a prohibited rule is not fulfilled by an "
                               "event: also_fulfilled_by belongs to a deadline")


def test_a_readings_option_with_a_mistaken_answering_event_is_refused_at_load(tmp_path: Path) -> None:
    """Every option of every reading is checked when the file loads, not only the one a profile picks."""
    path = tmp_path / "reading.yaml"
    path.write_text(GOOD_RULE + (
        "    readings:\n      - param: t_rejection\n        summary: t\n        default: provider_only\n"
        "        options:\n          provider_only: {}\n"
        "          answers: {also_fulfilled_by: [{event: share.compliance_reviewed, when: {outcome: no}}]}\n"),
        encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rule_file(path)
    message = str(info.value)
    assert "reading.yaml (reading t_rejection: option 'answers')" in message, message
    assert "field also_fulfilled_by.0: when.outcome: False is not text" in message, message


@pytest.mark.parametrize(("text", "said"), [
    ("rules:\n\t- id: x\n", "line 2 not valid YAML: found character '\\t' that cannot start any token"),
    ("rules:\n  - id: *nope\n", "line 2 not valid YAML: found undefined alias 'nope'"),
    ("rules: [a, b\nx: 1\n", "line 2 not valid YAML: expected ',' or ']', but got ':'"),
    ("rules:\n  - id: a\n    id: b\n", "line 3 not valid YAML: the key 'id' is given twice in one mapping"),
])
def test_a_rule_file_libyaml_refuses_is_said_in_pyyamls_words(tmp_path: Path, text: str, said: str) -> None:
    """libyaml reads the rule files (fast) but words its refusals poorly: a tab was "found character that
    cannot start any token", an undefined alias had no name. A refused file is parsed again by PyYAML's own
    parser for its message (the drafter's editor shows no tab; the message must)."""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleLoadError) as refused:
        load_rule_file(path)
    assert said in str(refused.value)
