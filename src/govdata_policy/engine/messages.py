"""Finding messages in Chinese and English, built on whole columns by Arrow's string kernels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..details import detail_zh
from ..memory import give_back_memory
from ..vocabulary import EVENTS
from .late_words import LATE_ON_DAY_OFF, OVERDUE_ON_DAY_OFF

TEXT = pa.large_string()
# local seconds of 1000-01-01 and 10000-01-01: outside them strftime writes years differently
_FIRST_FAST_S = int((dt.datetime(1000, 1, 1) - dt.datetime(1970, 1, 1)).total_seconds())
_END_FAST_S = int((dt.datetime(9999, 12, 31) - dt.datetime(1970, 1, 1)).total_seconds()) + 86_400
_WIDTH = {"date": 10, "minute": 16, "iso": 19}


def word(text: str) -> pa.Scalar:
    """A constant for Arrow's string kernels, of the text type every column here has."""
    return pa.scalar(text, TEXT)


def join(*parts: pa.Array | pa.Scalar | str) -> pa.Array:
    """Row-wise concatenation of text arrays and constants (null where any part is null)."""
    return pc.binary_join_element_wise(*(word(p) if isinstance(p, str) else p for p in parts), word(""))


def local_text_arrow(values: pd.Series, style: str) -> pa.Array | None:
    """Aware times as text, exactly as ``strftime`` writes them, cast by Arrow; null where missing.

    ``style``: ``date`` (%Y-%m-%d), ``minute`` (%Y-%m-%d %H:%M) or ``iso``
    (%Y-%m-%dT%H:%M:%S+08:00). Issue 5: Arrow's cast of whole seconds to text is
    ~10x faster than pandas' per-row strftime. Returns None when this does not
    apply (a zone without one fixed offset, a year outside 1000..9999); the caller
    then uses strftime.
    """
    tz = getattr(values.dtype, "tz", None)
    offset = tz.utcoffset(None) if tz is not None else None
    if offset is None or offset.seconds % 60 or offset.microseconds:
        return None
    array = values.array
    if getattr(array, "unit", "ns") != "ns":
        try:
            array = array.as_unit("ns")
        except (OverflowError, ValueError):
            return None
    missing = values.isna().to_numpy(dtype=bool)
    offset_s = int(offset.total_seconds())
    seconds = np.where(missing, 0, np.asarray(array.asi8, dtype=np.int64) // 10**9 + offset_s)
    if len(seconds) and (seconds.min() < _FIRST_FAST_S or seconds.max() >= _END_FAST_S):
        return None
    stamps = pa.array(seconds, pa.int64(), mask=missing).cast(pa.timestamp("s"))
    text = pc.utf8_slice_codeunits(pc.cast(stamps, TEXT), 0, _WIDTH[style])  # "YYYY-MM-DD HH:MM:SS"
    if style != "iso":
        return text
    minutes = offset_s // 60
    suffix = f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return join(pc.binary_replace_slice(text, 10, 11, "T"), suffix)


def local_text(values: pd.Series, style: str) -> np.ndarray | None:
    """``local_text_arrow`` as an object array, None where missing."""
    text = local_text_arrow(values, style)
    return None if text is None else np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)


def _text(values: pd.Series, fmt: str, style: str) -> pa.Array:
    text = local_text_arrow(values, style)
    if text is None:
        text = pa.array(values.dt.strftime(fmt).astype(object).where(values.notna(), None).to_numpy(), TEXT)
    return pc.fill_null(text, "")


