"""A profile's non-default reading: said in the rule's title and findings, shown by `rules show`,
and an at-most lead time's premature finding dated and worded for what it is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.profile import ProfileError

runner = CliRunner()
Variant = Callable[..., Path]  # the reading_variant fixture (tests/conftest.py)


def test_a_reading_other_than_the_default_is_noted_in_title_and_summary(reading_variant: Variant) -> None:
    """The total reading caps 21's extension at 10: the title quoting "最长不超过15个工作日" says so."""
    base = gp.load_jurisdiction("yongzhou")
    total = gp.load_jurisdiction(reading_variant("yongzhou", "yz_quality_extension_counting", "total"))
    for rule_id in ("yz-21-quality-verification", "yz-21-extension-limit"):
        written, noted = base.rules_by_id[rule_id], total.rules_by_id[rule_id]
        assert noted.title_zh == written.title_zh + "〔本方案：解读 yz_quality_extension_counting=total〕"
        assert noted.summary_en.endswith("[this profile: reading yz_quality_extension_counting = total].")
    # the default chosen explicitly is no change, and notes nothing
    on_top = gp.load_jurisdiction(reading_variant("yongzhou", "yz_quality_extension_counting", "on_top"))
    assert on_top.rules_by_id["yz-21-extension-limit"].title_zh == base.rules_by_id["yz-21-extension-limit"].title_zh


def test_rules_show_names_the_reading_in_force_and_the_layer_that_chose_it(reading_variant: Variant) -> None:
    # the rule's period parameter is set by the base profile; the reading by the variant: the variant is named
    draft = reading_variant("yongzhou", "yz_quality_extension_counting", "total", name="yz-draft")
    outcome = runner.invoke(app, ["rules", "show", "yz-21-quality-verification", "-j", str(draft)])
    shown = yaml.safe_load(outcome.output)
    assert shown["_layer"] == "yz-draft"
    assert shown["readings"][0]["default"] == "on_top" and shown["readings"][0]["in_force"] == "total"
    assert yaml.safe_load(runner.invoke(app, ["rules", "show", "yz-21-quality-verification", "-j", "yongzhou"])
                          .output)["readings"][0]["in_force"] == "on_top"


