"""Excel's error values (#N/A, #REF!) in a log: a cell whose formula failed holds no value. A row
with one in a column the rules read is refused, naming the column and the error, in every format,
by the batch and the monitor alike (io/cell_errors.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.io.cell_errors import EXCEL_ERRORS
from govdata_policy.monitor.scalar_validate import EventParser

ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"]


def _error(name: str, value: str) -> str:
    return f"{name}: {value!r} is an Excel error value (the cell's formula failed), not a value"


def _calc_error(name: str, value: str) -> str:
    return f"{name}: {value!r} is a LibreOffice error value (the cell's formula failed), not a value"


def _events() -> list[dict[str, str]]:
    base = {"event": "share.requested", "time": "2024-05-06 09:00"}
    return [
        {**base, "case_id": "#N/A"},
        {**base, "case_id": "A1", "event": "#REF!"},
        {**base, "case_id": "A2", "time": "#VALUE!"},
        {**base, "case_id": "A3", "subject_id": "#N/A"},  # Xinjiang's identifier rule read it as an invalid id
        {**base, "case_id": "A4", "provider": "#REF!"},  # a party named '#REF!'
        {**base, "case_id": "A5", "reason": "#N/A", "purpose": " #name? "},  # free text: its content is lost
        {**base, "case_id": "A6", "category": "#DIV/0!", "emergency": "#NUM!", "extra_working_days": "#NULL!",
         "planned_offline_at": "#SPILL!"},
        {**base, "case_id": "A7", "helper": "#N/A", "reason": "#3 窗口"},  # a column no rule reads; '#' in text
    ]


def test_every_error_value_is_known() -> None:
    assert set(ERRORS) <= EXCEL_ERRORS


def test_error_values_are_refused_in_every_column_a_rule_reads(tmp_path: Path) -> None:
    events = _events()
    columns = list(dict.fromkeys(key for event in events for key in event))
    path = tmp_path / "log.csv"
    lines = [",".join(columns)] + [",".join(event.get(c, "") for c in columns) for event in events]
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    expected = [
        _error("case_id", "#N/A"),
        _error("event", "#REF!"),
        _error("time", "#VALUE!"),
        _error("subject_id", "#N/A"),
        _error("provider", "#REF!"),
        f"{_error('reason', '#N/A')}; {_error('purpose', '#name?')}",
        "; ".join([_error("category", "#DIV/0!"), _error("emergency", "#NUM!"),
                   _error("planned_offline_at", "#SPILL!"), _error("extra_working_days", "#NULL!")]),
    ]
    for source in (path, events):
        accepted, rejected, rows = load_events(source)
        assert rows == len(accepted) + len(rejected) == len(events)
        assert [r["reason"] for r in rejected] == expected
        kept = accepted.iloc[0]
        assert kept["case_id"] == "A7" and kept["helper"] == "#N/A" and kept["reason"] == "#3 窗口"
        # the monitor says the same of each event, and takes the last
        parsed = [EventParser().parse(event) for event in events]
        assert [p for p in parsed if isinstance(p, str)] == expected
        assert not isinstance(parsed[-1], str)


def test_error_cells_of_a_workbook_are_refused_whichever_error(tmp_path: Path) -> None:
    """openpyxl hands an .xlsx error cell over as its text; calamine 0.9 refused a whole sheet holding
    #SPILL!, #CALC! or #GETTING_DATA ("Unsupported cell error value"): the log could not be read."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "subject_id"])
    for number, error in enumerate(ERRORS, 2):
        sheet.append([f"C{number}", "share.requested", "2024-05-06 09:00", None])
        sheet.cell(row=number, column=4, value=error).data_type = "e"
    sheet.append(["C99", "share.requested", "2024-05-06 09:00", "650102198805120022"])
    book.save(tmp_path / "log.xlsx")
    accepted, rejected, rows = load_events(tmp_path / "log.xlsx")
    assert rows == len(ERRORS) + 1 and accepted["case_id"].tolist() == ["C99"]
    assert [r["reason"] for r in rejected] == [_error("subject_id", error) for error in ERRORS]


def test_an_error_value_is_no_invalid_identifier_in_batch_or_monitor() -> None:
    events = [{"case_id": "S1", "event": "share.requested", "time": "2024-05-06 09:00", "subject_id": "#N/A"}]
    profile = gp.load_jurisdiction("xinjiang")
    result = profile.evaluate(events, as_of="2024-06-30")
    monitor = profile.monitor()
    found = monitor.push(events[0])
    assert not [v for v in result.to_dict()["violations"] if v["case_id"] == "S1"] and not found
    assert [r["reason"] for r in result.rejected_rows] == [r["reason"] for r in monitor.rejected] == [
        _error("subject_id", "#N/A")]


def test_libreoffice_error_numbers_are_refused_as_it_writes_them(tmp_path: Path) -> None:
    """LibreOffice Calc shows most errors by number (Err:502, Err:504, Err:522) and a CSV saved as
    shown holds that text: read as data, Err:502 was a subject id failing Xinjiang's check digit and
    a provider of that name. Only as Calc writes it: 'err:502' typed into a cell, or Err:5021, is text."""
    base = {"event": "share.requested", "time": "2024-05-06 09:00"}
    events = [
        {**base, "case_id": "Err:502"},
        {**base, "case_id": "L1", "event": "Err:504"},
        {**base, "case_id": "L2", "time": "Err:522"},
        {**base, "case_id": "L3", "subject_id": "Err:502", "provider": " Err:511 "},
        {**base, "case_id": "L4", "reason": "err:502", "provider": "Err:5021", "purpose": "Err:5"},
    ]
    columns = list(dict.fromkeys(key for event in events for key in event))
    path = tmp_path / "calc.csv"
    path.write_text("\n".join([",".join(columns)] + [",".join(e.get(c, "") for c in columns) for e in events]) + "\n",
                    encoding="utf-8")
    expected = [
        _calc_error("case_id", "Err:502"),
        _calc_error("event", "Err:504"),
        _calc_error("time", "Err:522"),
        f"{_calc_error('provider', 'Err:511')}; {_calc_error('subject_id', 'Err:502')}",  # the contract's order
    ]
    for source in (path, events):
        accepted, rejected, rows = load_events(source)
        assert rows == len(accepted) + len(rejected) == len(events)
        assert [r["reason"] for r in rejected] == expected
        kept = accepted.iloc[0]
        assert (kept["case_id"], kept["reason"], kept["provider"], kept["purpose"]) == ("L4", "err:502", "Err:5021",
                                                                                        "Err:5")
        parsed = [EventParser().parse(event) for event in events]
        assert [p for p in parsed if isinstance(p, str)] == expected
        assert not isinstance(parsed[-1], str)
