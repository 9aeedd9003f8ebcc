"""Pass 3 of ``io.times``: one RE2 pattern takes the date and time fields of every textual form
we know (slashes, 年月日, ``9时30分``, ``20240506``, ``20240506093000`` and ISO's basic
``20240506T0930``, ISO with ``T`` and an offset, fractions of a second, a 12-hour clock), and
the instant is computed with integer arithmetic, the calendar checked explicitly. The monitor's
pure-Python reader (``monitor.scalar_times``) uses the same pattern and the same 12-hour
reading, so both read a time alike.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .civil import NS_PER_DAY, NS_PER_SECOND, days_from_civil, valid_date

LOCAL_OFFSET_MINUTES = 480

# One pattern for every textual form. Named groups that did not take part come
# back as empty strings from Arrow's extract_regex.
TIME_PATTERN = (
    r"^(?P<y>\d{4})(?:"
    r"[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"|(?P<mo8>\d{2})(?P<d8>\d{2})"
    # ISO 8601's basic format and the yyyyMMddHHmmss of Java exports: the clock in digits, no colons
    r"(?:T?(?P<hc>\d{2})(?P<mic>\d{2})(?:(?P<sc>\d{2})(?:[.,](?P<fc>\d{1,9}))?)?)?)"
    r"(?:(?:[T ]|日)\s*(?P<ap1>上午|下午)?\s*(?P<h>\d{1,2})[:：时](?P<mi>\d{1,2})"
    r"(?:[:：分](?P<s>\d{1,2})(?:[.,](?P<f>\d{1,9}))?秒?|分)?"
    r"(?:\s*(?P<ap2>[AaPp][Mm]))?)?"
    r"\s*(?P<tz>Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$"
)
# a 12-hour clock (a Chinese-locale export's "下午 3:00:00", an English one's "3:00 PM"): none, or one mark
_MARKS = ("", "上午", "AM", "下午", "PM")


def _int_field(struct: pa.StructArray, name: str, default: int) -> np.ndarray:
    field = struct.field(name)
    empty = pc.equal(field, "")
    filled = pc.if_else(empty, str(default), field)
    return pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False)


def parse_fields(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Values matching TIME_PATTERN to (ns, ok); no nulls in ``values``."""
    n = len(values)
    ns = np.zeros(n, dtype=np.int64)
    # extract_regex yields null for a non-matching value; keep only the matches
    matched = pc.match_substring_regex(values, TIME_PATTERN).to_numpy(zero_copy_only=False)
    ok = matched.copy()
    if not matched.any():
        return ns, ok
    midx = np.flatnonzero(matched)
    parts = pc.extract_regex(values.take(pa.array(midx)), TIME_PATTERN)
    if isinstance(parts, pa.ChunkedArray):
        parts = parts.combine_chunks()
    y = _int_field(parts, "y", 0)
    mo = np.where(
        pc.equal(parts.field("mo"), "").to_numpy(zero_copy_only=False),
        _int_field(parts, "mo8", 0),
        _int_field(parts, "mo", 0),
    )
    d = np.where(
        pc.equal(parts.field("d"), "").to_numpy(zero_copy_only=False),
        _int_field(parts, "d8", 0),
        _int_field(parts, "d", 0),
    )
    # the clock with colons or in digits ("20240506T0930"), never both ("202405060930 10:00")
    digits = ~pc.equal(parts.field("hc"), "").to_numpy(zero_copy_only=False)
    both = ~pc.equal(parts.field("h"), "").to_numpy(zero_copy_only=False) & digits
    # one clock's fields, never the two added: "202405066000 50:00" made hour 110, past _HOURS' 0-99 (IndexError)
    h, mi, s = (np.where(digits, _int_field(parts, k + "c", 0), _int_field(parts, k, 0)) for k in ("h", "mi", "s"))
    ap1 = parts.field("ap1")
    # both marks joined ("下午PM" of "下午3:00 PM") are none of _MARKS: one too many to trust, agreeing or not
    h, h_ok = _twenty_four_hour(h, pc.utf8_upper(pc.binary_join_element_wise(ap1, parts.field("ap2"),
                                                                             pa.scalar("", ap1.type))))
    # '5' after the point is half a second: pad to nine digits before reading
    f = parts.field("f")
    frac = pc.utf8_rpad(pc.binary_join_element_wise(f, parts.field("fc"), pa.scalar("", f.type)), 9, "0")
    frac_ns = pc.cast(frac, pa.int64()).to_numpy(zero_copy_only=False)
    offset_min, offset_ok = _offset_minutes(parts.field("tz"))
    valid = valid_date(y, mo, d) & (h < 24) & h_ok & (mi < 60) & (s < 60) & offset_ok & ~both
    y, mo, d = np.where(valid, y, 1970), np.where(valid, mo, 1), np.where(valid, d, 1)
    local = days_from_civil(y, mo, d) * NS_PER_DAY + ((h * 60 + mi) * 60 + s) * NS_PER_SECOND + frac_ns
    ns[midx] = local - offset_min * 60 * NS_PER_SECOND
    ok[midx] = valid
    return ns, ok


