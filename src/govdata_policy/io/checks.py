"""The checks of one column, each a vectorised mask; a reason per DISTINCT offending value.

Columns with few distinct values (event names, yes/no flags, enumerations) are
checked once per distinct value (``coded.encode``) and the verdicts spread to
the rows by their codes, so a million rows of ``是``/``否`` cost one hash pass.
Each check appends a ``Problem`` and returns what ``validate`` turns into the
output column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..vocabulary import (
    BOOL_ATTRIBUTES,
    CATEGORY_BY_PREFIX,
    ENUM_ATTRIBUTES,
    EVENTS,
    IDENTIFIER_ATTRIBUTES,
    INT_ATTRIBUTES,
    OUTCOME_BY_EVENT,
    TIME_ATTRIBUTES,
    did_you_mean,
)
from .apostrophe import unquote_coded
from .cell_errors import excel_error, flag_error_words, is_excel_error
from .coded import Coded, encode
from .draft import BOOL_WORDS_FALSE, BOOL_WORDS_TRUE, guess_event
from .text import fold_width, text_array
from .times import NA_NS, parse_times

# Past this many distinct unknown event words (a wrong column mapped to event),
# stop looking for suggestions: difflib is slow and the advice would be noise.
MAX_SUGGESTIONS = 500
_SHOWN_CHARS = 60
# a count (extra_working_days): 0 or more ("-3" days is no extension); "10.0" is 10, as pandas writes an
# integer column with a gap to CSV (the DataFrame's float 10.0 was read as 10, its CSV refused)
_INTEGER = r"^\+?\d{1,18}(\.0+)?$"
_BOOL_HELP = "true/false, 1/0, yes/no, 是/否, Y/N"
_CATEGORIES = sorted({v for values in CATEGORY_BY_PREFIX.values() for v in values})

# (row indices, distinct reasons, code of each row's reason)
Problem = tuple[np.ndarray, list[str], np.ndarray]
# what an attribute check hands back: ("text", Coded, the text of each of its words),
# ("boolean", truth, missing), ("Int64", values, missing)
Column = tuple[str, Any, Any]


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…")


_TIME_OF_DAY = re.compile(r"^\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*$")
_DURATION = re.compile(r"^\s*-?\d+ days?, \d{1,2}:\d{2}:\d{2}(\.\d+)?\s*$")
_NUMBER = re.compile(r"^\s*\d+(\.\d*)?\s*$")
# Unix epoch counts of 2001-09-09 .. 2033-05-18 in each unit a platform's export writes: a number a
# platform's frame holds in its time column (an int64 column of epoch seconds) is no Excel serial, and
# "cannot read '1740963600'" left the engineer guessing why; other numbers keep the plain reason
_EPOCH_UNITS = (("seconds", "s", 1e9), ("milliseconds", "ms", 1e12), ("microseconds", "us", 1e15),
                ("nanoseconds", "ns", 1e18))


def _epoch_unit(text: str) -> tuple[str, str] | None:
    """The unit a number would be a Unix epoch count of (2001-2033), None if it is none."""
    if not _NUMBER.match(text):
        return None
    number = float(text)
    return next(((word, code) for word, code, low in _EPOCH_UNITS if low <= number < 2 * low), None)


def unreadable_time(name: str, value: Any, shown: str | None = None) -> str:
    """Why a time cell cannot be read; a time of day alone, or a spreadsheet's duration as Python
    writes it, said as what it is (``'09:00:00'`` or ``'45964 days, 9:00:00'`` alone left the user
    guessing). ``shown``: the value as text, where the caller has it."""
    text = str(value if shown is None else shown)
    if is_excel_error(text.strip()):  # #N/A is no unreadable time: the spreadsheet's formula failed
        return excel_error(name, text.strip())
    if isinstance(value, dt.time) or _TIME_OF_DAY.match(text):
        return f"{name}: {_show(text)} is a time of day without a date"
    if isinstance(value, dt.timedelta | np.timedelta64) or _DURATION.match(text):
        return f"{name}: {_show(text)} is a duration, not a date and time (a cell formatted as a duration?)"
    epoch = None if isinstance(value, bool) else _epoch_unit(text)
    if epoch is not None:
        word, unit = epoch
        return (f"{name}: cannot read {_show(text)} as a time: a number is read as an Excel serial date (1970-2100), "
                f"not as Unix epoch {word} (convert them first: pd.to_datetime(values, unit='{unit}', utc=True))")
    return f"{name}: cannot read {_show(text)} as a time"


# 2**53: beyond it a float64 does not hold every whole number, so an id stored as one has lost digits
FLOAT_EXACT_LIMIT = 2.0**53


def inexact_id(value: Any, name: str = "case_id") -> str:
    """The reason for an id that is a float too large to keep its digits: two cases may be one, an
    identifier's check digit fails for digits the log never had (IDENTIFIER_ATTRIBUTES)."""
    if name != "case_id":
        return (f"{name}: {value} is a number too large for a float to keep every digit (2**53 and more): "
                "it may have been rounded, and its check digit cannot be verified (export ids as text)")
    return (f"case_id: {value} is a number too large for a float to keep every digit (2**53 and more): "
            "it may have been rounded, and two cases may share it (export ids as text)")


