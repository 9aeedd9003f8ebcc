"""The HTML report as a file: self-contained, escaped, capped for large logs, both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.report import html as html_report
from govdata_policy.report import write_report


def table_rows(page: str) -> list[list[Any]]:
    found = re.search(r'<script type="application/json" id="violations-data">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))["rows"]


def test_self_contained(result: Any, tmp_path: Path) -> None:
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # nothing is fetched: every src/href is a data: URL, no stylesheet link, no @import, no url(...)
    assert re.findall(r"""<[a-zA-Z][^>]*\s(?:src|href)\s*=\s*["']?(?!data:)([^"'\s>]+)""", page) == []
    assert re.findall(r"""<[a-zA-Z][^>]*\s(?:src|href)\s*=""", page) == ['<link rel="icon" href=']
    assert '<link rel="stylesheet"' not in page and "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page
    assert page.count("<script") == 2  # the table data and the inline script


def test_languages(result: Any, tmp_path: Path) -> None:
    zh = write_report(result, "html", tmp_path / "zh.html").read_text(encoding="utf-8")
    en = write_report(result, "html", tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in zh and "政务数据合规检查报告" in zh and "逾期完成" in zh
    assert '<html lang="en">' in en and "Government data compliance report" in en
    # the page writes its times without an offset (2025-12-31 23:59:59): its header says once which they are
    assert '<span id="time-zone">时间均为北京时间（UTC+08:00）</span>' in zh
    assert '<span id="time-zone">all times Beijing time (UTC+08:00)</span>' in en
    assert "政务数据合规检查报告" not in en


def test_hostile_text_is_escaped(result: Any, tmp_path: Path) -> None:
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "</script><b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert any(row[0] == "X</script><b>&\"'" for row in table_rows(page))


def test_totals_as_data_attributes(result: Any, expected: dict[str, Any], tmp_path: Path) -> None:
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert f'id="total-violations" data-value="{len(expected["violations"])}"' in page
    assert f'id="rows-read" data-value="{expected["rows"]["read"]}"' in page
    assert f'data-as-of="{expected["as_of"]}"' in page
    assert len(table_rows(page)) == len(expected["violations"])


def _big_result(cases: int) -> Any:
    events = []
    for i in range(cases):
        case = f"B{i:04d}"
        events.append(
            {
                "case_id": case,
                "event": "share.requested",
                "time": "2024-04-26 09:00",
                "category": "conditional",
                "provider": f"部门{i % 7}",
            }
        )
        if i % 3:
            events.append(
                {
                    "case_id": case,
                    "event": "share.provider_reviewed",
                    "time": f"2024-05-{12 + i % 3:02d} 10:00",
                    "outcome": "approved",
                }
            )
    return gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2024-06-30")


def test_large_logs_are_capped_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    big = _big_result(60)
    with_findings = big.violations["case_id"].nunique()
    assert 10 < with_findings < 60
    monkeypatch.setattr(html_report, "TABLE_CAP", 5)
    page = html_report.render_html(big, lang="en", case_cap=10)
    assert page.count('<details class="case"') == 10
    assert f"The log has 60 cases, {with_findings} with findings" in page
    assert len(table_rows(page)) == 5 and 'id="table-capped"' in page
    assert f'id="total-violations" data-value="{len(big.violations)}"' in page
    # every case drawn has findings, the ones with the most first
    drawn = re.findall(r'<details class="case" data-case="([^"]+)" data-findings="(\d+)"', page)
    assert all(int(n) > 0 for _, n in drawn)
    # a log with few cases shows them all, findings or not
    small = html_report.render_html(big, lang="zh", case_cap=100)
    assert small.count('<details class="case"') == 60


def test_a_result_without_findings(tmp_path: Path) -> None:
    quiet = gp.load_jurisdiction("yongzhou").evaluate(
        [
            {
                "case_id": "A",
                "event": "share.requested",
                "time": "2024-05-06 09:00",
                "category": "conditional",
            },
            {
                "case_id": "A",
                "event": "share.provider_reviewed",
                "time": "2024-05-07 09:00",
                "outcome": "approved",
            },
        ],
        as_of="2024-06-30",
    )
    page = write_report(quiet, "html", tmp_path / "q.html", lang="en").read_text(encoding="utf-8")
    assert 'id="total-violations" data-value="0"' in page and "No violations found." in page
    assert table_rows(page) == []


def test_bad_arguments(result: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        write_report(result, "pdf", tmp_path / "r.pdf")
    with pytest.raises(ValueError, match="language"):
        write_report(result, "html", tmp_path / "r.html", lang="fr")


def test_check_cli_writes_html(log_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.html"
    run = CliRunner().invoke(
        app,
        [
            "check",
            str(log_path),
            "-j",
            "yongzhou",
            "--as-of",
            "2024-06-30",
            "--format",
            "html",
            "-o",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert run.exit_code == 1, run.output
    assert 'id="total-violations" data-value="6"' in out.read_text(encoding="utf-8")
    run = CliRunner().invoke(app, ["check", str(log_path), "-j", "yongzhou", "--format", "html"])
    assert run.exit_code == 2


def test_a_report_of_no_event_says_nothing_was_checked(tmp_path: Path) -> None:
    empty = gp.load_jurisdiction("yongzhou").evaluate([], as_of="2024-06-30")
    zh = write_report(empty, "html", tmp_path / "zh.html").read_text(encoding="utf-8")
    en = write_report(empty, "html", tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "未检查任何事件（见说明）。" in zh and "未发现违规" not in zh
    assert "No event was checked (see the notes)." in en and "No violations found." not in en


def test_a_report_of_a_clean_log_says_no_violations(tmp_path: Path) -> None:
    clean = gp.load_jurisdiction("yongzhou").evaluate(
        [{"case_id": "C1", "event": "share.requested", "time": "2024-06-28 09:00", "category": "unconditional",
          "requester": "市民政局", "provider": "市公安局"}], as_of="2024-06-28")
    assert len(clean.violations) == 0
    page = write_report(clean, "html", tmp_path / "clean.html").read_text(encoding="utf-8")
    assert "未发现违规。" in page and "未检查任何事件（见说明）" not in page


def test_the_penalty_article_is_quoted_once(result: Any, tmp_path: Path) -> None:
    # Yongzhou 38 quotes its escalation ("情节严重的,…依法移送司法机关追究刑事责任") in its own text:
    # the report used to say it again after the text, under a label of its own
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("依法移送司法机关追究刑事责任") == 1
    assert "加重情形" not in page


def test_an_escalation_the_quoted_text_lacks_is_said_with_a_neutral_label(result: Any, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # a drafter's profile quoting only the article's first sentence: the escalation is then said after it,
    # labelled 加重情形 (not 情节严重的: Xinzhou's escalation is "造成严重不良后果的…")
    penalties = result.profile.spec.penalties
    monkeypatch.setattr(penalties, "text_zh", "政务部门及其工作人员有下列情形之一的,责令改正")
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "加重情形: 情节严重的,对直接负责的主管人员" in page


def test_control_characters_from_the_log_are_shown_not_obeyed_or_dropped(tmp_path: Path) -> None:
    """A right-to-left override in a case id made the page show ``GX-\\u202e10-SQ`` as "GX-QS-01" (a case
    that is not in the log; the terminal table already wrote it ``\\u202e``), and a NUL in a department's
    name was dropped by the HTML parser from the summary (``a\\x00b`` shown as "ab", the table's row kept
    it): each is written as its escape, in the tables drawn in the page and in the table's data (``data-case``
    keeps the id as it is, for scripts)."""
    case, party = "GX-\u202e10-SQ", "市卫健委\x00信息科"
    events = [{"case_id": case, "event": "share.requested", "time": "2025-05-26 09:00", "provider": party,
               "category": "conditional"}]
    result = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2025-12-31")
    page = write_report(result, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    body = re.sub(r'data-case="[^"]*"', "", page.split("<body", 1)[1])  # the id as it is, for scripts
    assert "\u202e" not in body and "\x00" not in body
    assert "<summary>GX-\\u202e10-SQ " in page and "<td>市卫健委\\x00信息科</td>" in page  # timeline, by party
    row = table_rows(page)[0]
    assert row[0] == "GX-\\u202e10-SQ" and "市卫健委\\x00信息科" in row
