"""A date and a time of day exported in two columns, joined into one time column by a mapping's ``join``.

Platforms export the moment of an event as 办理日期 ``2024-03-05`` beside 办理时间 ``14:30:00`` (or 日期 and
时刻). Neither is a time on its own (the time of day alone is refused, the date alone is local midnight and
every reply of the day came before its request), and ``columns`` renames one header to one column, so the
officer had to join the two in the export by hand. ``join: {time: [办理日期, 办理时间]}`` names the date's
column and then the time's (docs/input.md).

A row is joined as io.times reads each part: the date as any time is read (text, a workbook's date cell, a
serial, a Parquet date) at local midnight, the time of day as text (``14:30``, ``下午2:30``, ``14时30分``,
``143000``), a workbook's time cell (``datetime.time``, a duration under a day, a fraction of a day) or a
Parquet time. The joined value is a naive date-time, local (as a workbook's date-time cell is read). A
blank time of day leaves the date alone, read as a date alone in one column is (local midnight, the
``date_only`` note counting it); a time of day without its date, a part that cannot be read or a date
holding another time of day refuse the row, the reason naming the column and the value, and the time is
left blank (its "time: missing" is not said again: ``said_in_full``). Parts are looked at one DISTINCT
value at a time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..timeutil import OFFSET_NS
from ..vocabulary import TIME_ATTRIBUTES
from .cell_errors import excel_error, is_excel_error
from .civil import NA_NS, NS_PER_DAY, NS_PER_SECOND
from .read import READ_ERROR, InputError
from .text import _scalar_text, formula_text, string_chunks
from .times import PLAIN_NUMBER, parse_times

# the columns a join makes: the contract's timestamps
JOIN_TARGETS = ("time", *sorted(TIME_ATTRIBUTES))
# a joined column's name until the mapping renames it (apply_mapping): no export header is
JOINED = "\x00joined:"
_ORDER = "the join names the date's column first, then the time's"
_ORDER_ZH = "join 先写日期所在的列，再写时刻所在的列"
_DAY = NS_PER_DAY
# any date: a time of day written after it is read by io.times, in every form io.times knows
_SOME_DAY = "2000-01-03 "
_SOME_DAY_NS = int(parse_times(pd.Series([_SOME_DAY.strip()]))[0][0])
# Excel's day 0 (1899-12-30; 1899-12-31 as some writers count it): a time cell given as a date-time
_DAY_ZERO = (dt.date(1899, 12, 30), dt.date(1899, 12, 31))
_HHMMSS = re.compile(r"^([01]\d|2[0-3])([0-5]\d)([0-5]\d)$")  # 143000, as 20240305143000 writes the clock
_SHOWN_CHARS = 60
# what a time of day's cell is found to be (_clock)
_BLANK, _READ, _UNREAD, _DATED, _ERROR = range(5)


def join_problem(target: str, headers: Any) -> str | None:
    """Why a mapping's ``join`` entry cannot be taken (checked when the mapping loads), None when it can."""
    from .columns import close_column

    example = f"e.g. join: {{{target}: [办理日期, 办理时间]}}"
    if target not in JOIN_TARGETS:
        meant = close_column(target)
        hint = f" (did you mean {meant!r}?)" if meant in JOIN_TARGETS else ""
        return (f"{target!r} is not a time column{hint}: a join makes one time of a date and a time of day "
                f"({', '.join(JOIN_TARGETS)})")
    if not isinstance(headers, list | tuple) or len(headers) != 2 or any(
            h is None or isinstance(h, list | tuple | dict) or not str(h).strip() for h in headers):
        return f"expected the date's column and the time's, in that order, {example}"
    if str(headers[0]).strip() == str(headers[1]).strip():
        return f"the date and the time of day are one column, {str(headers[0]).strip()!r}: name two, {example}"
    return None


def join_columns(frame: pd.DataFrame, join: dict[str, tuple[str, str]], others: set[str], source: str | None,
                 date1904: bool = False) -> pd.DataFrame:
    """The frame with each join's two columns made one, named ``JOINED + target`` where the date's column
    stood, and the reasons of the rows it refuses in ``READ_ERROR``. ``others``: the targets the file gives
    another way (a header ``columns`` maps to it, or its own column): a file without the join's columns is
    then read as the mapping reads every file without a header it names. A file with one of the two
    columns, or with neither and no other time, is refused naming them (``source``: the file)."""
    out = frame
    for target, (date_header, time_header) in join.items():
        have = [header in frame.columns for header in (date_header, time_header)]
        if not all(have):
            if any(have) or target == "time" and target not in others:
                raise _absent(source, target, date_header, time_header, have, frame)
            continue
        joined, reasons = joined_time(frame[date_header], frame[time_header], target, date_header, time_header,
                                      date1904)
        if out is frame:
            out = frame.copy(deep=False)
        out = out.drop(columns=[time_header]).rename(columns={date_header: JOINED + target})
        out[JOINED + target] = joined
        if reasons is not None:
            out[READ_ERROR] = _with_reasons(out[READ_ERROR] if READ_ERROR in out.columns else None, reasons,
                                            frame.index)
    return out