def infinite_id(value: Any) -> str:
    """The reason for a case id that is an infinite number: a JSON 1e400 or Infinity, a frame's inf.
    Its text ("inf") named a case of its own, every such row one case."""
    return f"case_id: {value} is an infinite number, not an id (a number too large to read, such as 1e400)"


def float_ids(values: Any) -> np.ndarray | None:
    """The case ids that are floats, as float64 (NaN elsewhere); None when none can be: a float column,
    or a column of mixed values (records, JSON) holding some. Text columns (every CSV's) are not looked at."""
    if pd.api.types.is_float_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) in ("string", "integer", "empty"):
        return None
    return np.fromiter((v if isinstance(v, float) else np.nan for v in values.to_numpy()), dtype=np.float64,
                       count=len(values))


def flag_inexact(problems: list[Problem], values: Any, shown: Any, name: str = "case_id") -> np.ndarray | None:
    """Flag the ids that are floats of 2**53 or more, their last digits rounded away (``inexact_id``,
    ``shown`` as their text); the floats' magnitudes (NaN where none), None when the column can hold none."""
    numbers = float_ids(values)
    if numbers is None:
        return None
    numbers = np.abs(numbers)
    flag_values(problems, np.isfinite(numbers) & (numbers >= FLOAT_EXACT_LIMIT), shown, lambda v: inexact_id(v, name))
    return numbers


def flag(problems: list[Problem], mask: Any, reason: str) -> None:
    """One reason for every row where ``mask`` is True."""
    mask = mask.to_numpy(zero_copy_only=False) if isinstance(mask, pa.Array) else mask
    idx = np.flatnonzero(mask)
    if idx.size:
        problems.append((idx, [reason], np.zeros(idx.size, dtype=np.int64)))


def flag_values(problems: list[Problem], mask: np.ndarray, values: Any, describe: Callable[[str], str]) -> None:
    """One reason per distinct offending value (as text), shared by its rows."""
    idx = np.flatnonzero(mask)
    if not idx.size:
        return
    if isinstance(values, pd.Series):
        words = text_array(values.iloc[idx])
    else:
        words = values.take(pa.array(idx))
    distinct = pc.unique(words)
    reasons = [describe(w) for w in distinct.to_pylist()]
    codes = pc.index_in(words, value_set=distinct).to_numpy(zero_copy_only=False)
    problems.append((idx, reasons, codes))


def flag_words(
    problems: list[Problem],
    coded: Coded,
    shown: Any,
    wrong: Iterable[bool],
    describe: Callable[[Any], str],
    where: np.ndarray | None = None,
) -> None:
    """Rows whose word is ``wrong`` (and where ``where``), one reason per distinct ``shown`` text.

    Reasons are written in the order the offending values first appear, as
    ``flag_values`` writes them (the event check's suggestion budget depends on it).
    """
    wrong = np.fromiter(wrong, dtype=bool, count=len(shown))
    if not wrong.any():
        return
    hit = wrong[coded.codes]
    if where is not None:
        hit &= where
    idx = np.flatnonzero(hit)
    if not idx.size:
        return
    codes = coded.codes[idx]
    reasons: list[str] = []
    number: dict[Any, int] = {}
    reason_of = np.full(len(shown), -1, dtype=np.int64)
    for code in pd.unique(codes):
        word = shown[code]
        if word not in number:
            number[word] = len(reasons)
            reasons.append(describe(word))
        reason_of[code] = number[word]
    problems.append((idx, reasons, reason_of[codes]))


def canonical_words(words: Any, allowed: Any) -> list[str | None]:
    """'Share.Requested', 'PASS' -> their lower-case vocabulary form; others unchanged."""
    if not len(words):
        return []
    return _canonical(pa.array(words, pa.large_string()), allowed).to_pylist()


