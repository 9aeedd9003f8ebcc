"""Chinese citations name each clause as its own document does (citation.py): a document of 条 is
cited 第二十九条第（三）项; Xinzhou's 实施意见 and the Guangxi reform plan, which have no 条, 五（三）2 and
二（四）4. Findings (batch and monitor), explanations and reports said 第5.3.2条 and 第R.2.4.4条:
articles that do not exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp
from govdata_policy.citation import chinese_number, cite_zh
from govdata_policy.profile_layers import ProfileError

# Xinzhou 五（三）2: a conditional request reviewed by the platform within 2 working days (due Wed 03-05)
XZ_LATE = [
    {"case_id": "C1", "event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional",
     "requester": "甲局", "provider": "乙局"},
    {"case_id": "C1", "event": "share.compliance_reviewed", "time": "2025-03-07 10:00", "outcome": "pass"},
]
# Guangxi 二（四）4 (R.2.4.4, the reform plan): data collected once only
GX_DUPLICATE = [{"case_id": "D1", "event": "conduct.duplicate_collection", "time": "2024-09-09 09:00", "actor": "某局"}]


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (29, "二十九"), (47, "四十七"), (100, "一百"),
    (101, "一百零一"), (110, "一百一十"), (1005, "一千零五"),
])
def test_article_numbers_in_chinese_numerals(n: int, text: str) -> None:
    assert chinese_number(n) == text


@pytest.mark.parametrize(("clause", "form", "cited"), [
    ("29", "article", "第二十九条"),
    ("29.3", "article", "第二十九条第（三）项"),
    ("47.8", "article", "第四十七条第（八）项"),
    ("5.3.2", "outline", "五（三）2"),
    ("7.4.2", "outline", "七（四）2"),
    ("7.4", "outline", "七（四）"),
    ("R.2.4.4", "outline", "二（四）4"),  # R. only says which document
    ("not a path", "article", "not a path"),
])
def test_a_clause_is_cited_in_its_documents_form(clause: str, form: str, cited: str) -> None:
    assert cite_zh(clause, form) == cited


def test_each_bundled_document_says_how_it_is_cited() -> None:
    forms = {name: {key: doc.citation for key, doc in gp.load_jurisdiction(name).spec.documents.items()}
             for name in ("guangxi", "yongzhou", "xinjiang", "xinzhou")}
    assert forms == {"guangxi": {"D": "article", "R": "outline"}, "yongzhou": {"main": "article"},
                     "xinjiang": {"main": "article"}, "xinzhou": {"main": "outline"}}


def test_a_misspelt_form_is_refused(tmp_path: Path) -> None:
    variant = tmp_path / "v.yaml"
    variant.write_text("name: v\nextends: xinzhou\ndocuments:\n  main:\n    citation: outlines\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="citation"):
        gp.load_jurisdiction(variant)


def test_findings_cite_xinzhou_and_the_reform_plan_as_they_are_numbered() -> None:
    xinzhou, guangxi = gp.load_jurisdiction("xinzhou"), gp.load_jurisdiction("guangxi")
    for found in (xinzhou.evaluate(XZ_LATE, as_of="2025-03-31").violations.to_dict("records"),
                  _monitored(xinzhou, XZ_LATE, "2025-03-31")):
        [late] = [v for v in found if v["rule_id"] == "xz-5.3.2-conditional-compliance-review"]
        assert late["message_zh"].startswith("五（三）2（有条件共享申请"), late["message_zh"]
        assert (late["clause"], late["penalty_clause"]) == ("5.3.2", "7.4.2")  # the machine fields keep the path
        assert late["message_en"].startswith("Clause 5.3.2 (")
    for found in (guangxi.evaluate(GX_DUPLICATE, as_of="2024-12-31").violations.to_dict("records"),
                  _monitored(guangxi, GX_DUPLICATE, "2024-12-31")):
        [collected] = [v for v in found if v["clause"] == "R.2.4.4"]
        assert collected["message_zh"].startswith("二（四）4（"), collected["message_zh"]


def test_a_document_of_articles_is_cited_by_article_and_item() -> None:
    guangxi = gp.load_jurisdiction("guangxi")
    log = [{"case_id": "P", "event": "share.paper_demanded", "time": "2024-11-05 15:00", "actor": "某局"}]
    [found] = guangxi.evaluate(log, as_of="2024-12-31").violations.to_dict("records")
    assert found["message_zh"].startswith("第二十九条第（三）项（"), found["message_zh"]
    assert "第29.3条" not in found["message_zh"]


def test_explain_cites_the_clause_and_its_penalty_item_in_the_documents_form() -> None:
    result = gp.load_jurisdiction("xinzhou").evaluate(XZ_LATE, as_of="2025-03-31")
    text = result.explain("C1").to_text("zh")
    assert "[五（三）2] xz-5.3.2-conditional-compliance-review" in text
    assert "期限：2 个工作日（五（三）2）" in text
    assert "罚则：七（四）2：不按照规定" in text
    assert "第5.3.2条" not in text and "7.4.2" not in text
    english = result.explain("C1").to_text("en")
    assert "(clause 5.3.2)" in english and "Penalty: 7.4.2" in english


def test_zh_reports_cite_clauses_and_penalty_items_the_json_keeps_paths(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from govdata_policy.report import write_report

    result = gp.load_jurisdiction("xinzhou").evaluate(XZ_LATE, as_of="2025-03-31")
    html = write_report(result, "html", tmp_path / "r.html", lang="zh").read_text(encoding="utf-8")
    assert "五（三）2" in html and "七（四）2" in html and "第5.3.2条" not in html
    assert '<option value="5.3.2">五（三）2</option>' in html  # filtered by the path, labelled as cited
    book = load_workbook(write_report(result, "xlsx", tmp_path / "r.xlsx", lang="zh", obligations=True))
    header, *rows = list(book["违规"].iter_rows(values_only=True))
    row = dict(zip(header, rows[0], strict=True))
    assert (row["条款"], row["罚则条款"]) == ("五（三）2", "七（四）2")
    summary = [r[1] for r in book["汇总"].iter_rows(values_only=True)]
    assert "五（三）2" in summary and "七（四）2" in summary and "七（四）" in summary  # clause, item, article
    assert {v["clause"] for v in result.to_dict()["violations"]} == {"5.3.2"}


def _monitored(profile: Any, events: list[dict[str, str]], as_of: str) -> list[dict]:
    monitor = profile.monitor()
    found = [v for event in events for v in monitor.push(event)]
    return found + monitor.advance(as_of)
