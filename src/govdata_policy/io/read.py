"""Reading an event log as it was exported: files, frames or records, values untouched.

Everything is read as text where the format allows it (CSV), so an id like
``00123`` keeps its zeros and validation sees exactly what the officer sees
in the file. Typed formats (Excel, Parquet, JSON) keep their types; the
validator turns them into text or times column by column.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import BilingualError, zh_list

# the header helpers and the text helpers lived here first; other modules still import them from here
from .csv_head import CSV_SUFFIXES
from .file_kind import other_kind
from .header import HEAD_ROWS, dedupe, has_cells, header_place, header_row, names_log_columns  # noqa: F401
from .text import _scalar_text, is_text_type, text_array, text_series  # noqa: F401


class InputError(BilingualError):
    """A log (or mapping) that cannot be read at all; the message names the file and why (and
    ``zh`` says it in Chinese for the command line's ``--lang zh``)."""


@dataclass(frozen=True)
class FileColumns:
    """One file of a log as read: its name, its columns (mapped), its rows, the sheet asked for."""

    source: str
    columns: tuple[str, ...]
    rows: int
    sheet: str | int | None = None
    lines: Any = None  # where its rows lie in it (io.lines: a LineMap or one made when asked); None: no lines
    sheet_read: str | None = None  # a workbook read on its first visible sheet (no sheet asked for): that sheet
    other_logs: tuple[str, ...] = ()  # and its other sheets with the log's columns, not read (io.other_sheets)
    # and its other sheets with the very header read (a sheet a month): no other place for a column it lacks
    alike_sheets: tuple[str, ...] = ()
    # all sheets read (``sheet="*"``, io.all_sheets), to the first sheet of its workbook: the workbook and the
    # visible sheets passed over for want of the log's columns (a cover page, a 说明 sheet), for a note
    passed_over: tuple[str, tuple[str, ...]] | None = None
    # a DataFrame's named index levels that are no column, as the contract names them (its mapping applied):
    # a log given as df.set_index("case_id") lacks the column, and the message says where it went
    index: tuple[str, ...] = ()


@dataclass
class RawTable:
    """The raw columns, with the 1-based data-row number and the source of each row."""

    frame: pd.DataFrame
    row: np.ndarray  # int64, numbered on across several files in the order given
    source: np.ndarray  # object: file path as given, "<dataframe>" or "<records>"
    rows_read: int
    files: list[FileColumns] = field(default_factory=list)  # each file's own columns (validation names it)
    # the mapping applied (io.mapping.mapping_name): its file, "" for one given in Python, None for none; an
    # export's own event word is told to go in that file, not to draft a mapping (io.checks)
    mapping: str | None = None


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # io/excel.py
SUFFIXES = (*CSV_SUFFIXES, ".jsonl", ".ndjson", ".json", ".parquet", *SPREADSHEET_SUFFIXES)
# Column carrying a reason for rows the reader could only half read (see csv_read._read_ragged_csv).
READ_ERROR = "\x00read_error"
# a reader leaves the map of where its rows lie in the file (io.lines) in the frame's attrs, under this name
LINES = "govdata_policy.lines"
# the Excel reader marks a workbook counting its dates from 1904 (Mac Excel) in the frame's attrs, under this name
DATE1904 = "govdata_policy.date1904"
# and a Parquet file or Arrow table holding bytes no text encoding reads (io.binary_text), under this name
UNDECODED = "govdata_policy.undecoded"
# and a workbook read on its first sheet: (that sheet, the other visible sheets' headers), under this name
OTHER_SHEETS = "govdata_policy.other_sheets"
# ``sheet=`` for every sheet holding the log, read as one log (io.all_sheets); no sheet can be named "*"
ALL_SHEETS = "*"
# and the sheets passed over when all are read (io.all_sheets), on its workbook's first sheet read
PASSED_OVER = "govdata_policy.passed_over"
_GLOB_CHARS = set("*?[")
# a log read from standard input or a pipe is read from a temporary copy (io.spool): the copy's path ->
# the name the log is given by (``<stdin>``, the pipe's path), for its rows' source and every message
SHOWN_NAMES: dict[str, str] = {}


def shown_name(path: str | Path) -> str:
    """The name a file of a log goes by: its path as given, or the name of the stream it copies."""
    return SHOWN_NAMES.get(str(path), str(path))


def read_raw(source: Any, mapping: Any = None, sheet: str | int | None = None) -> RawTable:
    """Read a log: DataFrame, path, directory, glob pattern, list of paths, or iterable of dicts.

    ``mapping`` (a path, dict or ColumnMapping) is applied to each file before
    the files are put together, so exports whose headers differ still line up.
    """
    # imported here: mapping.py and columns.py need InputError from this module
    from ..options import sheet_choice
    from .mapping import as_mapping, mapping_name
    from .other_sheets import other_logs
    from .repeated_header import HEADER_ROWS

    sheet = sheet_choice(sheet)  # load_events(path, sheet=True) read the second sheet
    column_mapping = as_mapping(mapping)
    pieces, lines, sheets, repeated, passed_over, indexes = [], [], [], [], [], []
    for frame, name in _pieces(source, sheet, column_mapping):
        indexes.append(index_columns(frame, column_mapping))
        lines.append(take_lines(frame))
        passed_over.append(frame.attrs.pop(PASSED_OVER, None))
        # a workbook read on its first sheet: others with a log are said (a note), not passed over
        sheet_read, headers = frame.attrs.pop(OTHER_SHEETS, (None, {}))
        as_read = [str(column) for column in frame.columns if column != READ_ERROR]
        sheets.append((sheet_read, other_logs(name, headers, column_mapping) if headers else (),
                       tuple(other for other, header in headers.items() if header == as_read)))
        frame, repeats = contract_frame(frame, name, column_mapping)
        pieces.append((frame, name))
        repeated.append(repeats)
    if len(pieces) == 1:
        frame = pieces[0][0]
    else:
        # several files: columns are the union, in order of first appearance
        frame = joined([p for p, _ in pieces])
    lengths = [len(p) for p, _ in pieces]
    total = int(sum(lengths))
    names = np.array([name for _, name in pieces], dtype=object)
    if names.size == 1:  # one name for every row: a read-only view, not a million references
        source = np.broadcast_to(names, (total,))
    else:
        source = np.repeat(names, lengths) if names.size else np.empty(0, dtype=object)
    frame = frame.reset_index(drop=True)
    # a tuple, not an array: pandas compares attrs when it joins frames
    starts = np.cumsum([0, *lengths])[:-1].tolist()
    frame.attrs[HEADER_ROWS] = tuple(place + start for places, start in zip(repeated, starts, strict=True)
                                     for place in places.tolist())
    return RawTable(
        frame=frame,
        row=np.arange(1, total + 1, dtype=np.int64),
        source=source,
        rows_read=total,
        files=[FileColumns(name, tuple(map(str, p.columns)), len(p), sheet, line_map, *read_and_others, passed,
                           index)
               for (p, name), line_map, read_and_others, passed, index in zip(pieces, lines, sheets, passed_over,
                                                                              indexes, strict=True)],
        mapping=mapping_name(column_mapping),
    )


def index_columns(frame: pd.DataFrame, mapping: Any) -> tuple[str, ...]:
    """The contract columns a frame's named index levels would be as columns (a mapping's header renamed),
    those levels that are no column of it; () for a file's frame, whose index has no name."""
    from .columns import contract_name

    columns = set(map(str, frame.columns))
    names = [str(level).strip() for level in frame.index.names if level is not None]
    renamed = [name if mapping is None else mapping.columns.get(name, name) for name in names if name not in columns]
    return tuple(contract_name(name) or name for name in renamed)


def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several files' frames as one, the columns the union in order of first appearance. pandas joins a
    column of whole numbers with one of floats, or with none (a file without the column), as float64,
    where an id of 2**53 and more loses its last digits (a case id then refused as rounded, an 18-digit
    subject id failing its check digit) though its own file kept every one: such a column is joined as
    the Python ints it holds."""
    kinds: dict[Any, set[Any]] = {}
    for frame in frames:
        for name, dtype in frame.dtypes.items():
            kinds.setdefault(name, set()).add(dtype)
    whole = [name for name, dtypes in kinds.items() if any(pd.api.types.is_integer_dtype(d) for d in dtypes)
             and (len(dtypes) > 1 or any(name not in frame.columns for frame in frames))]
    if whole:
        frames = [frame.astype({name: object for name in whole if name in frame.columns}) for frame in frames]
    return pd.concat(frames, ignore_index=True, sort=False)


def contract_frame(frame: pd.DataFrame, name: str, mapping: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """One file's frame (its lines and other sheets taken off) as the contract names it, and the rows
    repeating its header (``repeated_header_rows``, found before the mapping renames the columns: as
    written): the mapping (a ColumnMapping or None) applied, headers in the contract's spelling, a 1904
    workbook's serial dates as the dates they mean and cells no encoding read refused where a rule
    reads them (both once the columns are known, after the mapping), nested cells as JSON text. As
    ``read_raw`` reads each file and ``io.partitions`` each part: one place, so they agree."""
    from .binary_text import take_undecoded, undecoded_reasons
    from .columns import contract_names
    from .excel import dates_of_1904_serials
    from .mapping import apply_mapping
    from .nested import nested_as_text
    from .repeated_header import repeated_header_rows

    date1904, undecoded = take_date1904(frame), take_undecoded(frame)
    repeats = repeated_header_rows(frame)
    if mapping is not None:  # a join reads a workbook's serial dates as its date system counts them
        frame = apply_mapping(frame, mapping, source=name, date1904=date1904)
    frame = contract_names(frame, name)
    if date1904:
        frame = dates_of_1904_serials(frame)
    if undecoded:
        frame = undecoded_reasons(frame)
    return nested_as_text(frame), repeats


def take_lines(frame: pd.DataFrame) -> Any:
    """The map a reader left of where the frame's rows lie in its file (None for a frame or records)."""
    return frame.attrs.pop(LINES, None)


def take_date1904(frame: pd.DataFrame) -> bool:
    """Whether the frame is a workbook's that counts its dates from 1904 (``excel.dates_of_1904_serials``)."""
    return bool(frame.attrs.pop(DATE1904, False))


def _pieces(source: Any, sheet: str | int | None, mapping: Any = None) -> list[tuple[pd.DataFrame, str]]:
    """(frame, source) of each file of the log, or each sheet of it (``sheet="*"``: io.all_sheets, which
    chooses the sheets holding the log by their headers, mapped by ``mapping``)."""
    if isinstance(source, str | Path):
        return _files(expand_paths(source), sheet, mapping)
    if isinstance(source, pd.DataFrame):
        refuse_sheet(sheet, "a DataFrame")
        return [(_clean_columns(source), "<dataframe>")]
    if isinstance(source, pa.Table | pa.RecordBatch):
        from .typed import arrow_frame

        refuse_sheet(sheet, "an Arrow table")
        return [(_clean_columns(arrow_frame(source)), "<arrow>")]
    if isinstance(source, Mapping):
        raise InputError("a single dict is not a log; pass a list of dicts (one per event)")
    if isinstance(source, Iterable):
        items = list(source)
        if items and all(isinstance(item, str | Path) for item in items):
            return _files([path for item in items for path in expand_paths(item)], sheet, mapping)
        refuse_sheet(sheet, f"{'DataFrames' if items and isinstance(items[0], pd.DataFrame) else 'records'}"
                      if items else "empty")
        if items and all(isinstance(item, pd.DataFrame) for item in items):
            return [(_clean_columns(item), "<dataframe>") for item in items]
        bad = next((i for i, item in enumerate(items) if not isinstance(item, Mapping)), None)
        if bad is not None:  # by position: the odd item may itself be None
            raise InputError(f"records: expected dicts (one per event), got {type(items[bad]).__name__} "
                             f"at position {bad}")
        from .typed import records_frame

        return [(_clean_columns(records_frame(items)), "<records>")]
    raise InputError(f"cannot read a log from {type(source).__name__}")


def refuse_sheet(sheet: str | int | None, what: str) -> None:
    """A sheet asked of a log that is no file (``what`` it is: "a DataFrame", "records", "empty")."""
    if sheet is not None:
        raise InputError(f"sheet {sheet!r} asked for, but only a workbook has sheets and this log is {what} "
                         "(leave the sheet out)")


def _files(paths: list[Path], sheet: str | int | None, mapping: Any = None) -> list[tuple[pd.DataFrame, str]]:
    refuse_sheet_without_workbook(paths, sheet)
    if sheet == ALL_SHEETS:  # every sheet holding the log, each as a file of its own (io.all_sheets)
        from .all_sheets import read_all_sheets

        return [piece for path in paths for piece in read_all_sheets(path, mapping)]
    return [(read_file(path, sheet), shown_name(path)) for path in paths]


def refuse_sheet_without_workbook(paths: list[Path], sheet: str | int | None) -> None:
    """A sheet asked of files none of which is a workbook is a mistake to say, not to pass over:
    the user meant another file, or a log they did not give."""
    if sheet is not None and not any(path.suffix.lower() in SPREADSHEET_SUFFIXES for path in paths):
        names = ", ".join(shown_name(path) for path in paths[:3]) + (" …" if len(paths) > 3 else "")
        raise InputError(f"{names or 'the log'}: sheet {sheet!r} asked for, but only a workbook has sheets "
                         f"({', '.join(SPREADSHEET_SUFFIXES)}) and no file given is one (leave the sheet out)",
                         zh=f"{names or '日志'}：指定了工作表{sheet!r}，但只有工作簿（{zh_list(SPREADSHEET_SUFFIXES)}）"
                         "才有工作表，所给文件中没有工作簿（请去掉 --sheet）")


def expand_paths(source: str | Path) -> list[Path]:
    """A file, a directory (its log files, by name) or a glob pattern, as a list of files."""
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"{source}: directory holds no log files ({', '.join(SUFFIXES)})",
                             zh=f"{source}：文件夹中没有日志文件（{zh_list(SUFFIXES)}）")
        return files
    if not path.exists() and _GLOB_CHARS & set(str(source)):
        files = sorted(Path(p) for p in glob.glob(str(source)) if Path(p).is_file())
        if not files:
            raise InputError(f"{source}: no files match", zh=f"{source}：没有与之匹配的文件")
        return files
    if str(source) == "-" or (path.exists() and not path.is_file()):
        raise InputError(f"{source}: not a file (standard input, a pipe or a device): save the log to a file "
                         "and give its path",
                         zh=f"{source}：不是文件（标准输入、管道或设备）：请先把日志保存为文件，再给出其路径")
    if not path.is_file():
        raise InputError(f"{source}: file not found", zh=f"{source}：找不到文件")
    return [path]


