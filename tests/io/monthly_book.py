"""A workbook of a sheet a month, as exported (tests of ``sheet="*"``: tests/io and tests/cli)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HEADER = ["case_id", "event", "time", "category", "provider"]
CHINESE = ["申请编号", "环节", "办理时间", "共享类型", "提供部门"]
MAPPING = {"columns": dict(zip(CHINESE, HEADER, strict=True))}


def monthly_workbook(path: Path, header: list[str] = HEADER, june_extra: Sequence[list[Any]] = (),
                     july_extra: Sequence[list[Any]] = ()) -> Path:
    """A cover page, June (a title above its table), July, a 说明 sheet and a hidden template: Yongzhou
    18.2's request in June, answered in July within its 10 working days."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["XX市政务数据共享台账"])
    june = book.create_sheet("6月")
    june.append(["2024年6月 数据共享台账"])
    june.append(header)
    june.append(["C1", "share.requested", dt.datetime(2024, 6, 24, 9), "conditional", "市公安局"])
    for row in june_extra:
        june.append(row)
    july = book.create_sheet("7月")
    july.append(header)
    july.append(["C1", "share.provider_reviewed", dt.datetime(2024, 7, 1, 10), None, "市公安局"])
    for row in july_extra:
        july.append(row)
    notes = book.create_sheet("说明")
    notes.append(["字段", "含义"])
    notes.append(["申请编号", "共享申请的编号"])
    hidden = book.create_sheet("模板")
    hidden.sheet_state = "hidden"
    hidden.append(header)
    book.save(path)
    return path
