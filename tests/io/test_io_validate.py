"""Validation: the EventFrame's types, and every rejection reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from govdata_policy.io import InputError, load_events

BASE = {"case_id": "C1", "event": "share.requested", "time": "2024-05-06 09:00:00"}
# 2024-05-06 09:00 local = 01:00 UTC = 1714957200 s; its local day number is 19849
MAY6_0900_NS = 1_714_957_200 * 10**9


def _reject(**fields: object) -> str:
    """The reason for one row made of BASE plus ``fields``; asserts it was rejected."""
    events, rejected, n = load_events([{**BASE, **fields}])
    assert n == 1 and len(events) == 0, events
    assert len(rejected) == 1 and rejected[0]["row"] == 1 and rejected[0]["source"] == "<records>"
    return rejected[0]["reason"]


def test_event_frame_columns_and_dtypes() -> None:
    row = {
        **BASE, "category": " Conditional ", "emergency": "是", "cross_level": "N", "dedicated": "1",
        "extra_working_days": "3", "planned_offline_at": "2024-06-01", "outcome": "PASS",
        "requester_level": "city", "note": "  kept  ", "reason": "",
    }
    events, rejected, n = load_events([row, {**BASE, "case_id": "C2"}])
    assert rejected == [] and n == 2
    assert list(events.columns[:5]) == ["row", "case_id", "event", "time_ns", "day"]
    dtypes = events.dtypes.astype(str).to_dict()
    assert dtypes["row"] == dtypes["time_ns"] == dtypes["day"] == "int64"
    assert (dtypes["case_id"], dtypes["event"]) == ("string", "object")  # ids as Arrow text, events as str
    for text in ("category", "outcome", "note", "reason", "requester_level"):
        assert dtypes[text] == "category", text  # codes into the column's distinct words
        assert list(events[text].cat.categories) == sorted(events[text].cat.categories), text
    assert dtypes["emergency"] == dtypes["cross_level"] == dtypes["dedicated"] == "boolean"
    assert dtypes["extra_working_days"] == dtypes["planned_offline_at"] == "Int64"
    first = events.iloc[0]
    assert (first["time_ns"], first["day"]) == (MAY6_0900_NS, 19849)
    assert (first["category"], first["outcome"], first["note"]) == ("conditional", "pass", "kept")
    assert pd.isna(first["reason"])  # blank is missing
    assert [first["emergency"], first["cross_level"], first["dedicated"]] == [True, False, True]
    assert first["extra_working_days"] == 3
    # 2024-06-01 00:00 local = 2024-05-31 16:00 UTC
    assert first["planned_offline_at"] == pd.Timestamp("2024-05-31 16:00", tz="UTC").value
    second = events.iloc[1]
    assert pd.isna(second["emergency"]) and pd.isna(second["extra_working_days"])
    assert pd.isna(second["note"])


def test_boolean_words() -> None:
    words = ["true", "false", "1", "0", "yes", "no", "是", "否", "Y", "N", "TRUE", ""]
    rows = [{**BASE, "case_id": str(i), "emergency": w} for i, w in enumerate(words)]
    events, rejected, _ = load_events(rows)
    assert rejected == []
    assert events["emergency"].tolist() == [True, False] * 5 + [True, pd.NA]
    typed = pd.DataFrame([{**BASE, "emergency": True}, {**BASE, "emergency": False}])
    assert load_events(typed)[0]["emergency"].tolist() == [True, False]


def test_missing_case_id() -> None:
    assert _reject(case_id="  ") == "case_id: missing"
    assert _reject(case_id=None) == "case_id: missing"


def test_unknown_event_with_suggestions() -> None:
    assert _reject(event="share.requsted") == (
        "event: unknown event 'share.requsted' (did you mean 'share.requested'?)")
    assert _reject(event="目录更新") == (
        "event: unknown event '目录更新' (it looks like 'catalog.updated': "
        "map it under values: event: in the mapping file)")
    assert _reject(event="teleport") == "event: unknown event 'teleport'"
    assert "could be" in _reject(event="受理结果答复")  # catalog or resource offline reply
    assert _reject(event="") == "event: missing"


def test_time_problems() -> None:
    assert _reject(time="") == "time: missing"
    assert _reject(time="2024-13-01") == "time: cannot read '2024-13-01' as a time"
    assert _reject(time="2024-02-30 09:00") == "time: cannot read '2024-02-30 09:00' as a time"
    # a spreadsheet's time-of-day or duration cell, said as what it is
    assert _reject(time="09:00:00") == "time: '09:00:00' is a time of day without a date"
    assert _reject(time="45964 days, 9:00:00") == (
        "time: '45964 days, 9:00:00' is a duration, not a date and time (a cell formatted as a duration?)")


def test_typed_attribute_problems() -> None:
    assert _reject(emergency="maybe") == (
        "emergency: 'maybe' is not a yes/no value (true/false, 1/0, yes/no, 是/否, Y/N)")
    assert _reject(extra_working_days="3.5") == "extra_working_days: '3.5' is not a whole number, 0 or more"
    assert _reject(extra_working_days="十") == "extra_working_days: '十' is not a whole number, 0 or more"
    # a count of days: "-3" would shorten a period (it was accepted, then ignored without a word)
    assert _reject(extra_working_days="-3") == "extra_working_days: '-3' is not a whole number, 0 or more"
    for count in ("+3", "0", 3):
        events, rejected, _ = load_events([{**BASE, "extra_working_days": count}])
        assert rejected == [] and events["extra_working_days"].tolist() == [int(count)]
    assert _reject(rectify_by="next week") == "rectify_by: cannot read 'next week' as a time"


def test_enumerated_attribute_problems() -> None:
    assert _reject(outcome="ok") == "outcome: 'ok' is not allowed (allowed: pass, reject, approved, refused)"
    assert _reject(actor_role="boss").startswith("actor_role: 'boss' is not allowed (allowed: requester,")
    assert _reject(provider_level="village").startswith("provider_level: 'village' is not allowed")
    # category depends on the process: on_request is an open-data category only
    assert _reject(category="on_request") == (
        "category: 'on_request' is not allowed on share.* events "
        "(allowed: unconditional, conditional, not_shared)")
    assert _reject(event="open.requested", category="not_shared") == (
        "category: 'not_shared' is not allowed on open.* events (allowed: on_request, conditional, not_open)")
    events, rejected, _ = load_events([{**BASE, "event": "open.requested", "category": "on_request"},
                                       {**BASE, "event": "catalog.published", "category": "anything"}])
    assert rejected == [] and len(events) == 2  # no category list for catalog.* events


def test_all_reasons_of_a_row_joined_once() -> None:
    reason = _reject(case_id="", event="nope", time="never", emergency="?")
    assert reason == (
        "case_id: missing; event: unknown event 'nope'; time: cannot read 'never' as a time; "
        "emergency: '?' is not a yes/no value (true/false, 1/0, yes/no, 是/否, Y/N)")


def test_long_values_are_shortened_in_reasons() -> None:
    reason = _reject(event="x" * 200)
    assert len(reason) < 120 and reason.endswith("…'")


def test_missing_required_column_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError) as info:
        load_events([{"case_id": "C1", "event": "share.requested", "when": "2024-05-06"}])
    message = str(info.value)
    assert "missing required column time" in message
    assert "columns found: case_id, event, when" in message
    path = tmp_path / "log.csv"
    path.write_text("编号,环节\nC1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"log.csv: missing required columns case_id, event, time; "
                                          r"columns found: 编号, 环节"):
        load_events(path)


def test_extra_columns_pass_through_and_duplicates_stay() -> None:
    rows = [{**BASE, "审批人": "张三", "row": "7"}, {**BASE, "审批人": "张三", "row": "7"}]
    events, rejected, n = load_events(rows)
    assert (len(events), len(rejected), n) == (2, 0, 2)
    assert events["审批人"].tolist() == ["张三", "张三"]
    assert events["row"].tolist() == [1, 2]
    assert events["row_input"].tolist() == ["7", "7"]  # the input's own column, kept aside


def test_a_frame_with_the_engines_column_names_is_still_validated() -> None:
    """row, time_ns and day together made a caller's frame pass for the engine's own, unvalidated:
    text days crashed, numbers rejected every row as outside the calendar and found nothing."""
    import govdata_policy as gp

    frame = pd.DataFrame([{**BASE, "row": "7", "time_ns": "1", "day": "2024-05-06"},
                          {**BASE, "event": "share.requsted", "row": "8", "time_ns": "2", "day": "3"}])
    result = gp.load_jurisdiction("guangxi").evaluate(frame, as_of="2024-12-31")
    assert result.rows == {"read": 2, "accepted": 1, "rejected": 1}
    assert "unknown event 'share.requsted'" in result.rejected_rows[0]["reason"]


def test_a_record_that_is_none_is_named() -> None:
    with pytest.raises(InputError, match="expected dicts .* got NoneType at position 1"):
        load_events([BASE, None])


def test_numbers_from_typed_sources_become_text() -> None:
    frame = pd.DataFrame({"case_id": [1001, 1002], "event": ["share.requested"] * 2,
                          "time": ["2024-05-06"] * 2, "amount": [1.5, None]})
    events, rejected, _ = load_events(frame)
    assert events["case_id"].tolist() == ["1001", "1002"]
    assert events["amount"].astype(object).where(events["amount"].notna(), None).tolist() == ["1.5", None]
    frame = pd.DataFrame({"case_id": [1001.0, None], "event": ["share.requested"] * 2,
                          "time": ["2024-05-06"] * 2})
    events, rejected, _ = load_events(frame)  # a float id column (NaN forced it) keeps its digits
    assert events["case_id"].tolist() == ["1001"]
    assert rejected == [{"row": 2, "source": "<dataframe>", "case_id": None, "reason": "case_id: missing"}]


def test_many_distinct_bad_values_stay_fast() -> None:
    rows = [{**BASE, "event": f"bogus-{i}"} for i in range(3000)]
    events, rejected, n = load_events(rows)
    assert len(rejected) == n == 3000
    assert rejected[2999]["reason"] == "event: unknown event 'bogus-2999'"


def test_a_datetime_in_a_text_column_reads_the_same_alone_mixed_and_in_the_monitor() -> None:
    # a column of datetimes alone was written "2025-03-01T08:00:00" (isoformat), the same datetime
    # among text, and pushed to the monitor, "2025-03-01 08:00:00": one cell, two texts
    from govdata_policy.io.read import _scalar_text

    when = dt.datetime(2025, 3, 1, 8, 0)
    base = {"case_id": ["A", "B"], "event": ["share.requested"] * 2, "time": ["2024-05-06"] * 2}
    alone, _, _ = load_events(pd.DataFrame({**base, "reason": [when, when]}))
    mixed, _, _ = load_events(pd.DataFrame({**base, "reason": [when, "text"]}))
    assert alone["reason"].tolist() == ["2025-03-01 08:00:00"] * 2
    assert mixed["reason"].tolist() == ["2025-03-01 08:00:00", "text"]
    assert _scalar_text(pd.Timestamp(when)) == _scalar_text(when) == "2025-03-01 08:00:00"


def test_an_unknown_word_of_the_export_says_where_to_map_it() -> None:
    """A word of the export's own (审核通过: neither an event name nor a gloss of one, nor close to one) was
    refused as a bare 'unknown event', leaving an officer without a mapping no way on (the officer
    walk-through). It now names the mapping, in English and Chinese; an ASCII word no name is close to
    stays bare (a wrong column, a typo past guessing), and a close one keeps its did-you-mean."""
    from govdata_policy.reasons_zh import reason_zh

    said = _reject(event="审核通过")
    assert said == ("event: unknown event '审核通过' (an export's own word: map it under values: event: in a "
                    "mapping file (govdata-policy mapping init))")
    assert reason_zh(said) == ("event：未知事件'审核通过'（导出系统自己的用词：请在映射文件的 values: event: 下映射"
                                     "（govdata-policy mapping init 可起草映射文件））")
    assert _reject(event="teleport") == "event: unknown event 'teleport'"
    assert _reject(event="share.requestd").endswith("(did you mean 'share.requested'?)")