def _canonical(text: pa.Array, allowed: Any) -> pa.Array:
    lower = pc.utf8_lower(text)
    return pc.if_else(pc.fill_null(pc.is_in(lower, value_set=_words(allowed)), False), lower, text)


def _words(values: Any) -> pa.Array:
    # one string type throughout: Arrow kernels do not mix string and large_string
    return pa.array(sorted(values), pa.large_string())


# --- event ------------------------------------------------------------------------


def check_event(problems: list[Problem], values: Any, mapping: str | None = None) -> tuple[Coded, list[str | None]]:
    """The event column: (its codes, the canonical name of each word); ``mapping``: the mapping in use
    (``RawTable.mapping``), where an export's own word is told to go."""
    coded, errors = flag_error_words(problems, "event", encode(values, EVENTS))
    names = canonical_words(coded.words, EVENTS)
    missing = [n is None for n in names]
    if any(errors):  # an error value has its reason: not "event: missing" too
        missing = [m and not e for m, e in zip(missing, errors, strict=True)]
    if any(missing):  # a mask over every row only when there is something to flag
        flag(problems, coded.per_row(missing, bool), "event: missing")
    budget = [MAX_SUGGESTIONS]

    def describe(word: str) -> str:
        budget[0] -= 1
        return f"event: unknown event {_show(word)}" + (_suggest(word, mapping) if budget[0] >= 0 else "")

    flag_words(problems, coded, names, (n is not None and n not in EVENTS for n in names), describe)
    return coded, names


def _suggest(word: str, mapping: str | None = None, push: bool = False) -> str:
    """The hint after an unknown event word; ``push``: for the monitor, which applies no mapping, so the way on
    is to translate the word before pushing it, not to map it (the vocabulary guessed, where there is one)."""
    guesses = guess_event(word)
    if len(guesses) == 1:
        if push:
            return f" (it looks like {guesses[0]!r}: {PUSH_AS_WORD})"
        return f" (it looks like {guesses[0]!r}: map it under values: event: in the mapping file)"
    if guesses:
        if push:
            return f" (it could be {' or '.join(map(repr, guesses))}: {PUSH_AS_ONE})"
        return f" (it could be {' or '.join(map(repr, guesses))}: map it in the mapping file)"
    close = did_you_mean(word.lower(), EVENTS, cutoff=0.75)
    if close or word.isascii():
        return close
    if push:
        return f" ({PUSH_WORD})"
    # a word of the export's own (审核通过, 催办), neither a name nor a gloss of the vocabulary: the way on is a
    # mapping, which an officer may not know of; one who gave a mapping has one: the word goes in it (telling
    # them to draft one with mapping init sent them to make anew what they had)
    if mapping is None:
        return f" ({EXPORT_WORD})"
    where = f"the mapping file {mapping}" if mapping else "the mapping given"  # "": a dict given in Python
    return f" (an export's own word: add it under values: event: in {where})"


EXPORT_WORD = "an export's own word: map it under values: event: in a mapping file (govdata-policy mapping init)"
# the monitor's: a push is not read through a mapping, so a platform translates its words before pushing
PUSH_AS_WORD = "translate it to that word before pushing, as the monitor maps no words"
PUSH_AS_ONE = "translate it to the one meant before pushing, as the monitor maps no words"
PUSH_WORD = ("an export's own word: translate it to an event of the contract's vocabulary (docs/contract.md) "
             "before pushing, as the monitor maps no words")


# --- attributes ---------------------------------------------------------------------


def check_attribute(
    problems: list[Problem], name: str, values: pd.Series, event: tuple[Coded, list[str | None]]
) -> Column:
    """One optional column, checked and typed."""
    if name in TIME_ATTRIBUTES:
        ns, bad = parse_times(values)
        flag_values(problems, bad, values, lambda v: unreadable_time(name, v))
        return ("Int64", ns, ns == NA_NS)
    if name in BOOL_ATTRIBUTES:
        if pd.api.types.is_bool_dtype(values.dtype):  # typed (Parquet, pandas): nothing to check
            return ("boolean", values.to_numpy(dtype=bool, na_value=False), values.isna().to_numpy())
        coded, _ = flag_error_words(problems, name, encode(values, BOOL_WORDS_TRUE | BOOL_WORDS_FALSE | {"Y", "N"}))
        return _check_bool(problems, name, coded)
    if name in INT_ATTRIBUTES:
        return _check_int(problems, name, text_array(values))
    if name == "category":
        return _check_category(problems, flag_error_words(problems, name, encode(values, _CATEGORIES))[0], event)
    if name in ENUM_ATTRIBUTES:
        allowed = ENUM_ATTRIBUTES[name]
        coded, _ = flag_error_words(problems, name, encode(values, allowed))
        words = canonical_words(coded.words, allowed)
        unknown = [w is not None and w not in allowed for w in words]
        # an outcome on an event with words of its own is told those (_check_outcome), not all four: a provider's
        # review told "(allowed: pass, reject, approved, refused)" was written 'pass' and refused again
        elsewhere = _without_own_outcome(event) if name == "outcome" and any(unknown) else None
        flag_words(problems, coded, words, unknown,
                   lambda v: f"{name}: {_show(v)} is not allowed (allowed: {', '.join(allowed)})", where=elsewhere)
        if name == "outcome":
            _check_outcome(problems, coded, words, event)
        return ("text", coded, words)
    if name in IDENTIFIER_ATTRIBUTES:
        flag_inexact(problems, values, values, name)
    coded, _ = flag_error_words(problems, name, encode(values))
    if name in IDENTIFIER_ATTRIBUTES:  # '110101199003071234 (io.apostrophe) is that ID number
        coded = unquote_coded(coded)
    return ("text", coded, coded.words)


