"""A log's column names as the contract spells them, checked file by file.

An export's header ``Category`` or ``Case ID`` means ``category`` / ``case_id``: had it
been left as it is, the column would pass through unread and a rule testing the category
would stay quiet, a verdict of "nothing found" for the wrong reason. So headers are matched
to the contract's names regardless of case, spaces and hyphens; a contract column given
twice is one column, each row taking the value given, and an error where the two give
different values (which one should count?); a file missing a required column is named,
with its sheets when it is a workbook.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..errors import zh_list
from ..vocabulary import KNOWN_ATTRIBUTES, REQUIRED_COLUMNS
from .read import READ_ERROR, SPREADSHEET_SUFFIXES, FileColumns, InputError
from .text import text_array

KNOWN_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *KNOWN_ATTRIBUTES)
_REPEAT = re.compile(r"^(?P<name>.+) \((?P<n>[0-9]+)\)$")  # read.py's name for a repeated header


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip()).casefold()


_BY_KEY = {_key(name): name for name in KNOWN_COLUMNS}


def contract_name(header: str) -> str | None:
    """The contract column a header means (``Case ID`` -> ``case_id``), or None."""
    return _BY_KEY.get(_key(header))


def reason_order(name: str) -> tuple[int, str]:
    """Where a column's reasons come among a rejected row's: the contract's order, then the
    others by name, whatever the order of the log's columns (a stream has none)."""
    return (_ORDER.get(name, len(_ORDER)), name)


_ORDER = {name: i for i, name in enumerate(KNOWN_COLUMNS)}


def close_column(name: str) -> str | None:
    """A contract column a name is probably a misspelling of (``catgory`` -> ``category``)."""
    if name in KNOWN_COLUMNS:
        return None
    same = contract_name(name)
    if same is not None:
        return same
    key = _key(name)
    close = get_close_matches(key, KNOWN_COLUMNS, n=1, cutoff=0.8)
    if not close and len(key) >= 4:
        # a short name's slip scores low on difflib's ratio (``tiem`` against ``time``: 0.75): one letter
        # wrong, missing, added or two swapped is one edit
        close = [known for known in KNOWN_COLUMNS if _one_edit(key, known)][:1]
    if not close:
        return None  # an export column of its own (``extra``, ``open``, ``remark``) passes through
    # the name meant, when the name is a contract column cut short at its underscore: ``case`` is case_id,
    # not ``cause`` less a letter (difflib's pick)
    shortened = [known for known in KNOWN_COLUMNS if known.startswith(key + "_")]
    return shortened[0] if len(shortened) == 1 else close[0]


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one substitution, insertion, deletion or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        swapped = a[start + 1:start + 2] + a[start:start + 1] == b[start:start + 2]
        return a[start + 1:] == b[start + 1:] or (swapped and a[start + 2:] == b[start + 2:])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1:] == shorter[start:]


