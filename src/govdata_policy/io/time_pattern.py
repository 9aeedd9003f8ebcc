"""Pass 3 of ``io.times``: one RE2 pattern takes the date and time fields of every textual form
we know (slashes, 年月日, ``9时30分``, ``20240506``, ISO with ``T`` and an offset, fractions of a
second, a 12-hour clock), and the instant is computed with integer arithmetic, the calendar
checked explicitly. The monitor's pure-Python reader (``monitor.scalar_times``) uses the same
pattern and the same 12-hour reading, so both read a time alike.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .civil import NS_PER_DAY, NS_PER_SECOND, days_from_civil, valid_date

LOCAL_OFFSET_MINUTES = 480

# One pattern for every textual form. Named groups that did not take part come
# back as empty strings from Arrow's extract_regex.
_PATTERN = (
    r"^(?P<y>\d{4})(?:"
    r"[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"|(?P<mo8>\d{2})(?P<d8>\d{2}))"
    r"(?:(?:[T ]|日)\s*(?P<ap1>上午|下午)?\s*(?P<h>\d{1,2})[:：时](?P<mi>\d{1,2})"
    r"(?:[:：分](?P<s>\d{1,2})(?:[.,](?P<f>\d{1,9}))?秒?|分)?"
    r"(?:\s*(?P<ap2>[AaPp][Mm]))?)?"
    r"\s*(?P<tz>Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$"
)
# a 12-hour clock (a Chinese-locale export's "下午 3:00:00", an English one's "3:00 PM")
_MORNING, _AFTERNOON = pa.array(["上午", "AM"]), pa.array(["下午", "PM"])


def _int_field(struct: pa.StructArray, name: str, default: int) -> np.ndarray:
    field = struct.field(name)
    empty = pc.equal(field, "")
    filled = pc.if_else(empty, str(default), field)
    return pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False)


def parse_fields(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Values matching _PATTERN to (ns, ok); no nulls in ``values``."""
    n = len(values)
    ns = np.zeros(n, dtype=np.int64)
    # extract_regex yields null for a non-matching value; keep only the matches
    matched = pc.match_substring_regex(values, _PATTERN).to_numpy(zero_copy_only=False)
    ok = matched.copy()
    if not matched.any():
        return ns, ok
    midx = np.flatnonzero(matched)
    parts = pc.extract_regex(values.take(pa.array(midx)), _PATTERN)
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
    h, mi, s = (_int_field(parts, k, 0) for k in ("h", "mi", "s"))
    ap1, ap2 = parts.field("ap1"), parts.field("ap2")
    meridiem = pc.utf8_upper(pc.binary_join_element_wise(ap1, ap2, pa.scalar("", ap1.type)))
    h, h_ok = _twenty_four_hour(h, meridiem)
    # two marks ("下午3:00 PM", "上午3:00 PM"): one too many to trust, whether or not they agree
    h_ok &= pc.equal(ap1, "").to_numpy(zero_copy_only=False) | pc.equal(ap2, "").to_numpy(zero_copy_only=False)
    # '5' after the point is half a second: pad to nine digits before reading
    frac = pc.utf8_rpad(parts.field("f"), 9, "0")
    frac_ns = pc.cast(frac, pa.int64()).to_numpy(zero_copy_only=False)
    offset_min, offset_ok = _offset_minutes(parts.field("tz"))
    valid = valid_date(y, mo, d) & (h < 24) & h_ok & (mi < 60) & (s < 60) & offset_ok
    y, mo, d = np.where(valid, y, 1970), np.where(valid, mo, 1), np.where(valid, d, 1)
    local = days_from_civil(y, mo, d) * NS_PER_DAY + ((h * 60 + mi) * 60 + s) * NS_PER_SECOND + frac_ns
    ns[midx] = local - offset_min * 60 * NS_PER_SECOND
    ok[midx] = valid
    return ns, ok


def _twenty_four_hour(hour: np.ndarray, meridiem: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Hours of a 12-hour clock on the 24-hour one, and whether each could be read: 上午/AM 12 is
    0 and 13 or more is a contradiction; 下午/PM 1-11 is 13-23, 12 is noon, and 13-23 (下午15:00,
    written twice over) stays as it is, where 0 is a contradiction. No mark: the hour as it is."""
    morning = pc.is_in(meridiem, value_set=_MORNING).to_numpy(zero_copy_only=False)
    afternoon = pc.is_in(meridiem, value_set=_AFTERNOON).to_numpy(zero_copy_only=False)
    readable = np.where(morning, hour <= 12, np.where(afternoon, hour >= 1, True))
    return np.where(morning & (hour == 12), 0, np.where(afternoon & (hour < 12), hour + 12, hour)), readable


def twenty_four_hour(hour: int, meridiem: str) -> int | None:
    """One hour as ``_twenty_four_hour`` reads a column of them (the monitor's reader); None for
    a contradiction."""
    mark = meridiem.upper()
    if mark in ("上午", "AM"):
        return None if hour > 12 else hour % 12
    if mark in ("下午", "PM"):
        return None if hour == 0 else (hour + 12 if hour < 12 else hour)
    return hour


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