def _check_bool(problems: list[Problem], name: str, coded: Coded) -> Column:
    words = coded.words
    lower = pc.utf8_lower(pa.array(words, pa.large_string())).to_pylist() if len(words) else []
    truth = [w in BOOL_WORDS_TRUE for w in lower]
    ok = [t or w in BOOL_WORDS_FALSE for t, w in zip(truth, lower, strict=True)]
    flag_words(problems, coded, words, (w is not None and not k for w, k in zip(words, ok, strict=True)),
               lambda v: f"{name}: {_show(v)} is not a yes/no value ({_BOOL_HELP})")
    return ("boolean", coded.per_row(truth, bool), ~coded.per_row(ok, bool))


def _check_int(problems: list[Problem], name: str, text: pa.Array) -> Column:
    text = fold_width(pa.chunked_array([text])).combine_chunks()  # "１０" is 10
    ok = pc.fill_null(pc.match_substring_regex(text, _INTEGER), False).to_numpy(zero_copy_only=False)
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    flag_values(problems, present & ~ok, text, lambda v: excel_error(name, v) if is_excel_error(v)
                else f"{name}: {_show(v)} is not a whole number, 0 or more")
    # Arrow's cast does not take a leading "+" or a ".0": drop them first ("+3" is 3, "10.0" is 10)
    digits = pc.replace_substring_regex(text, r"^\+|\.0+$", "")
    numbers = pc.cast(pc.if_else(pa.array(ok), digits, "0"), pa.int64()).to_numpy(zero_copy_only=False)
    return ("Int64", numbers, ~ok)


def _check_category(problems: list[Problem], coded: Coded, event: tuple[Coded, list[str | None]]) -> Column:
    """``category`` against the list of the event's process (share.*, open.*)."""
    words = canonical_words(coded.words, _CATEGORIES)
    event_codes, names = event
    for prefix, allowed in CATEGORY_BY_PREFIX.items():
        wrong = [w is not None and w not in allowed for w in words]
        if not any(wrong):  # the events' mask over every row only when a word is wrong somewhere
            continue
        on = event_codes.per_row([n is not None and n.startswith(prefix) for n in names], bool)
        flag_words(problems, coded, words, wrong,
                   lambda v, p=prefix, a=allowed: f"category: {_show(v)} is not allowed on {p}* events "
                   f"(allowed: {', '.join(a)})", where=on)
    return ("text", coded, words)


def _check_outcome(
    problems: list[Problem], coded: Coded, words: list[Any], event: tuple[Coded, list[str | None]]
) -> None:
    """``outcome`` against its event's own words (vocabulary.OUTCOME_BY_EVENT), a word allowed on no event
    included: on the other events it has its reason already (check_attribute)."""
    event_codes, names = event
    for name, allowed in OUTCOME_BY_EVENT.items():
        wrong = [w is not None and w not in allowed for w in words]
        if not any(wrong) or name not in names:  # the events' mask only where it can flag something
            continue
        on = event_codes.per_row([n == name for n in names], bool)
        flag_words(problems, coded, words, wrong, lambda v, e=name, a=allowed: (
            f"outcome: {_show(v)} is not allowed on {e} (allowed: {', '.join(a)})"), where=on)


def _without_own_outcome(event: tuple[Coded, list[str | None]]) -> np.ndarray:
    """The rows whose event has no outcome words of its own (or could not be read)."""
    event_codes, names = event
    return event_codes.per_row([n not in OUTCOME_BY_EVENT for n in names], bool)