def contract_names(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Headers renamed to the contract's spelling. A contract column given twice (``outcome`` and
    ``Outcome``, or two ``outcome`` headers) is one column: in each row the value given, and an
    InputError naming both headers and the row when the two give different values."""
    targets: dict[str, list[str]] = {}
    for header in frame.columns:
        if header == READ_ERROR:
            continue
        repeat = _REPEAT.match(header)
        base = repeat.group("name") if repeat and repeat.group("name") in frame.columns else header
        target = contract_name(base)
        if target is not None:
            targets.setdefault(target, []).append(header)
    if all(headers == [target] for target, headers in targets.items()):
        return frame
    out = frame.copy(deep=False)
    for target, headers in targets.items():
        first, *others = headers
        merged = frame[first]
        for other in others:
            merged, clash = _coalesced(merged, frame[other])
            if clash is not None:
                shown = " and ".join(f"'{_shown(h)}'" for h in (first, other))
                raise InputError(
                    f"{source}: column {target} is given twice, as {shown}, with different values "
                    f"(row {clash + 1}); keep one, or map one to another name with a mapping file",
                    zh=f"{source}：{target}列出现了两次（{shown.replace(' and ', '和')}），"
                    f"第 {clash + 1} 行中两者的值不同；请只保留一列，或用映射文件把其中一列映射为别的名称",
                )
        out = out.drop(columns=others)
        out[first] = merged
        out = out.rename(columns={first: target})
    return out


def _shown(header: str) -> str:
    repeat = _REPEAT.match(header)
    return repeat.group("name") if repeat else header


def _coalesced(left: pd.Series, right: pd.Series) -> tuple[pd.Series, int | None]:
    """The two columns as one (a blank cell takes the other's value), and the first row where
    both give a value and they differ as validation reads them (``True`` and ``"true"``, ``3.0``
    and ``"3"`` agree), None when they never do."""
    left_text, right_text = (text_array(column) for column in (left, right))
    has_left = pc.is_valid(left_text).to_numpy(zero_copy_only=False)
    has_right = pc.is_valid(right_text).to_numpy(zero_copy_only=False)
    differ = pc.fill_null(pc.not_equal(left_text, right_text), True).to_numpy(zero_copy_only=False)
    clash = np.flatnonzero(has_left & has_right & differ)
    merged = left.astype(object).where(has_left, right.astype(object))
    return merged, (int(clash[0]) if clash.size else None)


def require_columns(files: list[FileColumns]) -> None:
    """An InputError naming the first file that lacks a required column, with the columns it has,
    a likely misspelling, and its other sheets when it is a workbook (a file of no rows and no
    columns, such as an empty JSON Lines file, is an empty log)."""
    for file in files:
        missing = [c for c in REQUIRED_COLUMNS if c not in file.columns]
        if not missing or (file.rows == 0 and not file.columns):
            continue
        close = [(m, c) for m in missing for c in file.columns if close_column(c) == m]
        message, zh = missing_columns(file.source, missing, [c for c in file.columns if c != READ_ERROR], close)
        indexed = [column for column in missing if column in file.index]
        if indexed:  # evaluate(df.set_index("case_id")): the column is there, as the frame's index
            one = len(indexed) == 1
            message += (f"; {', '.join(indexed)} {'is' if one else 'are'} the frame's index, not "
                        f"{'a column' if one else 'columns'}: pass the frame with its index as a column "
                        "(df.reset_index())")
            zh += f"；{zh_list(indexed)}是数据框的索引而不是列：请将索引还原为列后再传入（df.reset_index()）"
            if len(indexed) == len(missing):  # no renaming by a mapping file would help
                raise InputError(message, zh=zh)
        if Path(file.source).suffix.lower() in SPREADSHEET_SUFFIXES and file.sheet is None:
            # a sheet with the header read lacks the same columns: naming it sent the officer from sheet to
            # sheet when the mapping was what was missing
            others = [name for name in other_sheets(Path(file.source)) if name not in file.alike_sheets]
            if others:
                message += f"; the log may be on another sheet ({', '.join(others)}): choose it with --sheet"
                zh += f"；日志可能在另一个工作表上（{zh_list(others)}）：请用 --sheet 选择"
        if len(files) > 1 and len(missing) == len(REQUIRED_COLUMNS):
            # a folder's 说明.txt or 汇总.xlsx beside the exports is read as one of them
            pattern = Path(file.source).parent / f"*{Path(files[0].source).suffix}"
            message += (f"; it may be no log at all (a note or a summary beside the exports): leave it out, "
                        f"e.g. give the files as a pattern such as {pattern}")
            zh += (f"；它可能根本不是日志（导出文件旁的说明或汇总）：请不要把它包括进来，"
                   f"例如用 {pattern} 这样的模式给出文件")
        raise InputError(message + MAPPING_HINT[0], zh=zh + MAPPING_HINT[1])


# what ends the message of a log without a required column, in English and in Chinese
MAPPING_HINT = (" (a mapping file can rename columns: govdata-policy mapping init LOG)",
                "（可用映射文件为列改名：govdata-policy mapping init LOG）")


def missing_columns(named: str, missing: list[str], found: list[str], close: list[tuple[str, str]] = ()
                    ) -> tuple[str, str]:
    """The English and Chinese of a log (``named``: its file or files) without required columns: the
    columns it has, and which one each missing column is probably misspelt as (``close``)."""
    plural = "s" if len(missing) > 1 else ""
    english = (f"{named + ': ' if named else ''}missing required column{plural} {', '.join(missing)}; "
               f"columns found: {', '.join(found) or '(none)'}"
               + (f"; {', '.join(f'{m} (did you mean {c!r}?)' for m, c in close)}" if close else ""))
    chinese = (f"{named + '：' if named else ''}缺少必需的列 {zh_list(missing)}；"
               f"文件中的列：{zh_list(found) or '（无）'}"
               + (f"；{'、'.join(f'{m}（是否应为{c!r}？）' for m, c in close)}" if close else ""))
    return english, chinese


def other_sheets(path: Path) -> list[str]:
    """A workbook's visible sheets besides the one read by default (none for any other file)."""
    from .excel import sheet_names

    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return []
    try:
        return sheet_names(path)[1:]
    except Exception:  # the message is about the columns; a sheet list we cannot read adds nothing
        return []