def test_a_bare_yes_or_no_reading_is_told_to_be_quoted(tmp_path: Path) -> None:
    bare = tmp_path / "bare.yaml"
    bare.write_text("name: bare\nextends: xinzhou\nparameters:\n"
                    "  xz_agent_review_counts: {value: no, reference: t, description: t}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r'write it in quotes \("no"\): YAML reads a bare no as false'):
        gp.load_jurisdiction(bare)


# planned offline Fri 2024-08-30; at most 30 working days before it: 07-18..08-29 hold 31 working days
# (07-18/19: 2, 07-22..26: 7, 07-29..31: 10, 08-01/02: 12, then four weeks to 08-23: 27, 08-26..29: 31;
# no national or Guangxi day off in July or August), so a request on 07-17 or before is premature (its
# due: 07-17, the last day it may not come on) and one on 07-18 is in time
EVENTS = [
    {"case_id": case, "event": "resource.offline_requested", "time": f"{day} 09:00", "provider": "自治区某厅",
     "planned_offline_at": "2024-08-30"} for case, day in (("EARLY", "2024-07-17"), ("IN_TIME", "2024-07-18"))
]


def test_an_at_most_lead_time_premature_finding_has_its_date_in_batch_and_monitor(reading_variant: Variant) -> None:
    profile = gp.load_jurisdiction(reading_variant("guangxi", "gx_resource_offline_notice_mode", "at_most"))
    found = profile.evaluate(EVENTS, as_of="2024-09-30").violations
    [early] = found[found["rule_id"] == "gx-27.1-resource-offline-notice"].to_dict(orient="records")
    assert early["case_id"] == "EARLY" and early["kind"] == "premature"
    assert str(early["due"]) == "2024-07-17 23:59:59+08:00"
    assert early["message_en"].endswith(
        "resource.offline_requested at 2024-07-17 09:00 came too early: not allowed on or before 2024-07-17")
    assert "〔本方案：解读 gx_resource_offline_notice_mode=at_most〕" in early["message_zh"]
    assert early["message_zh"].endswith("于2024-07-17 09:00实施，过早：2024-07-17（含）以前不得实施")
    monitor = profile.monitor()
    streamed = [f for event in EVENTS for f in monitor.push(event) if f["rule_id"] == early["rule_id"]]
    assert [(f["case_id"], f["due"], f["message_en"]) for f in streamed] == [
        ("EARLY", "2024-07-17T23:59:59+08:00", early["message_en"])]


def test_a_premature_act_without_its_prior_step_says_so_without_a_date() -> None:
    """Guangxi 22: a catalog goes offline 30 days after its publicity; with no publicity, no date to name
    (the message said "came before the period ended ()")."""
    profile = gp.load_jurisdiction("guangxi")
    event = {"case_id": "P1", "event": "catalog.offline_executed", "time": "2024-05-06 09:00", "provider": "某厅"}
    found = profile.evaluate([event], as_of="2024-06-30").violations
    mine = found[found["rule_id"] == "gx-22-catalog-publicity"]
    assert list(mine["kind"]) == ["premature"] and mine["due"].isna().all()
    assert mine["message_en"].iloc[0].endswith(
        "catalog.offline_executed at 2024-05-06 09:00 came without its prior step")
    assert mine["message_zh"].iloc[0].endswith("于2024-05-06 09:00实施，缺少前置环节")
    [streamed] = [f for f in profile.monitor().push(event) if f["rule_id"] == "gx-22-catalog-publicity"]
    assert streamed["due"] is None and streamed["message_en"] == mine["message_en"].iloc[0]


# Three Guangxi readings no other test selected (a mutation audit changed each with every test green).
GX_REGION_REQUEST = {"event": "share.requested", "time": "2024-05-27 09:00", "requester_level": "region",
                     "requester": "自治区民政厅", "provider": "自治区公安厅"}
GX_CITY_REQUEST = {"event": "share.requested", "time": "2024-05-27 09:00", "requester_level": "city",
                   "requester": "南宁市民政局"}


def _found(profile_file: Any, events: list[dict[str, Any]], rule_id: str) -> list[tuple[Any, ...]]:
    result = gp.load_jurisdiction(profile_file).evaluate(events, as_of="2024-06-30").to_dict()
    return [(v["case_id"], v["kind"], v["due"], v["working_days_late"]) for v in result["violations"]
            if v["rule_id"] == rule_id]


def test_guangxi_objection_counted_from_the_data_received(reading_variant: Any) -> None:
    # 29（五）2 wd from receiving the data (share.authorized Mon 06-03): Tue 06-04 (1), Wed 06-05 (2);
    # raised Thu 06-06: 1 wd late (from the request, 05-27, it would be due 05-29 and 6 wd late)
    events = [{**GX_REGION_REQUEST, "case_id": "DR"},
              {"case_id": "DR", "event": "share.authorized", "time": "2024-06-03 10:00"},
              {"case_id": "DR", "event": "quality.objection_raised", "time": "2024-06-06 10:00"}]
    variant = reading_variant("guangxi", "gx_quality_objection_counted_from", "data_received")
    assert _found(variant, events, "gx-29.5-objection-raised") == [("DR", "late", "2024-06-05T23:59:59+08:00", 1)]


def test_guangxi_objection_for_region_requesters_only(reading_variant: Any) -> None:
    # error found Mon 06-03 -> due Wed 06-05; raised Thu 06-06: the region case is 1 wd late, the city case owes nothing
    events = [{**GX_REGION_REQUEST, "case_id": "R"}, {**GX_CITY_REQUEST, "case_id": "C"}]
    for case in ("R", "C"):
        events += [{"case_id": case, "event": "quality.error_found", "time": "2024-06-03 10:00"},
                   {"case_id": case, "event": "quality.objection_raised", "time": "2024-06-06 10:00"}]
    variant = reading_variant("guangxi", "gx_quality_objection_levels", "region_only")
    assert _found(variant, events, "gx-29.5-objection-raised") == [("R", "late", "2024-06-05T23:59:59+08:00", 1)]


def test_guangxi_usage_report_counted_from_use_is_checked_for_presence(reading_variant: Any) -> None:
    # 30（四）under "use": first use is no event, so the report is a duty without days (C4): U1 reported
    # 06-24 is met whenever it came (from the authorisation it would be 9 wd late), U2 never reported is missing
    events = [{**GX_CITY_REQUEST, "case_id": "U1"}, {**GX_CITY_REQUEST, "case_id": "U2"},
              {"case_id": "U1", "event": "share.authorized", "time": "2024-06-03 10:00"},
              {"case_id": "U2", "event": "share.authorized", "time": "2024-06-03 10:00"},
              {"case_id": "U1", "event": "share.usage_reported", "time": "2024-06-24 10:00"}]
    variant = reading_variant("guangxi", "gx_usage_report_counted_from", "use")
    assert _found(variant, events, "gx-30.4-usage-report") == [("U2", "missing", None, None)]


def _extensions(*days: int) -> list[dict[str, Any]]:
    """An objection of Mon 2024-06-03 and its approved extensions, a day apart."""
    events: list[dict[str, Any]] = [{"case_id": "X", "event": "quality.objection_raised", "time": "2024-06-03 09:00",
                                     "provider": "市民政局"}]
    events += [{"case_id": "X", "event": "quality.extension_approved", "time": f"2024-06-0{4 + i} 09:00",
                "extra_working_days": d} for i, d in enumerate(days)]
    return events


def _over(profile: Any, events: list[dict[str, Any]]) -> list[str]:
    """The extension-limit findings' details, batch and monitor alike."""
    found = profile.evaluate(events, as_of="2024-12-31").violations
    batch = found[found["rule_id"] == "yz-21-extension-limit"]["message_en"].tolist()
    monitor = profile.monitor()
    pushed = [v for event in events for v in monitor.push(event)] + monitor.advance("2024-12-31")
    assert sorted(batch) == sorted(v["message_en"] for v in pushed if v["rule_id"] == "yz-21-extension-limit")
    return [text[text.rindex("(") + 1: -1] for text in batch]  # "… is not valid (detail)"


def test_the_extension_limit_holds_each_approval_or_the_case(variant_file: Callable[[str, str], Path]) -> None:
    # default (approval, CLAUSES.md's row): each on its own, so 10 and 10 pass and 16 alone does not
    base = gp.load_jurisdiction("yongzhou")
    assert _over(base, _extensions(10, 10)) == []
    assert _over(base, _extensions(15)) == []
    assert _over(base, _extensions(16)) == ["extra_working_days > 15: 16"]
    # case: 延长期限 read as the whole extension, so two approvals of 10 are 20 and the second is over 15
    whole = gp.load_jurisdiction(variant_file("yz-whole", (
        "extends: yongzhou\nparameters:\n"
        "  yz_quality_extension_limit_per: {value: case, reference: t, description: t}\n")))
    assert _over(whole, _extensions(10, 10)) == ["extra_working_days in all > 15: 20"]
    assert _over(whole, _extensions(15)) == []
    # with the total reading as well (10 at most), each approval is held to 10: the two readings compose
    both = gp.load_jurisdiction(variant_file("yz-both", (
        "extends: yongzhou\nparameters:\n"
        "  yz_quality_extension_counting: {value: total, reference: t, description: t}\n")))
    assert _over(both, _extensions(10, 10)) == []
    assert _over(both, _extensions(11)) == ["extra_working_days > 10: 11"]


def test_two_extensions_approved_at_one_instant_are_both_over_the_limit_together(
        variant_file: Callable[[str, str], Path]) -> None:
    # read per case: 5 and 15 at one minute are 20: both are named (it was whichever the canonical sort put
    # second, by a hash of the row); a monitor sees them one after the other and names the later
    # (docs/monitor.md, ties)
    events = _extensions(5)
    events.append({**events[1], "extra_working_days": 15})
    whole = gp.load_jurisdiction(variant_file("yz-whole", (
        "extends: yongzhou\nparameters:\n"
        "  yz_quality_extension_limit_per: {value: case, reference: t, description: t}\n")))
    found = whole.evaluate(events, as_of="2024-12-31").violations
    over = found[found["rule_id"] == "yz-21-extension-limit"]
    assert sorted(over["evidence_rows"].map(list).tolist()) == [[2], [3]]
    assert set(over["message_en"].str.endswith("(extra_working_days in all > 15: 20)")) == {True}


def test_a_readings_period_wins_over_the_rules_period_parameter(tmp_path: Path) -> None:
    """A reading whose option gives a period is the narrower choice: the period parameter (set by every
    built-in profile) was applied after it, so 18.2 stayed 10 working days under a title naming reading b."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "rules" / "yongzhou", tmp_path / "rules_yz")
    shutil.copytree(root / "jurisdictions" / "sources", tmp_path / "sources")
    sharing = tmp_path / "rules_yz" / "sharing.yaml"
    # the rule's own readings (yz_initial_rejection_answers) follow its period: yz_x is put first among them
    period = "    period: {unit: working_days, days: 10, param: yz_conditional_reply_days}\n    readings:\n"
    text = sharing.read_text(encoding="utf-8")
    assert text.count(period) == 1
    sharing.write_text(text.replace(period, period + (
        "      - param: yz_x\n        summary: test\n        default: a\n"
        "        options: {a: {}, b: {period: {unit: none, days: null}}}\n")), encoding="utf-8")
    base = tmp_path / "yz.yaml"
    base.write_text((root / "jurisdictions" / "yongzhou.yaml").read_text(encoding="utf-8").replace(
        "rulesets: [yongzhou]", "rulesets: [./rules_yz]"), encoding="utf-8")
    variant = tmp_path / "b.yaml"
    variant.write_text("name: b\nextends: yz.yaml\nparameters:\n  yz_x: {value: b, reference: t, description: t}\n",
                       encoding="utf-8")
    rule = gp.load_jurisdiction(variant).rules_by_id["yz-18.2-conditional-reply"]
    assert (rule.period.unit, rule.period.days) == ("none", None)
    assert rule.title_zh.endswith("〔本方案：及时（无时限）；解读 yz_x=b〕")
    # unanswered by the end of July: missing (presence only), not overdue on a 10-day count
    request = [{"case_id": "Q", "event": "share.requested", "time": "2024-06-03 09:00", "category": "conditional"}]
    found = gp.load_jurisdiction(variant).evaluate(request, as_of="2024-07-31").violations
    assert found.loc[found["rule_id"] == "yz-18.2-conditional-reply", "kind"].tolist() == ["missing"]
    # the default reading keeps the parameter's period
    assert gp.load_jurisdiction(base).rules_by_id["yz-18.2-conditional-reply"].period.days == 10


# Xinjiang 15 "日志记录保存时间不得少于三年". Log L1 created 2021-03-01 10:00: instant (default) keeps it until
# 2024-03-01 10:00, so a deletion at 2024-03-01 23:00 is allowed; civil_code (民法典 201/202: 2021-03-01 not
# counted, the last day the corresponding 2024-03-01, kept to its end) refuses it, and allows 2024-03-02 00:00.
# L2 created 2020-02-29 09:00 (a leap day): three years on has no 29 February, so the last day is 2023-02-28
# (202: 没有对应日的，为月末日); a deletion at 2023-02-28 12:00 is after 09:00 that day (allowed by instant) but
# inside it (refused by civil_code). L3, deleted 2024-03-02 00:00, is allowed by both.
RETENTION_EVENTS = [
    {"case_id": case, "event": "conduct.log_deleted", "time": deleted, "actor": "喀什地区数据局",
     "log_created_at": created}
    for case, created, deleted in (("L1", "2021-03-01 10:00", "2024-03-01 23:00"),
                                   ("L2", "2020-02-29 09:00", "2023-02-28 12:00"),
                                   ("L3", "2021-03-01 10:00", "2024-03-02 00:00"))
]


@pytest.mark.parametrize(("reading", "refused"), [(None, []), ("instant", []), ("civil_code", ["L1", "L2"])])
def test_log_retention_counted_from_the_instant_or_as_the_civil_code_counts_years(
        reading_variant: Variant, reading: str | None, refused: list[str]) -> None:
    profile = gp.load_jurisdiction("xinjiang" if reading is None else
                                   reading_variant("xinjiang", "xj_log_retention_counting", reading))
    batch = profile.evaluate(RETENTION_EVENTS, as_of="2024-06-30")
    found = batch.violations.query("rule_id == 'xj-15-log-retention'")
    assert sorted(found["case_id"]) == refused
    monitor = profile.monitor()
    streamed = [f for event in sorted(RETENTION_EVENTS, key=lambda e: e["time"]) for f in monitor.push(event)]
    assert sorted(f["case_id"] for f in streamed if f["rule_id"] == "xj-15-log-retention") == refused


@pytest.mark.parametrize(("counting", "refused"), [("instant", ["D1"]), ("civil_code", ["D1", "D2"])])
def test_a_retention_in_calendar_days_counted_either_way(variant_file: Callable[[str, str], Path], counting: str,
                                                         refused: list[str]) -> None:
    # kept 10 calendar days from 2024-05-06 10:00: instant until 2024-05-16 10:00 (D1 at 09:00 refused, D2 at
    # 18:00 allowed); civil_code (5-6 not counted, the 10th day 5-16 kept to its end) refuses both, allows
    # D3 at 2024-05-17 00:00
    profile = gp.load_jurisdiction(variant_file(f"xj-days-{counting}", (
        "extends: xinjiang\nparameters:\n"
        "  xj_log_retention_years: {value: {unit: calendar_days, days: 10}, reference: t, description: t}\n"
        f"  xj_log_retention_counting: {{value: {counting}, reference: t, description: t}}\n")))
    events = [{"case_id": case, "event": "conduct.log_deleted", "time": deleted, "actor": "喀什地区数据局",
               "log_created_at": "2024-05-06 10:00"}
              for case, deleted in (("D1", "2024-05-16 09:00"), ("D2", "2024-05-16 18:00"), ("D3", "2024-05-17 00:00"))]
    batch = profile.evaluate(events, as_of="2024-06-30")
    assert sorted(batch.violations.query("rule_id == 'xj-15-log-retention'")["case_id"]) == refused
    monitor = profile.monitor()
    streamed = [f for event in events for f in monitor.push(event)]
    assert sorted(f["case_id"] for f in streamed if f["rule_id"] == "xj-15-log-retention") == refused
