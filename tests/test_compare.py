"""`compare`: the rules table marks every difference a variant makes, and the what-if on a log
matches a case's duties across profiles, says why a verdict is absent, and loses no row."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.compare import compare_rules

runner = CliRunner()
Variant = Callable[..., Path]  # the reading_variant fixture (tests/conftest.py)
ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "examples" / "variants" / "yongzhou-5wd.yaml"


def differing(profiles: list[object]) -> dict[str, dict[str, str]]:
    names, rows = compare_rules(profiles)
    return {row.key: {n: row.text(n) for n in names} for row in rows if row.differs}


def test_a_lead_time_mode_a_waiting_trigger_and_a_finding_are_differences(
    variant_file: Callable[[str, str], Path], reading_variant: Variant,
) -> None:
    base = gp.load_jurisdiction("guangxi")
    at_most = gp.load_jurisdiction(reading_variant("guangxi", "gx_resource_offline_notice_mode", "at_most"))
    changed = differing([base, at_most])
    assert list(changed) == ["lead_time: resource.offline_requested"]
    assert "at most 30 wd" in changed["lead_time: resource.offline_requested"]["guangxi-at_most"]
    waiting = gp.load_jurisdiction(variant_file("gx-wait", "extends: guangxi\nrule_overrides:\n"
                                           "  gx-22-catalog-publicity: {trigger: catalog.offline_replied}\n"
                                           "  gx-21.4-mounted-catalog-data-process: {finding: prohibited}\n"))
    changed = differing([base, waiting])
    assert "after catalog.offline_replied" in changed["waiting: catalog.offline_executed"]["gx-wait"]
    mounted = changed["prohibited: catalog.offline_requested [mounted=true]"]
    assert mounted["guangxi"].startswith("invalid;") and mounted["gx-wait"].startswith("prohibited;")


def test_calendar_validity_and_parties_are_differences(variant_file: Callable[[str, str], Path]) -> None:
    base = gp.load_jurisdiction("yongzhou")
    other = gp.load_jurisdiction(variant_file("yz-other", (
        "extends: yongzhou\ndocuments:\n  main: {valid_to: 2023-07-17}\nenforce_validity: false\n"
        "parties:\n  platform: {name_zh: 某平台}\n")))
    changed = differing([base, other])
    assert set(changed) == {"documents and validity", "findings outside validity", "parties"}
    assert "valid 2022-07-18 to 2023-07-17" in changed["documents and validity"]["yz-other"]
    assert "platform: 某平台" in changed["parties"]["yz-other"]
    national = gp.load_jurisdiction(variant_file("gx-national", "extends: guangxi\ncalendar: {regional: null}\n"))
    assert differing([gp.load_jurisdiction("guangxi"), national])["calendar"] == {
        "guangxi": "guangxi.yaml", "gx-national": "national only"}


def test_the_mitigation_is_a_difference(variant_file: Callable[[str, str], Path]) -> None:
    # a variant dropping clause 42's fault tolerance compared as "0 of 31 rows differ"
    base = gp.load_jurisdiction("xinjiang")
    dropped = gp.load_jurisdiction(variant_file("xj-strict", "extends: xinjiang\nmitigation: null\n"))
    assert differing([base, dropped]) == {
        "mitigation": {"xinjiang": "good_faith (main clause 42)", "xj-strict": "none"}}


def test_a_rule_one_profile_lacks_differs(variant_file: Callable[[str, str], Path]) -> None:
    fewer = variant_file("yz-fewer", "extends: yongzhou\nremove_rules: [yz-14-no-duplicate-collection]\n")
    changed = differing([gp.load_jurisdiction("yongzhou"), gp.load_jurisdiction(fewer)])
    assert list(changed) == ["prohibited: conduct.duplicate_collection"]  # it was not marked: one cell only
    cells = changed["prohibited: conduct.duplicate_collection"]
    assert cells["yongzhou"].startswith("prohibited; actor; penalty 38.2") and cells["yz-fewer"] == ""


def test_the_same_profile_twice_gets_two_columns() -> None:
    outcome = runner.invoke(app, ["compare", "yongzhou", "yongzhou", "--format", "json"])
    body = json.loads(outcome.output)
    assert body["profiles"] == ["yongzhou (1)", "yongzhou (2)"]
    assert not any(row["differs"] for row in body["rows"])
    assert all(len(row["cells"]["yongzhou (1)"]) == len(row["cells"]["yongzhou (2)"]) for row in body["rows"])


def test_differences_only_keeps_the_rows_that_differ(variant_file: Callable[[str, str], Path]) -> None:
    """A drafter's variant against its base: 33 rows, one of them changed; the rest is noise."""
    fewer = variant_file("yz-fewer", "extends: yongzhou\nremove_rules: [yz-14-no-duplicate-collection]\n")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(fewer), "--format", "json", "--differences-only"])
    assert outcome.exit_code == 0
    body = json.loads(outcome.stdout)  # the count goes to stderr: stdout stays one JSON document
    assert [row["key"] for row in body["rows"]] == ["prohibited: conduct.duplicate_collection"]
    everything = json.loads(runner.invoke(app, ["compare", "yongzhou", str(fewer), "--format", "json"]).stdout)
    assert f"1 of {len(everything['rows'])} rows differ" in outcome.stderr
    same = runner.invoke(app, ["compare", "yongzhou", "yongzhou", "--format", "markdown", "--differences-only"])
    assert same.exit_code == 0
    assert "rows differ: the profiles' rules, penalties and settings are the same" in same.stderr
    assert same.stdout.count("\n") == 3  # the table's header and its rule line, no row