def twenty_four_hour(hour: int, meridiem: str) -> int | None:
    """An hour of a 12-hour clock on the 24-hour one; None for a contradiction. 上午/AM 12 is 0
    and 13 or more contradicts it; 下午/PM 1-11 is 13-23, 12 is noon, 13-23 (下午15:00, written
    twice over) stays as it is and 0 contradicts it. No mark: the hour as it is. The monitor's
    reader calls it for one time; the batch looks a column's hours up in ``_HOURS``, made by it."""
    mark = meridiem.upper()
    if mark in ("上午", "AM"):
        return None if hour > 12 else hour % 12
    if mark in ("下午", "PM"):
        return None if hour == 0 else (hour + 12 if hour < 12 else hour)
    return hour


# each mark's hours (the pattern's one or two digits: 0-99) as twenty_four_hour reads them, -1 for none
_HOURS = np.array([[-1 if (read := twenty_four_hour(hour, mark)) is None else read for hour in range(100)]
                   for mark in _MARKS])


def _twenty_four_hour(hour: np.ndarray, meridiem: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A column's hours by ``twenty_four_hour``, and whether each could be read (its mark one of
    ``_MARKS``, the hour no contradiction of it)."""
    mark = pc.fill_null(pc.index_in(meridiem, value_set=pa.array(_MARKS)), -1).to_numpy(zero_copy_only=False)
    read = _HOURS[np.maximum(mark, 0), hour]
    readable = (mark >= 0) & (read >= 0)
    return np.where(readable, read, hour), readable


def _offset_minutes(tz: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """'' (local), 'Z', '+08:00', '+0800', '+08' to minutes east of UTC, and whether each is an
    offset at all: no more than 14 hours (the widest in use, Kiribati's), minutes below 60."""
    text = pc.replace_substring(pc.utf8_upper(tz), ":", "")
    local = pc.equal(text, "").to_numpy(zero_copy_only=False)
    text = pc.if_else(pc.equal(text, "Z"), "+0000", text)
    text = pc.utf8_rpad(pc.if_else(pc.equal(text, ""), "+0800", text), 5, "0")  # '+08' -> '+0800'
    sign = np.where(pc.starts_with(text, "-").to_numpy(zero_copy_only=False), -1, 1)
    hours = pc.cast(pc.utf8_slice_codeunits(text, 1, 3), pa.int64()).to_numpy(zero_copy_only=False)
    minutes = pc.cast(pc.utf8_slice_codeunits(text, 3, 5), pa.int64()).to_numpy(zero_copy_only=False)
    out = sign * (hours * 60 + minutes)
    out[local] = LOCAL_OFFSET_MINUTES
    return out, (minutes < 60) & (np.abs(out) <= 14 * 60)
