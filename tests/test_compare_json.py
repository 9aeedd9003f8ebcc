"""`compare --format json` writes the log's long lists from columns (compare_json): the same text, byte for byte,
as json.dumps(body, ensure_ascii=False, indent=2), whatever the values hold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from govdata_policy.compare_json import compare_json

ODD = ['say "no"', "back\\slash", "tab\there\nline", "\x1b[31m", "永州 · 18.2", "</script>", "\u2028", "\ud800", ""]


def body(differ: list[dict[str, Any]], moved: list[dict[str, Any]]) -> dict[str, Any]:
    return {"profiles": ["a", "b \"q\""], "rows": [{"topic": "t", "key": "k", "differs": True, "present_in": ["a"],
                                                    "cells": {"a": [{"text": "x", "clause": "1", "rule_id": "r"}]}}],
            "log": {"findings_by_clause_and_kind": {"a": {"18.2 late": 3}, "b \"q\"": {}},
                    "cases_that_differ": differ, "cases_with_other_due_dates": moved,
                    "rows": {"a": {"read": 3, "accepted": 3, "rejected": 0}},
                    "rejected_rows": {"a": [{"row": 2, "line": None, "source": "x.csv", "case_id": None,
                                             "reason": "r"}]},
                    "notes": {"a": [{"kind": "k", "message": "m"}], "b \"q\"": []}}}


def differ(i: int, text: str) -> dict[str, Any]:
    return {"case_id": f"C{i}{text}", "duty": text, "verdicts": {"a": text or None, "b \"q\"": None},
            "reason": f"{text} under a"}


def moved(i: int, text: str) -> dict[str, Any]:
    return {"case_id": f"M{i}", "duty": "deadline", "verdict": "late", "details": {"a": text, "b \"q\"": "x"},
            "reason": text}


@pytest.mark.parametrize("count", [0, 1, 25])
def test_the_same_text_as_json_dumps(count: int) -> None:
    document = body([differ(i, ODD[i % len(ODD)]) for i in range(count)],
                    [moved(i, ODD[-1 - i % len(ODD)]) for i in range(count)])
    assert compare_json(document) == json.dumps(document, ensure_ascii=False, indent=2)


def test_records_of_another_shape_are_written_by_json_dumps() -> None:
    numbers = [{**differ(1, "x"), "reason": 3}]
    uneven = [differ(1, "x"), {"case_id": "C2", "duty": "d", "reason": "r", "verdicts": {}}]
    for document in (body(numbers, []), body(uneven, []), {"profiles": ["a"], "rows": []}):
        assert compare_json(document) == json.dumps(document, ensure_ascii=False, indent=2)