def test_differences_only_keeps_the_finding_counts_that_differ() -> None:
    """Yongzhou against its 5-working-day variant on the bundled log: only 18.2's late count moves
    (1 under 10 wd, 2 under 5 wd); the counts every profile shares are left out too."""
    arguments = ["compare", "yongzhou", str(VARIANT), "--log", str(ROOT / "examples" / "yongzhou.csv"),
                 "--as-of", "2025-12-31", "--format", "json"]
    whole = json.loads(runner.invoke(app, arguments).stdout)["log"]["findings_by_clause_and_kind"]
    kept = json.loads(runner.invoke(app, [*arguments, "--differences-only"]).stdout)["log"]
    assert len(whole["yongzhou"]) > 1  # there were shared counts to leave out
    assert kept["findings_by_clause_and_kind"] == {"yongzhou": {"18.2 late": 1}, "yongzhou-5wd": {"18.2 late": 2}}


def test_a_reading_that_adds_a_condition_is_the_same_duty(tmp_path: Path, reading_variant: Variant) -> None:
    """yz_objection_answer_scope=department_only adds scope=department to 34.2's trigger, which moves
    the rule to another row of the table; on a log, O1 owes the same duty under both and is missing
    under both: not a case that differs (it was listed twice, each side "no such duty")."""
    log = tmp_path / "objection.csv"
    log.write_text("case_id,event,time,scope,actor\nO1,objection.received,2025-03-03 09:00,department,市甲局\n"
                   "O1,objection.marked,2025-03-03 15:00,,\nO1,objection.transferred,2025-03-04 09:00,,\n"
                   "O1,objection.decided,2025-03-06 09:00,,\n", encoding="utf-8")
    narrow = reading_variant("yongzhou", "yz_objection_answer_scope", "department_only")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(narrow), "--log", str(log), "--as-of", "2025-12-31",
                                  "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    body = json.loads(outcome.output)["log"]
    assert body["cases_that_differ"] == []
    counts = body["findings_by_clause_and_kind"]
    assert counts["yongzhou"]["34.2 missing"] == counts["yongzhou-department_only"]["34.2 missing"] == 1


def test_a_duty_met_quietly_is_no_finding_not_no_such_duty(tmp_path: Path, reading_variant: Variant) -> None:
    # planned offline Fri 2024-08-30; at most 30 wd before it: 07-18..08-29 hold 31 working days (no
    # holiday in July or August), so a request on 07-17 or earlier is premature; 03-01 is
    log = tmp_path / "offline.csv"
    log.write_text("case_id,event,time,provider,planned_offline_at\n"
                   "R1,resource.offline_requested,2024-03-01 09:00,自治区某厅,2024-08-30\n", encoding="utf-8")
    at_most = reading_variant("guangxi", "gx_resource_offline_notice_mode", "at_most")
    outcome = runner.invoke(app, ["compare", "guangxi", str(at_most), "--log", str(log), "--as-of", "2024-03-02",
                                  "--format", "json"])
    [case] = json.loads(outcome.output)["log"]["cases_that_differ"]
    assert case["verdicts"] == {"guangxi": None, "guangxi-at_most": "premature"}
    assert case["reason"].startswith("no finding under guangxi; premature under guangxi-at_most (premature, "
                                     "due 2024-07-17")


