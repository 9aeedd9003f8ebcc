"""The Python API's keyword arguments as a platform passes them, often read from a config file as text:
a value of the wrong kind is refused with an error naming the keyword and the value, never taken for
another (``enforce_validity="no"`` was true) nor failing deep inside with a bare TypeError."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import govdata_policy as gp

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "examples" / "yongzhou.csv"
AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def profile() -> gp.Profile:
    return gp.load_jurisdiction("yongzhou")


@pytest.fixture(scope="module")
def result(profile: gp.Profile) -> gp.Result:
    return profile.evaluate(LOG, as_of=AS_OF)


@pytest.mark.parametrize("keyword", ["enforce_validity", "keep_events", "obligations", "unenforced"])
@pytest.mark.parametrize("value", ["no", "false", "0", "", 0, 1])
def test_evaluate_refuses_a_yes_no_keyword_that_is_no_bool(profile: gp.Profile, keyword: str, value: Any) -> None:
    with pytest.raises(TypeError, match=rf"^{keyword}: expected True.* got {value!r}"):
        profile.evaluate(LOG, as_of=AS_OF, **{keyword: value})


def test_enforce_validity_text_no_no_longer_hides_the_findings_outside_validity(profile: gp.Profile) -> None:
    # Yongzhou's document is in force to 2027-07-17: as of 2028 a late reply after it is a C6 finding,
    # shown only when validity is not enforced; "no" (truthy) enforced it and hid the finding
    log = [{"case_id": "A", "event": "share.requested", "time": "2027-07-20 09:00", "category": "conditional",
            "provider": "市公安局"},
           {"case_id": "A", "event": "share.provider_reviewed", "time": "2027-09-20 09:00", "outcome": "approved"}]
    shown = profile.evaluate(log, as_of="2028-01-01", enforce_validity=False)
    assert len(shown.violations) == 1
    assert len(profile.evaluate(log, as_of="2028-01-01", enforce_validity=np.bool_(False)).violations) == 1
    with pytest.raises(TypeError, match="enforce_validity: expected True, False or None, got 'no'"):
        profile.evaluate(log, as_of="2028-01-01", enforce_validity="no")
    monitor = profile.monitor(enforce_validity=False)
    found = [v for event in log for v in monitor.push(event)]
    assert len(found) == 1
    with pytest.raises(TypeError, match="enforce_validity: expected True, False or None, got 'no'"):
        profile.monitor(enforce_validity="no")


def test_push_refuses_a_strict_that_is_no_bool_before_counting_the_event(profile: gp.Profile) -> None:
    monitor = profile.monitor()
    with pytest.raises(TypeError, match="strict: expected True or False, got 'no'"):
        monitor.push({"case_id": "A"}, strict="no")  # "no" raised RejectedEvent, as strict=True does
    assert monitor.stats()["events_pushed"] == 0
    assert monitor.push({"case_id": "A"}, strict=np.bool_(False)) == []


@pytest.mark.parametrize("call", ["to_json", "to_dict", "json_pieces", "json_bytes"])
def test_result_documents_refuse_an_obligations_that_is_no_bool(result: gp.Result, call: str) -> None:
    with pytest.raises(TypeError, match="obligations: expected True or False, got 'no'"):
        getattr(result, call)(obligations="no")  # "no" wrote every obligation
    assert "obligations" not in result.to_dict(obligations=False)


def test_write_report_refuses_an_obligations_that_is_no_bool(result: gp.Result, tmp_path: Path) -> None:
    from govdata_policy.report import write_report

    with pytest.raises(TypeError, match="obligations: expected True or False, got 'false'"):
        write_report(result, "xlsx", tmp_path / "r.xlsx", obligations="false")
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize(("options", "error", "said"), [
    ({"max_ahead_days": True}, TypeError, "max_ahead_days: expected a whole number of days, 0 or more, or None, "
                                          "got True"),  # was a one-day guard
    ({"max_ahead_days": 1.5}, TypeError, "max_ahead_days: .* got 1.5"),
    ({"max_ahead_days": "92"}, TypeError, "max_ahead_days: .* got '92'"),
    ({"max_ahead_days": -1}, ValueError, "max_ahead_days: .* got -1"),
    ({"closed_cache_size": None}, TypeError, "closed_cache_size: expected a whole number of cases, 0 or more, "
                                             "got None"),  # was "'<' not supported" from deep inside
    ({"closed_cache_size": "1000"}, TypeError, "closed_cache_size: .* got '1000'"),
    ({"closed_cache_size": False}, TypeError, "closed_cache_size: .* got False"),
    ({"closed_cache_size": -1}, ValueError, "closed_cache_size: .* got -1"),
    ({"rejected_kept": None}, TypeError, "rejected_kept: .* got None"),  # was a monitor keeping every rejection
    ({"rejected_kept": "5"}, TypeError, "rejected_kept: .* got '5'"),  # was "an integer is required"
    ({"rejected_kept": -1}, ValueError, "rejected_kept: .* got -1"),
])
def test_monitor_refuses_a_numeric_option_of_the_wrong_type_or_range(
    profile: gp.Profile, options: dict[str, Any], error: type[Exception], said: str
) -> None:
    with pytest.raises(error, match=f"^{said}"):
        profile.monitor(**options)


def test_monitor_takes_numpy_integers_and_none_for_no_guard(profile: gp.Profile) -> None:
    monitor = profile.monitor(closed_cache_size=np.int64(10), rejected_kept=np.int32(2), max_ahead_days=None)
    assert monitor.stats()["events_pushed"] == 0
    assert profile.monitor(max_ahead_days=0) is not None


@pytest.mark.parametrize(("index", "said"), [
    ("case_id", "case_id is the frame's index, not a column"),
    (["case_id", "time"], "case_id, time are the frame's index, not columns"),
])
def test_a_frame_whose_required_column_is_its_index_is_told_so(profile: gp.Profile, index: Any, said: str) -> None:
    import pandas as pd

    frame = pd.read_csv(LOG)
    with pytest.raises(gp.InputError, match=rf"missing required columns? .*; {said}: .*df\.reset_index\(\)") as caught:
        profile.evaluate(frame.set_index(index), as_of=AS_OF)
    assert "mapping" not in str(caught.value)  # no mapping file helps: the column is there, as the index
    assert "数据框的索引" in (caught.value.zh or "")
    # under a mapping, the index's header is the mapped one's
    mapped = frame.rename(columns={"case_id": "申请编号"}).set_index("申请编号")
    with pytest.raises(gp.InputError, match="case_id is the frame's index"):
        profile.evaluate(mapped, as_of=AS_OF, mapping={"columns": {"申请编号": "case_id"}})
    # an index that is a column too is no matter
    assert profile.evaluate(frame.set_index("case_id", drop=False), as_of=AS_OF).rows["rejected"] == 0


@pytest.mark.parametrize(("options", "error", "said"), [
    ({"workers": 0}, ValueError, "workers: expected a whole number of processes, 1 or more, or None, got 0"),
    ({"workers": -2}, ValueError, "workers: .* got -2"),
    ({"workers": "2"}, TypeError, "workers: .* got '2'"),  # one process on a small log, max() failing on a big one
    ({"workers": True}, TypeError, "workers: .* got True"),
    ({"render_json": "x"}, TypeError, "render_json: .* got 'x'"),
    ({"progress": "yes"}, TypeError, "progress: expected a function or None, got 'yes'"),
    ({"sheet": True}, TypeError, "sheet: expected a sheet's name .* got True"),
])
def test_evaluate_refuses_a_numeric_or_other_option_of_the_wrong_kind(
    profile: gp.Profile, options: dict[str, Any], error: type[Exception], said: str
) -> None:
    with pytest.raises(error, match=f"^{said}"):
        profile.evaluate(LOG, as_of=AS_OF, **options)


def test_sheet_true_no_longer_reads_the_second_sheet(profile: gp.Profile, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["note"])
    log = book.create_sheet("日志")
    log.append(["case_id", "event", "time"])
    log.append(["A", "share.requested", "2024-05-06 09:00"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert profile.evaluate(path, as_of=AS_OF, sheet=1).rows["read"] == 1  # a position is a position
    assert profile.evaluate(path, as_of=AS_OF, sheet=np.int64(1)).rows["read"] == 1
    with pytest.raises(TypeError, match="sheet: .* got True"):  # was position 1: the log read from "日志"
        profile.evaluate(path, as_of=AS_OF, sheet=True)


@pytest.mark.parametrize("call", ["to_json", "json_pieces", "json_bytes"])
@pytest.mark.parametrize(("indent", "error"), [("x", TypeError), (True, TypeError), (-1, ValueError)])
def test_result_documents_refuse_an_indent_of_the_wrong_kind(
    result: gp.Result, call: str, indent: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match=f"^indent: .* got {indent!r}"):  # "x": "can't multiply sequence" from inside
        getattr(result, call)(indent=indent)
    assert result.to_json(indent=np.int64(2)) == result.to_json(indent=2)


@pytest.mark.parametrize("given", [None, 5, ["yongzhou"]])
def test_load_jurisdiction_names_what_it_takes_when_given_neither_name_nor_path(given: Any) -> None:
    # was "expected str, bytes or os.PathLike object, not NoneType" from pathlib
    with pytest.raises(TypeError, match=rf"^load_jurisdiction: expected a built-in jurisdiction \(.*yongzhou\) or "
                                        rf"the path of a profile file, got {re.escape(repr(given))}"):
        gp.load_jurisdiction(given)
    assert gp.load_jurisdiction(ROOT / "jurisdictions" / "yongzhou.yaml").name == "yongzhou"


def test_a_mistyped_as_of_is_refused_before_the_log_is_read(profile: gp.Profile, tmp_path: Path) -> None:
    read: list[int] = []

    def events() -> Any:  # a log of a database cursor: each row read is a row fetched
        for i in range(3):
            read.append(i)
            yield {"case_id": f"A{i}", "event": "share.requested", "time": "2024-05-06 09:00"}

    with pytest.raises(ValueError, match="as_of: cannot read '2025-13-01'"):
        profile.evaluate(events(), as_of="2025-13-01")
    assert read == []  # was every row, then the error
    # compare --log: the date before the log (here one that does not exist), as check's
    from typer.testing import CliRunner

    from govdata_policy.cli.app import app

    out = CliRunner().invoke(app, ["compare", "yongzhou", "xinzhou", "--log", str(tmp_path / "none.csv"),
                                   "--as-of", "2025-13-01"])
    assert out.exit_code == 2
    assert "as_of: cannot read '2025-13-01'" in out.output


def test_a_monitor_given_a_profile_name_says_to_load_it(profile: gp.Profile) -> None:
    data = profile.monitor().snapshot()
    for make in (lambda: gp.Monitor("yongzhou"), lambda: gp.Monitor.restore("yongzhou", data),
                 lambda: gp.Monitor(ROOT / "jurisdictions" / "yongzhou.yaml")):
        with pytest.raises(TypeError, match=r"^profile: expected a loaded profile \(govdata_policy\.load_jurisdiction"):
            make()  # was "cannot create weak reference to 'str' object"
    assert gp.Monitor.restore(profile, data).stats()["events_pushed"] == 0