def build_messages(
    rules: list[Any], citations_zh: list[str], rule_code: np.ndarray, kind: np.ndarray, due: pd.Series,
    occurred: pd.Series, late_days: pd.Series, detail: np.ndarray, event: pa.Array, as_of: str,
) -> tuple[pa.Array, pa.Array]:
    """Each finding's message in Chinese and English, as text arrays.

    ``rules``: the rules ``rule_code`` indexes; ``citations_zh``: each rule's clause as its
    document cites it (``ProfileFile.cite_zh``: 第二十九条第（三）项, 五（三）2); ``kind``: each
    finding's kind; ``event``: the name of each finding's event; ``as_of``: the as-of date (YYYY-MM-DD).
    """
    # Issue 5: each kind's texts are joined by Arrow for its own rows only; what is constant
    # per rule (heads) or per event (glosses) is written once and taken. The texts are the
    # same as before, character for character.
    due_text = _text(due, "%Y-%m-%d", "date")
    occurred_text = _text(occurred, "%Y-%m-%d %H:%M", "minute")
    late = pc.fill_null(pc.cast(pa.array(late_days.array), TEXT), "0")
    no_working_day = late_days.eq(0).fillna(False).to_numpy(dtype=bool)
    heads_zh = pa.array([cited + "（" + r.title_zh + "）：" for r, cited in zip(rules, citations_zh, strict=True)],
                        TEXT)
    heads_en = pa.array(["Clause " + r.clause + " (" + r.summary_en.rstrip(".") + "): " for r in rules], TEXT)
    events = pc.dictionary_encode(event)
    names = events.dictionary.to_pylist()
    glosses = pa.array([EVENTS.get(e, e) for e in names], TEXT)

    def texts(name: str, mine: np.ndarray) -> tuple[list[Any], list[Any]]:
        at = pa.array(mine)
        d, o, n = due_text.take(at), occurred_text.take(at), late.take(at)
        # 0 working days late: done (or, overdue, as_of) on a day off after the due day, not "逾期0个工作日"
        zero = pa.array(no_working_day[mine])
        if name == "late":
            return ([pc.if_else(zero, join("应于", d, "前完成，实际于", o, LATE_ON_DAY_OFF[0]),
                                join("应于", d, "前完成，实际于", o, "完成，逾期", n, "个工作日"))],
                    [pc.if_else(zero, join("due by the end of ", d, ", done ", o, LATE_ON_DAY_OFF[1]),
                                join("due by the end of ", d, ", done ", o, ", ", n, " working day(s) late"))])
        if name == "overdue":
            still = ", still not done on " + as_of
            return ([pc.if_else(zero, join("应于", d, "前完成，截至" + as_of + OVERDUE_ON_DAY_OFF[0]),
                                join("应于", d, "前完成，截至" + as_of + "仍未完成，已逾期", n, "个工作日"))],
                    [pc.if_else(zero, join("due by the end of ", d, still + OVERDUE_ON_DAY_OFF[1]),
                                join("due by the end of ", d, still + ", ", n, " working day(s) overdue"))])
        if name == "missing":
            return (["应及时办理（无具体时限），截至" + as_of + "未见记录"],
                    ["required without a set period (C4), no record by " + as_of])
        codes = events.indices.take(at)
        e, g = events.dictionary.take(codes), glosses.take(codes)
        if name == "premature":
            # with a date: the last day it may not come on (a waiting period's end, or the day before an
            # at-most lead time opens); without one, the step it needs has not come (precondition)
            dated = pc.not_equal(d, word(""))
            return ([pc.if_else(dated, join(g, "于", o, "实施，过早：", d, "（含）以前不得实施"),
                                join(g, "于", o, "实施，缺少前置环节"))],
                    [pc.if_else(dated, join(e, " at ", o, " came too early: not allowed on or before ", d),
                                join(e, " at ", o, " came without its prior step"))])
        if name == "prohibited":
            return ([o, "发生禁止或未经许可的行为：", g], ["forbidden or unapproved act at ", o, ": ", e])
        details = pd.Series(detail[mine], dtype=object).fillna("")
        why = pa.array(details.to_numpy(dtype=object), TEXT)
        # in Chinese, each distinct detail said once (few: a rule's missing fields, its limit)
        why_zh = pa.array(details.map({d: detail_zh(d) for d in pd.unique(details)}).to_numpy(dtype=object), TEXT)
        return ([o, "的", g, "不符合要求（", why_zh, "）"], [e, " at ", o, " is not valid (", why, ")"])

    n = len(kind)
    done = np.zeros(n, dtype=bool)
    rows, zh, en = [], [], []
    for name in ("late", "overdue", "missing", "premature", "prohibited", "invalid"):
        mine = np.flatnonzero(kind == name)
        if len(mine):
            text_zh, text_en = texts(name, mine)
            codes = pa.array(rule_code[mine])
            zh.append(join(heads_zh.take(codes), *text_zh))
            en.append(join(heads_en.take(codes), *text_en))
            rows.append(mine)
            done[mine] = True
            give_back_memory()
    rest = np.flatnonzero(~done)  # a kind without a message
    rows.append(rest)
    zh.append(pa.array([""] * len(rest), TEXT))
    en.append(pa.array([""] * len(rest), TEXT))
    back = pa.array(np.argsort(np.concatenate(rows), kind="stable"))
    zh_text = pa.concat_arrays(zh).take(back)
    del zh
    en_text = pa.concat_arrays(en).take(back)
    del en
    give_back_memory()  # the pieces (issue 5: the peak of a check is in assembly)
    return zh_text, en_text