def test_same_verdict_with_the_same_due_date_is_not_listed_as_moved(reading_variant: Variant) -> None:
    """A cap of 10 extra days in all: YZ-10's due date moves (listed), YZ-11's does not (its period's
    wording differs, its due date and days late do not: it was listed)."""
    draft = reading_variant("yongzhou", "yz_quality_extension_counting", "total")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(draft), "--log", str(ROOT / "examples" / "yongzhou.csv"),
                                  "--as-of", "2025-12-31", "--format", "json"])
    moved = json.loads(outcome.output)["log"]["cases_with_other_due_dates"]
    assert "YZ-11" not in [item["case_id"] for item in moved]
    assert "YZ-10" in [item["case_id"] for item in moved]


def test_rejected_rows_are_shown_and_a_log_of_none_is_an_error(tmp_path: Path) -> None:
    bad = "Q8,share.requestd,2025-03-03 09:00,conditional\n"
    some = tmp_path / "some.csv"
    some.write_text("case_id,event,time,category\nQ9,share.requested,2025-03-03 09:00,conditional\n" + bad,
                    encoding="utf-8")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(some), "--as-of", "2025-12-31",
                                  "--format", "markdown"])
    assert outcome.exit_code == 0
    assert "- rows of the log: 2 read, 1 accepted, 1 rejected" in outcome.output
    assert f"- rejected: row 2 (line 3) of {some}: event: unknown event 'share.requestd'" in outcome.output
    body = json.loads(runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(some), "--as-of",
                                          "2025-12-31", "--format", "json"]).output)["log"]
    assert body["rows"]["yongzhou"] == {"read": 2, "accepted": 1, "rejected": 1}
    assert [r["row"] for r in body["rejected_rows"]["yongzhou"]] == [2]
    none = tmp_path / "none.csv"
    none.write_text("case_id,event,time,category\n" + bad, encoding="utf-8")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(none), "--as-of", "2025-12-31"])
    assert outcome.exit_code == 2
    assert "none of the 1 rows of the log could be read" in outcome.output


def test_the_table_goes_to_the_file_named_and_keeps_bracketed_text(tmp_path: Path) -> None:
    out = tmp_path / "compare.txt"
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "-o", str(out)])
    assert outcome.exit_code == 0 and outcome.output == ""
    text = out.read_text(encoding="utf-8")
    # "[category=conditional]" was taken for one of rich's style tags and vanished
    assert "[category=conditional]" in text and "≠" in text


@pytest.mark.parametrize("fmt", ["markdown", "html", "table"])
def test_every_format_counts_each_profiles_findings_by_clause_and_kind(fmt: str, tmp_path: Path) -> None:
    # the variant answers 18.2 in 5 working days, the city's document in 10: one 18.2 answer on the
    # example log comes late under the variant only (JSON: yongzhou 1, yongzhou-5wd 2)
    out = tmp_path / f"compare.{ {'markdown': 'md', 'table': 'txt'}.get(fmt, fmt) }"
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(ROOT / "examples" / "yongzhou.csv"),
                                  "--as-of", "2025-12-31", "--format", fmt, "-o", str(out)])
    assert outcome.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Findings by clause and kind" in text
    row = {"markdown": "| 18.2 late | 1 | 2 |", "html": "<tr><td>18.2 late</td><td>1</td><td>2</td></tr>"}.get(fmt)
    if row is not None:
        assert row in text
    else:
        assert re.search(r"18\.2 late\s*│\s*1\s*│\s*2", text)


REQUEST = "case_id,event,time,category\nQ1,share.requested,2024-06-03 09:00,conditional\n"


def test_compare_shows_each_profiles_notes_and_says_when_nothing_was_checked(tmp_path: Path) -> None:
    # every event after --as-of: "Cases whose verdict differs: 0" where check says no event was checked
    log = tmp_path / "later.csv"
    log.write_text(REQUEST, encoding="utf-8")
    arguments = ["compare", "yongzhou", str(VARIANT), "--log", str(log), "--as-of", "2024-01-01"]
    text = runner.invoke(app, [*arguments, "--format", "markdown"]).stdout
    assert ("- note (no_events): no event was checked: the log has no accepted event at or before as_of "
            "2024-01-01\n- note (after_as_of): 1 event(s) after as_of 2024-01-01 were not considered\n") in text
    assert "## Cases whose verdict differs\n\nno event was checked: see the notes\n" in text
    table = " ".join(runner.invoke(app, arguments).stdout.split())
    assert "Cases whose verdict differs: 0 (no event was checked: see the notes)" in table
    notes = json.loads(runner.invoke(app, [*arguments, "--format", "json"]).stdout)["log"]["notes"]
    assert {name: [note["kind"] for note in own] for name, own in notes.items()} == {
        "yongzhou": ["no_events", "after_as_of"], "yongzhou-5wd": ["no_events", "after_as_of"]}


