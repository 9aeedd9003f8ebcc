"""The HTML report's violations table: its columns and the rows embedded in the page as JSON,
which the page's script renders, sorts and filters in the browser (report/html.py builds the page)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..terminal_text import visible
from .evidence import evidence_places
from .i18n import kind_label, word
from .summary import cited_column
from .timeline import local_text

TABLE_CAP = 20_000  # violations embedded in the table
PAGE_SIZE = 500


TABLE_COLUMNS = (
    ("case_id", "case", False),
    ("clause", "clause", False),
    ("rule_id", "rule", False),
    ("kind", None, False),
    ("kind_label", "kind", False),
    ("responsible_party", "party", False),
    ("due", "due", False),
    ("occurred_at", "occurred", False),
    ("working_days_late", "wd_late", True),
    ("penalty_clause", "penalty", False),
    ("consequence", "consequence", False),
    ("evidence_rows", "evidence", False),
    # each evidence row in its own file, as explain says it (report/evidence.py): with several files, all
    # sheets of a workbook or a title above the header, row 34 of the log is not where to look
    ("evidence_location", "evidence_place", False),
    ("message", "message", False),
)
# good-faith relief (Xinjiang 42, 容错免责): reported, never dropped (CLAUSES.md), in a column of its
# own before the message, and only when a finding has one: the other jurisdictions have none
MITIGATION_COLUMN = ("mitigation", "mitigation", False)
# a clause and a penalty item are shown as the document cites them (第二十九条第（三）项), sorted and
# filtered by their paths (29.3), kept in hidden columns after all the others (which keep their data-col)
PATH_COLUMNS = (("clause_path", None, False), ("penalty_path", None, False))
SORTED_BY = {"clause": "clause_path", "penalty_clause": "penalty_path"}
PATHS = {"clause_path": "clause", "penalty_path": "penalty_clause"}


def table_columns(violations: pd.DataFrame) -> tuple[tuple[str, str | None, bool], ...]:
    """The violations table's columns: the mitigation's only where a finding has one; the hidden paths last."""
    if "mitigation" not in violations.columns or not violations["mitigation"].notna().any():
        return (*TABLE_COLUMNS, *PATH_COLUMNS)
    # the message stays the last shown (widest)
    return (*TABLE_COLUMNS[:-1], MITIGATION_COLUMN, TABLE_COLUMNS[-1], *PATH_COLUMNS)


def table_data(result: Any, lang: str, cap: int = TABLE_CAP) -> dict[str, Any]:
    """The violations table's columns and rows, as the page's script renders them (at most ``cap`` rows)."""
    frame = result.violations.iloc[:cap]
    message = "message_zh" if lang == "zh" else "message_en"
    columns = table_columns(result.violations)
    values: list[list[Any]] = []
    for name, _, numeric in columns:
        if name == "kind_label":
            values.append([kind_label(lang, k) for k in frame["kind"]])
        elif name in ("due", "occurred_at"):
            values.append([local_text(v.value if not pd.isna(v) else None) for v in frame[name]])
        elif name == "evidence_rows":  # as the workbook writes them: 12, 15
            values.append([", ".join(str(r) for r in rows) if isinstance(rows, list) and rows else None
                           for rows in frame[name]])
        elif name == "evidence_location":  # a file's name as given: its control characters as escapes
            values.append([None if text is None else visible(text)
                           for text in evidence_places(result, frame["evidence_rows"], lang)])
        elif name == "message":  # a message may quote a value from the log
            values.append([None if v is None or pd.isna(v) else visible(str(v)) for v in frame[message]])
        elif name in SORTED_BY:
            values.append(cited_column(result, frame, name, lang))
        elif name in PATHS:
            values.append([v if isinstance(v, str) else None for v in frame[PATHS[name]]])
        elif numeric:
            values.append([None if pd.isna(v) else int(v) for v in frame[name]])
        else:  # a case id or a party from the log: its control characters as escapes, as the page's tables show them
            values.append(
                [None if v is None or (not isinstance(v, list) and pd.isna(v)) else visible(str(v))
                 for v in frame[name]]
            )
    names = [n for n, _, _ in columns]
    return {
        "columns": [
            {"key": n, "label": word(lang, k) if k else n, "numeric": num, "hidden": k is None,
             "sort_by": names.index(SORTED_BY[n]) if n in SORTED_BY else None}
            for n, k, num in columns
        ],
        "rows": [list(row) for row in zip(*values, strict=True)] if len(frame) else [],
        "kind_index": names.index("kind"),
        "clause_index": names.index("clause_path"),
        "page_size": PAGE_SIZE,
    }