def _absent(source: str | None, target: str, date_header: str, time_header: str, have: list[bool],
            frame: pd.DataFrame) -> InputError:
    where, where_zh = (f"{source}: ", f"{source}：") if source else ("", "")
    lacking = [h for h, there in zip((date_header, time_header), have, strict=True) if not there]
    found = ", ".join(str(c) for c in frame.columns if c != READ_ERROR) or "(none)"
    return InputError(
        f"{where}the mapping joins {date_header} and {time_header} into {target}, but the file has "
        f"{'no ' + lacking[0] if len(lacking) == 1 else f'neither {date_header} nor {time_header}'} column; "
        f"columns found: {found}",
        zh=f"{where_zh}映射文件把{date_header}和{time_header}合并为{target}，但文件中没有{'和'.join(lacking)}列；"
           f"文件中的列：{found.replace(', ', '、')}")


def _with_reasons(before: pd.Series | None, reasons: np.ndarray, index: pd.Index) -> pd.Series:
    if before is not None:
        old = before.to_numpy(dtype=object)
        reasons = np.array([r if pd.isna(b) else b if r is None else f"{b}; {r}" for b, r in zip(old, reasons,
                                                                                                 strict=True)],
                           dtype=object)
    return pd.Series(reasons, index=index, dtype=object)


def joined_time(date: pd.Series, clock: pd.Series, target: str, date_header: str, time_header: str,
                date1904: bool = False) -> tuple[pd.Series, np.ndarray | None]:
    """Each row's date and time of day as one local time (naive: NaT where refused or both blank), and the
    reason of each refused row (None elsewhere; None for all when none is)."""
    if date1904:  # a bare serial in the date's column counts from 1904 there, as a time column's would
        from .excel import dates_of_1904_serials

        date = dates_of_1904_serials(pd.DataFrame({"time": date.astype(object)}))["time"]
    date_ns, date_bad = parse_times(date)
    codes, clocks = _distinct(clock)
    read = _clocks(clocks)
    kinds = np.array([kind for kind, _ in read] + [_BLANK], dtype=np.int8)[codes]  # code -1: the last, blank
    tod = np.array([ns for _, ns in read] + [NA_NS], dtype=np.int64)[codes]

    has_date = date_ns != NA_NS
    local = np.where(has_date, date_ns + OFFSET_NS, 0)
    of_day = local % _DAY
    clocked = kinds == _READ
    # a date holding the very time of day given beside it (办理日期 written as the whole time) is that time
    agrees = has_date & clocked & ((of_day == 0) | (of_day == tod))
    alone = has_date & (kinds == _BLANK)
    at = np.where(agrees, local - of_day + tod, np.where(alone, local, NA_NS))
    done = at != NA_NS
    moments = _local_times(at, done)
    refused = ~done & (date_bad | (kinds >= _UNREAD) | (has_date & clocked) | (~has_date & clocked))
    if not refused.any():
        return pd.Series(moments, index=date.index), None
    reasons = np.full(len(at), None, dtype=object)
    said: dict[tuple[Any, ...], str] = {}  # one sentence per distinct value, shared by its rows
    dates = date.to_numpy(dtype=object)
    for row in np.flatnonzero(refused).tolist():
        code = int(codes[row])
        clock_value = clocks[code] if code >= 0 else None
        parts = []
        if date_bad[row]:
            key = ("date", _hashable(dates[row]))
            if key not in said:
                said[key] = _date_reason(target, date_header, dates[row])
            parts.append(said[key])
        elif has_date[row] and clocked[row]:  # another time of day in the date's cell
            parts.append(f"{target}: {_show(dates[row])} in {date_header} has a time of day other than "
                         f"{_show(clock_value)} in {time_header}")
        if kinds[row] >= _UNREAD:
            key = ("clock", code)
            if key not in said:
                said[key] = _clock_reason(target, time_header, clock_value, int(kinds[row]))
            parts.append(said[key])
        elif not has_date[row] and not date_bad[row]:
            parts.append(f"{target}: no date in {date_header} for the time of day {_show(clock_value)} "
                         f"in {time_header}")
        if len(parts) == 2 and all(part.endswith(f" ({_ORDER})") for part in parts):  # the order said once
            parts[1] = parts[1].removesuffix(f" ({_ORDER})")
        reasons[row] = "; ".join(parts)
    return pd.Series(moments, index=date.index), reasons


