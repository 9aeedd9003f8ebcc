"""Drafters' variants: extends, compare, what-if on a log, and YAML tests that can fail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.profile import Profile
from govdata_policy.rules.loader import RuleLoadError
from govdata_policy.yamltests import Case, run_case

ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "examples" / "variants" / "yongzhou-5wd.yaml"
runner = CliRunner()

# Conditional requests on Mon 2024-06-03; 端午节 2024-06-10 (Mon) is a day off.
# 5 wd: 06-04..06-07 (4), 06-11 (5) -> due 2024-06-11.  10 wd: 06-12..06-14 (8), 06-17, 06-18 (10) -> 06-18.
LOG_ROWS = [
    ("Q1", "share.requested", "2024-06-03 09:00"), ("Q1", "share.provider_reviewed", "2024-06-06 10:00"),  # 3 wd
    ("Q2", "share.requested", "2024-06-03 09:00"), ("Q2", "share.provider_reviewed", "2024-06-13 10:00"),  # 7 wd
    ("Q3", "share.requested", "2024-06-03 09:00"), ("Q3", "share.provider_reviewed", "2024-06-20 10:00"),  # 12 wd
]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "log.csv"
    lines = ["case_id,event,time,category,outcome,provider"]
    for case, event, time in LOG_ROWS:
        extra = "conditional,," if event == "share.requested" else ",approved,"
        lines.append(f"{case},{event},{time},{extra}市公安局")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_variant_changes_only_the_period_and_records_its_layer() -> None:
    base, variant = gp.load_jurisdiction("yongzhou"), gp.load_jurisdiction(VARIANT)
    assert base.rules_by_id["yz-18.2-conditional-reply"].period.days == 10
    assert variant.rules_by_id["yz-18.2-conditional-reply"].period.days == 5
    assert variant.rule_layer["yz-18.2-conditional-reply"] == "yongzhou-5wd"
    assert variant.rule_layer["yz-18.1-unconditional-not-refused"] == "yongzhou"
    assert len(variant.rules) == len(base.rules)


def test_a_changed_period_is_named_in_the_title_and_the_messages(log: Path, tmp_path: Path) -> None:
    """The clause's own words say 10 working days; findings counted on the variant's 5 must say 5."""
    base, variant = gp.load_jurisdiction("yongzhou"), gp.load_jurisdiction(VARIANT)
    written, changed = base.rules_by_id["yz-18.2-conditional-reply"], variant.rules_by_id["yz-18.2-conditional-reply"]
    assert changed.title_zh == written.title_zh + "〔本方案：5个工作日〕"
    assert changed.summary_en == "A conditional sharing request is answered within 10 working days " \
        "[this profile: 5 working days]."
    assert changed.text_zh == written.text_zh  # the quotation stays the source's
    unchanged = "yz-18.1-unconditional-not-refused"
    assert variant.rules_by_id[unchanged].title_zh == base.rules_by_id[unchanged].title_zh
    late = variant.evaluate(log, as_of="2024-07-31").violations.set_index("case_id")
    head = "第十八条第（二）项（有条件共享申请10个工作日内提出意见并反馈〔本方案：5个工作日〕）"
    assert late.loc["Q2", "message_zh"].startswith(head)
    assert "[this profile: 5 working days]" in late.loc["Q2", "message_en"]
    # a drafter who words the title anew keeps those words
    own = tmp_path / "own.yaml"
    own.write_text(
        f"name: own\nextends: {VARIANT}\nrule_overrides:\n  yz-18.2-conditional-reply:\n"
        "    title_zh: 有条件共享申请5个工作日内反馈\n", encoding="utf-8")
    reworded = gp.load_jurisdiction(own).rules_by_id["yz-18.2-conditional-reply"]
    assert reworded.title_zh == "有条件共享申请5个工作日内反馈"
    assert reworded.summary_en == changed.summary_en  # not reworded: still noted


def test_compare_shows_the_difference() -> None:
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.output)["rows"]
    differing = [r for r in rows if r["differs"]]
    assert [r["key"] for r in differing] == ["deadline → share.provider_reviewed [category=conditional]"]
    cells = differing[0]["cells"]
    assert cells["yongzhou"][0]["text"].startswith("10 wd") and cells["yongzhou-5wd"][0]["text"].startswith("5 wd")


def test_what_if_shows_exactly_the_cases_that_become_late(log: Path) -> None:
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(log), "--as-of", "2024-07-31",
                                  "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    differ = json.loads(outcome.output)["log"]["cases_that_differ"]
    assert [d["case_id"] for d in differ] == ["Q2"]
    assert differ[0]["verdicts"] == {"yongzhou": "met", "yongzhou-5wd": "late"}
    assert "due 2024-06-18" in differ[0]["reason"] and "due 2024-06-11" in differ[0]["reason"]
    # Q3 is late under both, with different counts: 10 wd due 06-18 -> 06-19, 06-20 = 2 wd late
    variant = gp.load_jurisdiction(VARIANT).evaluate(log, as_of="2024-07-31")
    late = variant.violations.set_index("case_id")
    assert late.loc["Q3", "working_days_late"] == 7  # 06-12..06-14, 06-17..06-20 after due 06-11
    assert late.loc["Q2", "layer"] == "yongzhou-5wd"
    # Q3's verdict is the same, its due date is not: listed apart, with both counts
    moved = json.loads(outcome.output)["log"]["cases_with_other_due_dates"]
    assert [(d["case_id"], d["verdict"]) for d in moved] == [("Q3", "late")]
    assert moved[0]["details"] == {"yongzhou": "10 wd, due 2024-06-18, 2 wd late",
                                   "yongzhou-5wd": "5 wd, due 2024-06-11, 7 wd late"}


def test_malformed_variant_fails_naming_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nextends: yongzhou\ntitle_zh: x\nparameters:\n  yz_objection_days:\n"
                   "    value: 5\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        gp.load_jurisdiction(bad)
    assert "bad.yaml" in str(info.value) and "parameters.yz_objection_days.reference" in str(info.value)
    wrong_rule = tmp_path / "wrong_rule.yaml"
    wrong_rule.write_text("name: w\nextends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply:\n"
                          "    period: {unit: fortnights}\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        gp.load_jurisdiction(wrong_rule)
    assert "yz-18.2-conditional-reply" in str(info.value) and "period.unit" in str(info.value)
    outcome = runner.invoke(app, ["check", str(VARIANT), "-j", str(bad)])
    assert outcome.exit_code == 2


def test_yaml_case_with_a_wrong_expectation_fails() -> None:
    profile = gp.load_jurisdiction(VARIANT)
    events = [{"case_id": "A", "event": "share.requested", "time": "2024-06-03 09:00", "category": "conditional"},
              {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-13 10:00"}]
    right = Case(name="late under 5 wd", rule="yz-18.2-conditional-reply", as_of="2024-07-31", events=events,
                 violations=[{"kind": "late", "due": "2024-06-11T23:59:59+08:00", "working_days_late": 2}])
    wrong = right.model_copy(update={"violations": [{"kind": "late", "working_days_late": 3}]})
    quiet = right.model_copy(update={"violations": []})
    assert run_case(profile, right, VARIANT).passed
    failed = run_case(profile, wrong, VARIANT)
    # the closest finding set beside the expectation, field by field (was two lists, one a Python dict)
    assert failed.problems == [
        "violation of case A (yz-18.2-conditional-reply, late) differs: working_days_late 2 (expected 3)"]
    noisy = run_case(profile, quiet, VARIANT)
    assert noisy.problems == ["unexpected violation: rule_id: yz-18.2-conditional-reply, kind: late, case_id: A, "
                              "due: 2024-06-11T23:59:59+08:00, occurred_at: 2024-06-13T10:00:00+08:00, "
                              "working_days_late: 2"]
    elsewhere = run_case(profile, right.model_copy(update={"violations": [{"kind": "late", "case_id": "B"}]}),
                         VARIANT)
    assert elsewhere.problems[0] == "expected violation not found: kind: late, case_id: B"  # no finding of case B


def test_a_yaml_case_with_a_misspelt_event_field_fails_naming_it() -> None:
    # outcom: no rule reads it, so the refusal had no outcome and the quiet case passed for the wrong reason
    profile = gp.load_jurisdiction("guangxi")
    events = [{"case_id": "A", "event": "open.reviewed", "time": "2024-06-03 09:00", "outcom": "refused"},
              {"case_id": "A", "event": "share.requested", "time": "2024-06-03 09:00", "platform": "平台"}]
    failed = run_case(profile, Case(name="typo", as_of="2024-07-31", events=events, violations=[]), VARIANT)
    assert "events[0].outcom: not a field of the vocabulary or of profile guangxi (did you mean 'outcome'?)" \
        in failed.problems
    assert not any("platform" in problem for problem in failed.problems)  # a party's column Guangxi reads


def test_yaml_case_takes_exact_matches_before_setting_a_near_one_beside_its_finding() -> None:
    """Two late findings (A 2 wd, B 3 wd); of three expectations only '9' is wrong. Matched in order,
    '9' took A's finding as its closest, and '2' and '3' then failed though each has its finding."""
    profile = gp.load_jurisdiction(VARIANT)
    events = [{"case_id": "A", "event": "share.requested", "time": "2024-06-03 09:00", "category": "conditional"},
              {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-13 10:00"},
              {"case_id": "B", "event": "share.requested", "time": "2024-06-03 09:00", "category": "conditional"},
              {"case_id": "B", "event": "share.provider_reviewed", "time": "2024-06-14 10:00"}]
    expected = [{"kind": "late", "working_days_late": n} for n in (9, 2, 3)]
    case = Case(name="three", rule="yz-18.2-conditional-reply", as_of="2024-07-31", events=events, violations=expected)
    assert run_case(profile, case, VARIANT).problems == [
        "expected violation not found: kind: late, working_days_late: 9"]


def test_test_command_reports_pass_and_fail(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        f"jurisdiction: {VARIANT}\ncases:\n"
        "  - name: right\n    rule: yz-18.2-conditional-reply\n    as_of: '2024-07-31'\n    events:\n"
        "      - {case_id: A, event: share.requested, time: '2024-06-03 09:00', category: conditional}\n"
        "      - {case_id: A, event: share.provider_reviewed, time: '2024-06-11 10:00'}\n    violations: []\n"
        "  - name: wrong\n    rule: yz-18.2-conditional-reply\n    as_of: '2024-07-31'\n    events:\n"
        "      - {case_id: A, event: share.requested, time: '2024-06-03 09:00', category: conditional}\n"
        "      - {case_id: A, event: share.provider_reviewed, time: '2024-06-11 10:00'}\n"
        "    violations: [{kind: late}]\n", encoding="utf-8")
    outcome = runner.invoke(app, ["test", str(cases)])
    assert outcome.exit_code == 1
    assert "PASS cases.yaml: right" in outcome.output and "FAIL cases.yaml: wrong" in outcome.output
    assert "1 passed, 1 failed" in outcome.output


def test_a_reading_may_change_a_rules_kind(tmp_path: Path) -> None:
    """Guangxi 21.4: invalid always (default), or only when the data-offline process did not come first."""
    variant = tmp_path / "guangxi-data-first.yaml"
    variant.write_text(
        "name: guangxi-data-first\nextends: guangxi\nparameters:\n  gx_mounted_catalog_offline_route:\n"
        "    value: data_process_first\n    reference: 试读 第二十一条（四）\n"
        "    description: the catalog follows its data\n",
        encoding="utf-8")
    events = [
        {"case_id": "A", "event": "catalog.offline_requested", "time": "2024-05-06 09:00", "provider": "人社厅",
         "mounted": True},
        {"case_id": "C", "event": "resource.offline_requested", "time": "2024-05-06 09:00", "provider": "人社厅",
         "planned_offline_at": "2024-07-01"},
        {"case_id": "C", "event": "catalog.offline_requested", "time": "2024-05-06 09:30", "mounted": True},
    ]

    def invalid(profile: object) -> list[str]:
        result = profile.evaluate(events, as_of="2024-07-31")  # type: ignore[attr-defined]
        found = result.violations[result.violations["clause"] == "21.4"]
        monitor = profile.monitor()  # type: ignore[attr-defined]
        streamed = [f["case_id"] for e in events for f in monitor.push(e) if f["clause"] == "21.4"]
        assert sorted(streamed) == sorted(found["case_id"])
        assert set(found["kind"]) <= {"invalid"}
        return sorted(found["case_id"])

    assert invalid(gp.load_jurisdiction("guangxi")) == ["A", "C"]
    changed = gp.load_jurisdiction(variant)
    assert changed.rules_by_id["gx-21.4-mounted-catalog-data-process"].kind == "precondition"
    assert invalid(changed) == ["A"]


def test_yaml_cases_that_would_pass_without_testing_anything_are_refused(tmp_path: Path) -> None:
    """A misspelt expected field (``duee: null`` passed: no finding has it, so null matched), a
    case expecting nothing, and an as_of before the events (a year typo) each say so."""
    from govdata_policy.yamltests import run_file

    head = (f"jurisdiction: {VARIANT}\ncases:\n  - name: c\n    rule: yz-18.2-conditional-reply\n"
            "    as_of: '{as_of}'\n    events:\n"
            "      - {{case_id: A, event: share.requested, time: '2024-06-03 09:00', category: conditional}}\n")
    for tail, says in [("    violations: [{kind: late, duee: null}]\n", "violations[0].duee: not a field of violations "
                        "(did you mean 'due'?)"),
                       ("", "the case expects nothing")]:
        path = tmp_path / "c.yaml"
        path.write_text(head.format(as_of="2024-07-31") + tail, encoding="utf-8")
        with pytest.raises(RuleLoadError, match=re.escape(says)):
            run_file(path)
    path = tmp_path / "early.yaml"
    path.write_text(head.format(as_of="2023-07-31") + "    violations: []\n", encoding="utf-8")
    [outcome] = run_file(path)
    assert not outcome.passed and "1 event(s) after as_of 2023-07-31 were not considered" in outcome.problems[0]


def test_a_yaml_case_naming_a_rule_its_profile_lacks_is_a_mistake_in_the_file(tmp_path: Path) -> None:
    # a typo in the rule id: refused with a suggestion (exit 2), as a misspelt field is, not a failing case
    path = tmp_path / "c.yaml"
    path.write_text("jurisdiction: yongzhou\ncases:\n  - name: c\n    rule: yz-18.2-conditional-replay\n"
                    "    as_of: '2024-07-31'\n    events:\n"
                    "      - {case_id: A, event: share.requested, time: '2024-06-03 09:00', category: conditional}\n"
                    "    violations: []\n", encoding="utf-8")
    outcome = runner.invoke(app, ["test", str(path)])
    assert outcome.exit_code == 2
    assert (f"{path}: case 'c': field rule: no rule 'yz-18.2-conditional-replay' in profile yongzhou "
            "(did you mean 'yz-18.2-conditional-reply'?)") in " ".join(outcome.output.split())
    # against another profile (--profile) the rule may be one that profile removed: that case fails
    from govdata_policy.yamltests import run_file

    [failed] = run_file(path, profile_override=gp.load_jurisdiction("xinzhou"))
    assert not failed.passed
    assert failed.problems[0].startswith("no rule 'yz-18.2-conditional-replay' in profile xinzhou")


def test_yaml_case_due_as_a_plain_date_is_the_due_day() -> None:
    """``due: 2024-06-11`` unquoted is a YAML date: it means the due day (it failed, printed as
    datetime.date(2024, 6, 11))."""
    import datetime as dt

    profile = gp.load_jurisdiction(VARIANT)
    events = [{"case_id": "A", "event": "share.requested", "time": "2024-06-03 09:00", "category": "conditional"},
              {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-13 10:00"}]
    # 5 wd from Mon 2024-06-03: 06-04..06-07 (4), 端午节 06-10 off, 06-11 (5) -> due 2024-06-11
    case = Case(name="due day", rule="yz-18.2-conditional-reply", as_of="2024-07-31", events=events,
                violations=[{"kind": "late", "due": dt.date(2024, 6, 11)}])
    assert run_case(profile, case, VARIANT).passed
    wrong = case.model_copy(update={"violations": [{"kind": "late", "due": dt.date(2024, 6, 12)}]})
    failed = run_case(profile, wrong, VARIANT)
    assert failed.problems == ["violation of case A (yz-18.2-conditional-reply, late) differs: "
                               "due 2024-06-11T23:59:59+08:00 (expected 2024-06-12)"]


def test_compare_shows_a_changed_penalty_obligor_or_reading(tmp_path: Path) -> None:
    """Variants of one jurisdiction: a penalty item and obligor changed by rule_overrides, and a
    reading that narrows what fulfils a duty, each mark their row as differing (they did not)."""
    from govdata_policy.compare import compare_rules

    penal = tmp_path / "pen.yaml"
    penal.write_text("name: pen\nextends: xinzhou\nrule_overrides:\n"
                     "  xz-5.1-no-independent-platform: {penalty: \"7.3\", obligor_role: department}\n",
                     encoding="utf-8")
    reading = tmp_path / "noagent.yaml"
    reading.write_text("name: noagent\nextends: xinzhou\nparameters:\n"
                       "  xz_agent_review_counts: {value: \"no\", reference: test, description: test}\n",
                       encoding="utf-8")
    base = gp.load_jurisdiction("xinzhou")
    _, rows = compare_rules([base, gp.load_jurisdiction(penal)])
    [changed] = [row for row in rows if row.differs]
    assert changed.key == "prohibited: conduct.independent_platform_built"
    assert "department; penalty 7.3" in changed.text("pen")
    _, rows = compare_rules([base, gp.load_jurisdiction(reading)])
    [changed] = [row for row in rows if row.differs]
    assert "done by share.provider_reviewed (actor_role=not agent)" in changed.text("noagent")


def test_xinjiang_refusal_scope_reading_keeps_a_not_shared_refusal_quiet(tmp_path: Path) -> None:
    """xj_refusal_basis_scope: the default (CLAUSES.md) holds every refusal to 21.2's reason and basis;
    except_not_shared exempts a refusal of not-shared data, and only that one."""
    events = [
        {"case_id": case, "event": "share.requested", "time": "2024-04-08 10:00", "category": category,
         "requester": "博州市场监督管理局", "provider": "自治区税务局", "scenario": "信用监管"}
        for case, category in (("N1", "not_shared"), ("C1", "conditional"))
    ] + [{"case_id": case, "event": "share.provider_reviewed", "time": "2024-04-12 10:00", "outcome": "refused"}
         for case in ("N1", "C1")]

    def refusals(profile: object) -> list[str]:
        found = profile.evaluate(events, as_of="2024-06-30").violations  # type: ignore[attr-defined]
        return sorted(found.loc[found["rule_id"] == "xj-21.2-refusal-basis", "case_id"])

    assert refusals(gp.load_jurisdiction("xinjiang")) == ["C1", "N1"]
    variant = tmp_path / "xj-narrow.yaml"
    variant.write_text("name: xj-narrow\nextends: xinjiang\nparameters:\n"
                       "  xj_refusal_basis_scope: {value: except_not_shared, reference: test, description: test}\n",
                       encoding="utf-8")
    assert refusals(gp.load_jurisdiction(variant)) == ["C1"]


def test_a_finding_names_the_layer_that_supplied_its_penalty_or_validity(
    variant_file: Callable[[str, str], Path],
) -> None:
    def _variant(name: str, body: str) -> Profile:
        return gp.load_jurisdiction(variant_file(name, f"extends: yongzhou\n{body}"))

    # a variant giving 38.8 its own consequence: the rules citing 38.8 take it from the variant
    penalty = _variant("yz-pen", "penalties:\n  items:\n    \"38.8\": {consequence: 通报批评}\n")
    assert penalty.rule_layer["yz-26-open-request-handled"] == "yz-pen"  # cites 38.8
    assert penalty.rule_layer["yz-13-catalog-update"] == "yongzhou"  # cites 38.1, untouched
    request = [{"case_id": "O1", "event": "open.requested", "time": "2025-03-03 09:00", "category": "on_request"}]
    found = penalty.evaluate(request, as_of="2025-12-31").violations.set_index("rule_id")
    assert found.loc["yz-26-open-request-handled", ["consequence", "layer"]].tolist() == ["通报批评", "yz-pen"]
    # the article's consequence, which items without their own take: every rule citing such an item
    article = _variant("yz-art", "penalties:\n  consequence: 书面通报\n")
    assert article.rule_layer["yz-13-catalog-update"] == "yz-art"
    # a document's validity: every rule under it
    validity = _variant("yz-valid", "documents:\n  main: {valid_to: 2030-12-31}\n")
    assert set(validity.rule_layer.values()) == {"yz-valid"}
    assert set(gp.load_jurisdiction("yongzhou").rule_layer.values()) == {"yongzhou"}


def test_a_variant_taking_a_name_of_its_chain_is_refused(
    tmp_path: Path, variant_file: Callable[[str, str], Path],
) -> None:
    # `name: yongzhou` extending yongzhou loaded: its findings' layer said "yongzhou" for the rule it changed,
    # the bundled profile's own name, and the variant's change could not be told from the bundled rule
    body = "extends: yongzhou\nparameters:\n  yz_conditional_reply_days: {value: 5, reference: 草案}\n"
    same = variant_file("yongzhou", body)
    with pytest.raises(RuleLoadError) as caught:
        gp.load_jurisdiction(same)
    assert str(caught.value) == (
        f"{same}: field name: 'yongzhou' is also the name of {ROOT / 'jurisdictions' / 'yongzhou.yaml'}, which it "
        "extends; a variant takes a name of its own: a finding's layer (and `rules show`'s _layer) names the "
        "profile that changed its rule by it")
    # a name not given is the file's: `yongzhou.yaml` extending yongzhou is the same mistake, and so is a name
    # repeated further up a chain of the drafter's own files
    unnamed = tmp_path / "unnamed" / "yongzhou.yaml"
    unnamed.parent.mkdir()
    unnamed.write_text(body, encoding="utf-8")
    with pytest.raises(RuleLoadError, match=r"field name \(not given: the file's name stands for it\): 'yongzhou'"):
        gp.load_jurisdiction(unnamed)
    middle = variant_file("draft", body)
    top = tmp_path / "top.yaml"
    top.write_text("name: draft\nextends: draft.yaml\n", encoding="utf-8")
    with pytest.raises(RuleLoadError, match=rf"{re.escape(str(top))}: field name: 'draft' is also the name of "
                                            rf"{re.escape(str(middle))}, which it extends"):
        gp.load_jurisdiction(top)
    renamed = variant_file("yz-draft", body)
    assert gp.load_jurisdiction(renamed).rule_layer["yz-18.2-conditional-reply"] == "yz-draft"


def test_a_variant_without_a_name_is_named_by_its_file(tmp_path: Path, log: Path) -> None:
    # the merge gave an unnamed variant its parent's name: its findings said `jurisdiction: yongzhou`, and a
    # drafter checking the bundled profile and the draft on one log could not tell the two results apart
    draft = tmp_path / "yz-draft.yaml"
    draft.write_text(VARIANT.read_text(encoding="utf-8").replace("name: yongzhou-5wd\n", ""), encoding="utf-8")
    profile = gp.load_jurisdiction(draft)
    assert profile.name == "yz-draft"
    result = profile.evaluate(log, as_of="2024-12-31")
    assert result.jurisdiction == "yz-draft"
    assert set(result.violations["jurisdiction"]) == {"yz-draft"}
    assert json.loads(result.to_json())["jurisdiction"] == "yz-draft"
    assert gp.load_jurisdiction("yongzhou").name == "yongzhou"