def test_a_finding_left_out_by_validity_is_said_so_not_called_no_finding(
        tmp_path: Path, variant_file: Callable[[str, str], Path]) -> None:
    log = tmp_path / "one.csv"
    log.write_text(REQUEST, encoding="utf-8")
    short = variant_file("yz-short", "extends: yongzhou\ndocuments:\n  main: {valid_to: 2024-01-31}\n")
    arguments = ["compare", "yongzhou", str(short), "--log", str(log), "--as-of", "2024-12-31"]
    [case] = json.loads(runner.invoke(app, [*arguments, "--format", "json"]).stdout)["log"]["cases_that_differ"]
    assert case["verdicts"] == {"yongzhou": "overdue", "yz-short": None}
    assert case["reason"].endswith("; not reported under yz-short: overdue, its event outside the document's "
                                   "validity (C6)")
    text = runner.invoke(app, [*arguments, "--format", "markdown"]).stdout
    assert ("- note under yz-short (validity): 1 finding(s) under 永州市政务大数据管理办法 concern events outside its "
            "validity 2022-07-18 .. 2024-01-31 (C6): not reported as violations\n") in text


@pytest.mark.parametrize("fmt", ["markdown", "table"])
def test_a_case_id_from_the_log_is_shown_as_text_not_obeyed(fmt: str, tmp_path: Path) -> None:
    """A case id reached compare's table and markdown as it was: its ESC cleared the terminal, its
    ``<img onerror>`` ran where the markdown is previewed, ``[x](javascript:…)`` became a link."""
    log = tmp_path / "log.csv"
    case = "\x1b[2J<img src=x onerror=alert(1)>[x](javascript:alert(2))"
    log.write_text("case_id,event,time,category,provider,requester_level,provider_level\n"
                   f"\"{case}\",share.requested,2024-05-06 09:00,conditional,p,city,city\n", encoding="utf-8")
    outcome = runner.invoke(app, ["compare", "yongzhou", str(VARIANT), "--log", str(log), "--as-of", "2025-12-31",
                                  "--format", fmt])
    assert outcome.exit_code == 0, outcome.output
    assert "\x1b" not in outcome.stdout
    if fmt == "markdown":
        assert "<img" not in outcome.stdout and "[x](javascript" not in outcome.stdout
        assert "- \\x1b\\[2J&lt;img src=x onerror=alert(1)&gt;\\[x\\](javascript:alert(2)) · " in outcome.stdout
    else:
        assert "- \\x1b[2J<img src=x onerror=alert(1)>[x](javascript:alert(2)) · " in outcome.stdout


@pytest.mark.parametrize("given", [["--as-of", "2024-06-30"], ["--mapping", "m.yaml"]])
def test_log_options_without_a_log_are_refused_not_ignored(given: list[str]) -> None:
    """``compare J J --as-of D`` compared the rules alone and exited 0, the date silently unused: a drafter
    who forgot --log read "no difference" as the log's verdict."""
    outcome = runner.invoke(app, ["compare", "yongzhou", "xinzhou", *given])
    assert outcome.exit_code == 2
    assert f"{given[0]} is for the findings on a log: add --log FILE" in outcome.stderr


def test_findings_by_clause_and_kind_come_in_the_clauses_natural_order() -> None:
    # sorted as text, a drafter's 2 came after 19 and 9 after 44 (check's own summary orders clauses 2, 3, 19)
    from govdata_policy.cli.compare_cmd import finding_counts

    log_part = {"findings_by_clause_and_kind": {
        "a": {"19 prohibited": 1, "2 overdue": 1, "3 late": 2, "R.2.4.4 late": 1, "18.2 overdue": 1, "18.2 late": 1},
        "b": {"9 missing": 1}}}
    assert [row[0] for row in finding_counts(["a", "b"], log_part)] == [
        "2 overdue", "3 late", "9 missing", "18.2 late", "18.2 overdue", "19 prohibited", "R.2.4.4 late"]
