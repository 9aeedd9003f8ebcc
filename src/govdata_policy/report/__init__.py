"""Reports for compliance officers: one self-contained HTML file, or an Excel workbook.

    from govdata_policy.report import write_report
    write_report(result, "html", "report.html", lang="zh")
    write_report(result, "xlsx", "report.xlsx", lang="en", obligations=True)

See docs/reports.md for what each contains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .i18n import check_lang

FORMATS = ("html", "xlsx")


def write_report(result: Any, fmt: str, path: str | Path, lang: str = "zh", obligations: bool = False) -> Path:
    """Write ``result`` as an ``html`` or ``xlsx`` report to ``path``; returns the path.

    ``lang`` (zh / en) sets every heading, label and message. ``obligations``
    lists every obligation in the workbook (by default only those not met on
    time); the HTML report always computes its charts from all obligations.
    """
    from ..atomic_file import write_whole
    from ..options import flag

    check_lang(lang)
    # obligations="no" (text) was true: the workbook listed every obligation
    obligations = flag("obligations", obligations)
    target = Path(path)
    if fmt == "html":
        from .html import render_html

        text = render_html(result, lang=lang)
        write_whole(target, lambda partial: partial.write_text(text, encoding="utf-8"))
    elif fmt == "xlsx":
        from .xlsx import write_xlsx

        # a workbook cut short does not open: written whole beside the target, then put in its place
        write_whole(target, lambda partial: write_xlsx(result, partial, lang=lang, obligations=obligations))
    else:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    return target


__all__ = ["FORMATS", "write_report"]
