"""``--sheet 2`` on the command line is the sheet named "2" (docs/input.md: --sheet takes names), while the API's
``sheet=2`` is a position. A workbook without such a sheet said only "no sheet '2'; sheets are …", which left
the user to guess that positions are counted some other way; the error now says that the command line takes
names, not positions, in English and Chinese. A sheet really named "2" is still read."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError, load_events

ROWS = {"case_id": ["A"], "event": ["conduct.leak"], "time": ["2024-05-06 09:00"]}  # a finding of its case


def _book(path: Path, *names: str) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"说明": ["封面"]}).to_excel(writer, sheet_name="封面", index=False)
        for name in names:
            pd.DataFrame(ROWS).to_excel(writer, sheet_name=name, index=False)
    return path


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "no sheet '2'; sheets are 封面, 6月, 7月 ('2' is read as a sheet's name: --sheet takes names, not "
           "positions; in Python an int, sheet=2, is a position counted from 0)"),
    ("zh", "没有工作表'2'；现有工作表：封面、6月、7月（'2'按工作表名称读取：--sheet 只接受名称，不接受序号；"
           "在 Python 中整数 sheet=2 是从 0 起计的位置）"),
], ids=["en", "zh"])
def test_a_number_on_the_command_line_is_a_name_and_the_error_says_so(tmp_path: Path, lang: str, said: str) -> None:
    path = _book(tmp_path / "2024.xlsx", "6月", "7月")
    result = CliRunner().invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-12-31", "--sheet", "2",
                                      "--lang", lang])
    assert result.exit_code == 2, result.output
    assert said in result.stderr


def test_a_sheet_named_with_a_number_is_read_and_an_int_is_a_position(tmp_path: Path) -> None:
    path = tmp_path / "2024.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, case in (("封面", None), ("2", "named-2"), ("7月", "third")):
            pd.DataFrame({"说明": ["封面"]} if case is None else {**ROWS, "case_id": [case]}).to_excel(
                writer, sheet_name=name, index=False)
    result = CliRunner().invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-12-31", "--sheet", "2",
                                      "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert {v["case_id"] for v in json.loads(result.stdout)["violations"]} == {"named-2"}  # by name
    assert load_events(path, sheet=2)[0]["case_id"].tolist() == ["third"]  # an int: the position, from 0
    with pytest.raises(InputError) as caught:
        load_events(path, sheet="3")
    assert "'3' is read as a sheet's name" in str(caught.value)


def test_a_name_that_is_no_number_gets_no_such_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_events(_book(tmp_path / "2024.xlsx", "6月"), sheet="台账")
    assert str(caught.value).endswith("no sheet '台账'; sheets are 封面, 6月")
