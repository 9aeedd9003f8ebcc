"""Writes the small fixture files in this folder (run it again to regenerate them).

The .xls and .ods workbooks need xlwt and odfpy, which the project does not
depend on (it only reads these formats): install them in a throwaway environment
to regenerate them. Their cells are typed as an office's spreadsheet holds them.

The GBK file is written with Python's own GBK codec, the way a Windows
export from a provincial platform would be, so the reader is tested against
real GBK bytes rather than against our own idea of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

GBK_ROWS = [
    "申请编号,办理环节,办理时间,提供部门,需求部门,共享类型,审核结果,不予共享理由,备注",
    "GX2024-001,提交申请,2024-05-06 09:00:00,自治区公安厅,自治区人社厅,有条件共享,,,首次",
    "GX2024-001,符合性审查,2024/5/7 10:30,自治区公安厅,自治区人社厅,,通过,,",
    "GX2024-001,提供部门审核,2024年5月10日 16:00,自治区公安厅,自治区人社厅,,不同意,涉及国家秘密,",
    "GX2024-002,提交申请,2024-05-08,自治区自然资源厅,南宁市大数据局,无条件共享,,,",
    "GX2024-002,授权,20240509,自治区自然资源厅,南宁市大数据局,,,,订阅开通",
]


def write_gbk_csv(path: Path = HERE / "gbk_export.csv") -> Path:
    text = "\r\n".join(GBK_ROWS) + "\r\n"  # Windows line ends, as exported
    path.write_bytes(text.encode("gbk"))
    return path


# A title row, a header, then typed cells: a date-time cell, a serial number (45419.4375 =
# 2024-05-07 10:30), a text time, a whole-number id (1001), a date-only cell and a number.
SHEET_TITLE = "南宁市政务数据共享申请台账（2024年5月）"
SHEET_HEADER = ["case_id", "event", "time", "category", "extra_working_days"]
SHEET_ROWS = [
    ["C1", "share.requested", dt.datetime(2024, 5, 6, 9, 0), "conditional", None],
    ["C1", "share.compliance_reviewed", 45419.4375, None, None],
    [1001, "share.requested", "2024-05-08 16:00", "unconditional", None],
    ["C2", "share.requested", dt.date(2024, 5, 9), "conditional", 3],
]


def write_xls(path: Path = HERE / "typed.xls") -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("日志")
    styles = {dt.datetime: xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm"),
              dt.date: xlwt.easyxf(num_format_str="yyyy-mm-dd")}
    sheet.write(0, 0, SHEET_TITLE)
    for c, name in enumerate(SHEET_HEADER):
        sheet.write(1, c, name)
    for r, row in enumerate(SHEET_ROWS, start=2):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value, styles[type(value)]) if type(value) in styles else sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path = HERE / "typed.ods") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value: object) -> TableCell:
        if value is None:
            return TableCell()
        if isinstance(value, dt.date):
            found = TableCell(valuetype="date", datevalue=value.isoformat())
        elif isinstance(value, int | float):
            found = TableCell(valuetype="float", value=value)
        else:
            found = TableCell(valuetype="string")
        found.addElement(P(text=str(value)))
        return found

    doc = OpenDocumentSpreadsheet()
    table = Table(name="日志")
    for row in [[SHEET_TITLE], SHEET_HEADER, *SHEET_ROWS]:
        line = TableRow()
        for value in row:
            line.addElement(cell(value))
        table.addElement(line)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(write_gbk_csv())
    print(write_xls())
    print(write_ods())