def read_file(path: Path, sheet: str | int | None = None) -> pd.DataFrame:
    """One file, by suffix. Every failure is an InputError naming the file (as ``shown_name`` names it)."""
    shown = shown_name(path)
    if shown == str(path):
        return _read_file(path, sheet)
    try:
        return _read_file(path, sheet)
    except InputError as exc:  # a copy of standard input: its temporary path means nothing to the user
        raise InputError(str(exc).replace(str(path), shown),
                         zh=exc.zh.replace(str(path), shown) if exc.zh else None) from exc


def _read_file(path: Path, sheet: str | int | None) -> pd.DataFrame:
    # imported here: csv_read.py and typed.py need this module's names
    from .csv_read import read_csv_file
    from .typed import read_json, read_jsonl, read_parquet

    suffix = path.suffix.lower()
    readers = {
        ".csv": read_csv_file, ".txt": read_csv_file, ".jsonl": read_jsonl, ".ndjson": read_jsonl,
        ".json": read_json, ".parquet": read_parquet,
    }
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            from .excel import read_workbook

            return _cleaned(read_workbook(path, sheet))
        if suffix not in readers:
            raise InputError(f"{path}: unknown file type {suffix or '(no suffix)'!r}; "
                             f"expected one of {', '.join(SUFFIXES)}",
                             zh=f"{path}：未知的文件类型{suffix or '（无后缀）'!r}；应为{zh_list(SUFFIXES)}之一")
        return _cleaned(readers[suffix](path))
    except InputError:
        raise
    except (OSError, ValueError, pa.ArrowException, UnicodeError, KeyError) as exc:
        hint, hint_zh = other_kind(path, suffix)
        raise InputError(f"{path}: cannot read: {_one_line(exc)}{hint}",
                         zh=f"{path}：无法读取：{_one_line(exc)}{hint_zh}") from exc
    except Exception as exc:  # corrupt workbooks raise from deep inside calamine, openpyxl or zipfile
        detail = f"{type(exc).__name__}: {_one_line(exc)}"
        hint, hint_zh = other_kind(path, suffix)
        raise InputError(f"{path}: cannot read: {detail}{hint}", zh=f"{path}：无法读取：{detail}{hint_zh}") from exc


def _cleaned(frame: pd.DataFrame) -> pd.DataFrame:
    """``_clean_columns``, what the reader left in the attrs moved over (taken first: pandas would copy it)."""
    kept = {name: frame.attrs.pop(name) for name in (LINES, DATE1904, OTHER_SHEETS, UNDECODED) if name in frame.attrs}
    out = _clean_columns(frame)
    out.attrs.update(kept)
    return out


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _clean_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names as stripped strings; the caller's frame is never modified."""
    names = dedupe([str(c).strip() for c in frame.columns])
    out = frame.copy(deep=False)
    out.columns = names
    return out