def _distinct(clock: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Each row's place among the column's distinct cells (-1: blank), and those cells."""
    chunks = string_chunks(clock)
    if chunks is None:
        codes, uniques = pd.factorize(clock.astype(object), use_na_sentinel=True)
        return codes, list(uniques)
    # text (every CSV's): Arrow's hashing, not a Python object a row
    encoded = pc.dictionary_encode(chunks.combine_chunks() if chunks.num_chunks != 1 else chunks.chunk(0))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


def _local_times(at: np.ndarray, done: np.ndarray) -> np.ndarray:
    """Local times in ns since the epoch as naive datetime64 (read as local time, as a workbook's date-time
    cells are: no text made and read again), NaT where not ``done``."""
    return np.where(done, at, np.iinfo(np.int64).min).view("datetime64[ns]")


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _show(value: Any) -> str:
    text = _scalar_text(value).strip() if value is not None else ""
    return repr(text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…")


def _date_reason(target: str, header: str, value: Any) -> str:
    text = _scalar_text(value).strip()
    if is_excel_error(text):
        return _error_in(target, header, text)
    if _clocks([value])[0][0] == _READ:  # 14:30:00 where the date goes: the columns named the other way round
        return f"{target}: {_show(value)} in {header} is a time of day, not a date ({_ORDER})"
    return f"{target}: cannot read {_show(value)} in {header} as a date"


def _clock_reason(target: str, header: str, value: Any, kind: int) -> str:
    if kind == _ERROR:
        return _error_in(target, header, _scalar_text(value).strip())
    if kind == _DATED:
        return f"{target}: {_show(value)} in {header} holds a date, not a time of day alone ({_ORDER})"
    return f"{target}: cannot read {_show(value)} in {header} as a time of day"


def _error_in(target: str, header: str, text: str) -> str:
    """``cell_errors.excel_error``'s reason, naming the column of the join it is in."""
    reason = excel_error(target, text)
    if reason.startswith(f"{target}: a formula"):
        head, _, tail = reason.partition(": the workbook")
        return f"{head} in {header}: the workbook{tail}"
    return reason.replace(f"{text!r} is", f"{text!r} in {header} is", 1)


def _clocks(values: Any) -> list[tuple[int, int]]:
    """What each (distinct) cell of the time of day's column is, and its nanoseconds since midnight when it
    reads as one. Text is read by io.times in one call for all (after a date: ``_SOME_DAY``)."""
    out: list[tuple[int, int]] = [(_UNREAD, NA_NS)] * len(values)
    # text as io.times reads it after a date, all at once (``14:30:00`` at its fixed-width speed); the cells it
    # leaves and every other cell (a workbook's time, a fraction of a day, 143000, ="14:30") one by one
    texts = [place for place, value in enumerate(values) if value.__class__ is str and value.strip()]
    if texts:
        ns, bad = parse_times(pa.array([_SOME_DAY + values[place] for place in texts], pa.large_string()))
        of_day = ns - _SOME_DAY_NS
        read = (~bad) & (ns != NA_NS) & (of_day >= 0) & (of_day < _DAY)
        for place, ok, clock in zip(texts, read.tolist(), of_day.tolist(), strict=True):
            if ok:
                out[place] = (_READ, clock)
    later: list[tuple[int, str]] = []
    for place, value in enumerate(values):
        if out[place][0] == _READ:
            continue
        found = _typed_clock(value)
        if isinstance(found, str):
            later.append((place, found))
        else:
            out[place] = found
    if later:
        texts = [text for _, text in later]
        ns, bad = parse_times(pa.array([_SOME_DAY + text for text in texts] + texts, pa.large_string()))
        read = ~bad & (ns != NA_NS)
        for i, (place, _) in enumerate(later):
            of_day = int(ns[i]) - _SOME_DAY_NS
            if read[i] and 0 <= of_day < _DAY:
                out[place] = (_READ, of_day)
            elif read[len(texts) + i]:  # a date (and time) of its own
                out[place] = (_DATED, NA_NS)
    return out


def _typed_clock(value: Any) -> tuple[int, int] | str:
    """``_clocks`` of one cell, or the text io.times is to read."""
    if value.__class__ is str:
        return _text_clock(value)
    if value is None or value is pd.NaT or isinstance(value, float) and np.isnan(value):
        return _BLANK, NA_NS
    if isinstance(value, bool | np.bool_):
        return _UNREAD, NA_NS
    if isinstance(value, dt.datetime):  # before date: a datetime is one
        if value.date() not in _DAY_ZERO:
            return _DATED, NA_NS
        value = value.time()
    if isinstance(value, dt.date):
        return _DATED, NA_NS
    if isinstance(value, dt.time):
        return _READ, ((value.hour * 60 + value.minute) * 60 + value.second) * NS_PER_SECOND + value.microsecond * 1000
    if isinstance(value, dt.timedelta | np.timedelta64):
        ns = pd.Timedelta(value).value
        return (_READ, ns) if 0 <= ns < _DAY else (_UNREAD, NA_NS)
    if isinstance(value, int | float | np.integer | np.floating):
        return _fraction(float(value))
    return _text_clock(str(value))


def _text_clock(text: str) -> tuple[int, int] | str:
    text = text.strip()
    if not text.isascii():  # ０９：００ typed in full width
        text = unicodedata.normalize("NFKC", text).strip()
    if text[:1] == "=":
        text = formula_text(text)
    if not text:
        return _BLANK, NA_NS
    if text[:1] in "#E" and is_excel_error(text):
        return _ERROR, NA_NS
    compact = _HHMMSS.match(text)
    if compact:
        hour, minute, second = (int(part) for part in compact.groups())
        return _READ, ((hour * 60 + minute) * 60 + second) * NS_PER_SECOND
    if re.match(PLAIN_NUMBER, text):
        return _fraction(float(text))
    return text


def _fraction(number: float) -> tuple[int, int] | str:
    """A number in a time of day's column: Excel's fraction of a day, to the second as Excel shows it; a
    number of a day or more is a serial date (with its time) or no time at all, as io.times reads it."""
    if 0 <= number < 1:
        seconds = round(number * 86_400)
        return (_READ, seconds * NS_PER_SECOND) if seconds < 86_400 else (_UNREAD, NA_NS)
    return repr(number) if np.isfinite(number) else (_UNREAD, NA_NS)


def said_in_full(read_errors: pd.Series, problems: list[Any]) -> list[Any]:
    """The problems of validation less ``{target}: missing`` on the rows whose join was refused (its time left
    blank): the join's reason already says what is wrong with the time."""
    texts = read_errors.to_numpy(dtype=object)
    out = []
    for idx, reasons, codes in problems:
        name = reasons[0].removesuffix(": missing") if len(reasons) == 1 else None
        if name in JOIN_TARGETS and reasons[0] == f"{name}: missing":
            joined = np.fromiter((_names(texts[i], name) for i in idx), dtype=bool, count=len(idx))
            if joined.any():
                idx, codes = idx[~joined], codes[~joined]
                if not idx.size:
                    continue
        out.append((idx, reasons, codes))
    return out


def _names(text: Any, name: str) -> bool:
    """Whether a row's reader reasons (``READ_ERROR``: "; "-joined) say one of the column ``name``."""
    return isinstance(text, str) and (text.startswith(f"{name}: ") or f"; {name}: " in text)


# how many distinct cells of a column ``column_kind`` looks at: enough to tell, little to read
_KIND_SAMPLE = 500


def column_kind(values: pd.Series) -> str | None:
    """``"date"`` when every (sampled distinct) filled cell of an export's column is a date alone,
    ``"clock"`` when every one is a time of day alone, else None (numbers alone too): what ``mapping init``
    drafts a join from."""
    _, cells = _distinct(values)
    cells = [cell for cell in cells if not (cell.__class__ is str and not cell.strip())][:_KIND_SAMPLE]
    # numbers alone (0.5, 45356) may as well be amounts or ids: no draft is made of them
    if not cells or all(isinstance(cell, int | float | np.number) or cell.__class__ is str
                        and re.match(PLAIN_NUMBER, cell.strip()) for cell in cells):
        return None
    read = _clocks(cells)
    if all(kind == _READ for kind, _ in read):
        return "clock"
    ns, bad = parse_times(pd.Series(cells, dtype=object))
    dated = all(kind == _DATED for kind, _ in read) and not bad.any() and bool((ns != NA_NS).all())
    return "date" if dated and bool(((ns + OFFSET_NS) % _DAY == 0).all()) else None
