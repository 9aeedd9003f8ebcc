"""One event, checked exactly like one row of a log, in pure Python.

The batch validator (``govdata_policy.io.validate``) works on whole columns
with Arrow kernels; calling it for a single event costs milliseconds. This
module gives the same verdict and the same rejection reasons for one event in
a few microseconds, reusing the batch's pieces rather than copying them: the
vocabulary tables, the yes/no words, the time pattern of ``io.times``, the
scalar time reader ``parse_time`` (for rare time forms) and the batch's own
message helpers (``_show``, ``_suggest``). Reasons are joined in the batch's
order: case_id, event, time, then the event's fields in the order given.

An accepted event comes back as ``(case_id, event, time_ns, day, attrs)``,
``attrs`` holding only present values, typed as the EventFrame types them
(bool, int, UTC ns for time attributes, stripped str otherwise). A rejected
one comes back as its reason (a str).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..io.apostrophe import unquoted_id
from ..io.cell_errors import ERROR_STARTS, READ_COLUMNS, excel_error, is_excel_error
from ..io.checks import FLOAT_EXACT_LIMIT, inexact_id, infinite_id, unreadable_time
from ..io.columns import contract_name, reason_order
from ..io.mapping import BOOL_WORDS_FALSE, BOOL_WORDS_TRUE
from ..io.nested import CONTAINERS, container_kind
from ..io.text import fold_text, formula_text
from ..io.validate import _BOOL_HELP, _INTEGER, _show, _suggest
from ..timeutil import NS_PER_DAY, OFFSET_NS
from ..vocabulary import (
    BOOL_ATTRIBUTES,
    CATEGORY_BY_PREFIX,
    ENUM_ATTRIBUTES,
    EVENTS,
    IDENTIFIER_ATTRIBUTES,
    INT_ATTRIBUTES,
    OUTCOME_BY_EVENT,
    REQUIRED_COLUMNS,
    RESERVED,
    TIME_ATTRIBUTES,
    allowed_values,
)
from .scalar_cells import _contract_keys, _text
from .scalar_times import MINUTE_NS, SECOND_NS, TimeReader

TEXT, BOOL, INT, TIME, ENUM, CATEGORY = range(6)
# RE2 (the batch) reads \d as ASCII; so must Python's re
_INT_RX = re.compile(_INTEGER, re.ASCII)
_INT_LIMIT = 10**18  # _INTEGER: at most 18 digits
_SUGGESTIONS_KEPT = 1024
_FORMULA = '="'  # Excel's text-preserving form, read as io.text.formula_text reads it
# a cell the fast path leaves to the full one: Excel's ="…", perhaps an error value (#N/A, LibreOffice's
# Err:502: io.cell_errors) or an id written '00123 (io.apostrophe)
_UNUSUAL = (_FORMULA, *ERROR_STARTS, "'")
# (case_id, event, time ns, day, attrs, names in attrs)
Parsed = tuple[str, str, int, int, dict[str, Any], tuple[str, ...]]
# the names of an event's text fields; (field, kind, its words: canonical spellings of an enumerated field,
# yes/no words of a boolean one) of its other fields; all their names
ParsePlan = tuple[tuple[str, ...], tuple[tuple[str, int, Any], ...], tuple[str, ...]]


def _kind_of(name: str) -> int:
    if name in TIME_ATTRIBUTES:
        return TIME
    if name in BOOL_ATTRIBUTES:
        return BOOL
    if name in INT_ATTRIBUTES:
        return INT
    if name == "category":
        return CATEGORY
    if name in ENUM_ATTRIBUTES:
        return ENUM
    return TEXT


class EventParser(TimeReader):
    """Checks and types one event dict the way ``io.validate`` checks one row."""

    def __init__(self) -> None:
        super().__init__()
        self._kinds: dict[str, int] = {}
        self._category_union = frozenset(allowed_values("category") or ())
        # canonical enum values: exact or lower-cased spelling -> vocabulary word
        self._enum_allowed = {name: frozenset(values) for name, values in ENUM_ATTRIBUTES.items()}
        self._suggestions: dict[str, str] = {}
        self._category_for: dict[str, tuple[str, tuple[str, ...]] | None] = {}
        # fast path: the kinds of each set of field names seen, the canonical word of each enum spelling,
        # yes/no words, the allowed categories of each event
        self._plans: dict[tuple[Any, ...], ParsePlan] = {}
        self._words: dict[str, dict[str, str]] = {}
        for name, values in ENUM_ATTRIBUTES.items():
            self._words[name] = {v: v for v in values}
        self._words["category"] = {v: v for v in self._category_union}
        self._yes_no = {**dict.fromkeys(BOOL_WORDS_TRUE, True), **dict.fromkeys(BOOL_WORDS_FALSE, False)}
        self._event_categories: dict[str, frozenset[str] | None] = {
            name: next((frozenset(a) for p, a in CATEGORY_BY_PREFIX.items() if name.startswith(p)), None)
            for name in EVENTS
        }

    # -- one event ------------------------------------------------------------
    def parse(self, event: Mapping[str, Any]) -> Parsed | str:
        """The common clean event in straight-line code; anything unusual takes the full path.

        An accepted event comes back as ``(case_id, event, time_ns, day, attrs, keys)``, ``keys``
        being the names in ``attrs`` as a tuple (the same tuple object for events with the same
        fields, so that keeping it costs nothing).
        """
        try:
            case_id = event["case_id"]
            name = event["event"]
            raw_time = event["time"]
        except KeyError:
            return self.parse_full(event)
        if case_id.__class__ is not str or name.__class__ is not str or raw_time.__class__ is not str:
            return self.parse_full(event)
        case_id = fold_text(case_id.strip())  # as io.validate: "Ｗ３" is the case "W3"
        if case_id.startswith(_UNUSUAL):  # Excel's ="00123" (the full path reads its text), or #N/A
            return self.parse_full(event)
        # "YYYY-MM-DD HH:MM[:SS]", local time, by three lookups (scalar_times.TimeReader) once its date is known
        try:
            day, start = self.heads[raw_time[:11]]
            t = start + MINUTE_NS[raw_time[11:16]] + SECOND_NS[raw_time[16:]]
        except KeyError:
            t = self.fast_time(raw_time)
            if t is None:
                text = raw_time.strip()
                t = self.text_time(text) if text else None
            day = 0 if t is None else (t + OFFSET_NS) // NS_PER_DAY
        if not case_id or t is None or name not in EVENTS:
            return self.parse_full(event)
        # the fields' kinds, worked out once per distinct set of field names (a source sends the same)
        try:
            texts, plan, keys = self._plans[tuple(event)]
        except KeyError:
            found = self._plan(event)
            if found is None:
                return self.parse_full(event)
            texts, plan, keys = found
        attrs: dict[str, Any] = {}
        for key in texts:  # the most common fields first, in the fewest steps
            value = event[key]
            if value.__class__ is str:
                value = value.strip()
                if value:
                    if value.startswith(_UNUSUAL):  # Excel's ="…" (the full path reads its text), or #N/A
                        return self.parse_full(event)
                    attrs[key] = value
            elif value is not None:
                return self.parse_full(event)
        for key, kind, words in plan:
            value = event[key]
            if value.__class__ is str:
                if words is not None:  # enumerated, category, yes/no: a word as written needs no stripping
                    word = words.get(value)
                    if word is None:
                        text = value.strip()
                        if not text:
                            continue
                        word = words.get(text)
                        if word is None:
                            word = words.get(text.lower())
                    else:
                        text = value
                    if kind == CATEGORY:
                        allowed = self._event_categories[name]
                        if allowed is None:
                            if word is None:
                                word = text
                        elif word not in allowed:
                            return self.parse_full(event)
                    elif word is None:
                        return self.parse_full(event)
                    elif key == "outcome" and name in OUTCOME_BY_EVENT and word not in OUTCOME_BY_EVENT[name]:
                        return self.parse_full(event)  # another event's word (vocabulary.OUTCOME_BY_EVENT)
                    attrs[key] = word
                    continue
                text = value.strip()
                if not text:
                    continue
                if kind == TIME:
                    ns = self.fast_time(text)
                    if ns is None:
                        ns = self.text_time(text)
                        if ns is None:
                            return self.parse_full(event)
                    attrs[key] = ns
                elif kind == INT and _INT_RX.fullmatch(text):
                    attrs[key] = int(text.partition(".")[0])  # "10.0" is 10
                else:
                    return self.parse_full(event)
            elif value is None:
                continue
            elif value.__class__ is bool and kind == BOOL:
                attrs[key] = value
            elif value.__class__ is int and kind == INT and 0 <= value < _INT_LIMIT:
                attrs[key] = value  # the batch's integers have at most 18 digits; longer ones take the full path
            else:
                return self.parse_full(event)
        if len(attrs) != len(keys):
            keys = tuple(attrs)  # some fields were blank
        return case_id, name, t, day, attrs, keys

    def _plan(self, event: Mapping[str, Any]) -> ParsePlan | None:
        """The names of the event's optional text fields, (field, kind, its words) of its other optional
        fields, and all their names; None if a name needs the full path."""
        texts, plan = [], []
        for key in event:
            if key.__class__ is not str or key != key.strip() or key in RESERVED:
                return None
            if contract_name(key) not in (None, key):  # "Category": the full path renames it
                return None
            if key in REQUIRED_COLUMNS:
                continue
            kind = _kind_of(key)
            if kind == TEXT:
                texts.append(key)
            else:
                words = self._yes_no if kind == BOOL else self._words.get(key) if kind in (ENUM, CATEGORY) else None
                plan.append((key, kind, words))
        found = (tuple(texts), tuple(plan), (*texts, *(key for key, _, _ in plan)))
        if len(self._plans) < 1024:
            self._plans[tuple(event)] = found
        return found

    def parse_full(self, event: Mapping[str, Any]) -> Parsed | str:
        """Every check of io.validate for one row, with its reasons in its order."""
        event, clash = _contract_keys(event)
        problems: list[str] = [clash] if clash else []
        raw_id = event.get("case_id")
        case_id = _text(raw_id)
        if isinstance(raw_id, CONTAINERS):  # as io.nested: a list or object is no case id
            problems.append(f"case_id: a JSON {container_kind(raw_id)}, not one value")
        elif case_id is None:
            problems.append("case_id: missing")
        else:
            case_id = unquoted_id(fold_text(case_id))  # as io.validate: "Ｗ３" is "W3", '00123 is 00123
            if is_excel_error(case_id):  # as io.validate (io.cell_errors)
                problems.append(excel_error("case_id", case_id))
            elif isinstance(raw_id, float) and FLOAT_EXACT_LIMIT <= abs(raw_id) < float("inf"):
                problems.append(inexact_id(case_id))
            elif isinstance(raw_id, float) and abs(raw_id) == float("inf"):
                problems.append(infinite_id(case_id))
        name = _text(event.get("event"))
        if name is None:
            problems.append("event: missing")
        elif is_excel_error(name):
            problems.append(excel_error("event", name))
        elif name not in EVENTS:
            lower = name.lower()
            if lower in EVENTS:
                name = lower
            else:
                problems.append(f"event: unknown event {_show(name)}" + self._suggest(name))
        raw_time = event.get("time")
        time_ns, bad = self.time_value(raw_time)
        if bad:
            problems.append(unreadable_time("time", raw_time, _text(raw_time)))
        elif time_ns is None:
            problems.append("time: missing")

        attrs: dict[str, Any] = {}
        kinds = self._kinds
        fields_from = len(problems)
        for key, value in event.items():
            if key.__class__ is not str or key != key.strip():
                key = str(key).strip()
            if key in REQUIRED_COLUMNS:
                continue
            kind = kinds.get(key)
            if kind is None:
                kind = _kind_of(key)
                if len(kinds) < 4096:  # bounded as the other caches: a stream of ever-new field names
                    kinds[key] = kind
            out = f"{key}_input" if key in RESERVED else key
            # as io.checks: an error value (#N/A, Err:502) in a column a rule reads is no value (a time's
            # reason is unreadable_time's, which says so)
            if (kind != TIME and value.__class__ is str and key in READ_COLUMNS
                    and any(start in value for start in ERROR_STARTS)):
                error = _text(value)
                if is_excel_error(error):
                    problems.append(excel_error(key, error))
                    continue
            if kind == TEXT:
                if value.__class__ is str:
                    text = formula_text(value.strip())
                    if key in IDENTIFIER_ATTRIBUTES:  # as io.checks: '110101199003071234 is that number
                        text = unquoted_id(text)
                    if text:
                        attrs[out] = text
                else:
                    text = _text(value)
                    if text is not None and key in IDENTIFIER_ATTRIBUTES and isinstance(value, float) \
                            and FLOAT_EXACT_LIMIT <= abs(value) < float("inf"):
                        problems.append(inexact_id(text, key))  # as io.checks.check_attribute
                    elif text is not None:
                        attrs[out] = text
            elif kind == TIME:
                ns, bad = self.time_value(value)
                if bad:
                    problems.append(unreadable_time(key, value, _text(value)))
                elif ns is not None:
                    attrs[out] = ns
            else:
                text = _text(value)
                if text is None:
                    continue
                if kind == BOOL:
                    lower = text.lower()
                    if lower in BOOL_WORDS_TRUE:
                        attrs[out] = True
                    elif lower in BOOL_WORDS_FALSE:
                        attrs[out] = False
                    else:
                        problems.append(f"{key}: {_show(text)} is not a yes/no value ({_BOOL_HELP})")
                elif kind == INT:
                    text = fold_text(text)  # "１０" is 10
                    if _INT_RX.fullmatch(text):
                        attrs[out] = int(text.partition(".")[0])  # "10.0" is 10
                    else:
                        problems.append(f"{key}: {_show(text)} is not a whole number, 0 or more")
                elif kind == CATEGORY:
                    word = self._canonical(text, self._category_union)
                    rule = self._category_rule(name)
                    if rule is not None and word not in rule[1]:
                        prefix, allowed = rule
                        problems.append(f"category: {_show(word)} is not allowed on {prefix}* events "
                                        f"(allowed: {', '.join(allowed)})")
                    attrs[out] = word
                else:  # ENUM
                    allowed = self._enum_allowed[key]
                    word = self._canonical(text, allowed)
                    own = OUTCOME_BY_EVENT.get(name) if key == "outcome" and name is not None else None
                    if own is not None and word not in own:  # as io.checks._check_outcome, a word of no event's too
                        problems.append(f"outcome: {_show(word)} is not allowed on {name} (allowed: {', '.join(own)})")
                    elif word not in allowed:
                        problems.append(f"{key}: {_show(word)} is not allowed "
                                        f"(allowed: {', '.join(ENUM_ATTRIBUTES[key])})")
                    else:
                        attrs[out] = word
        # the fields' reasons in the batch's order, which is no log's column order (io.columns.reason_order)
        problems[fields_from:] = sorted(problems[fields_from:], key=lambda m: reason_order(m.split(":", 1)[0]))
        if problems:
            return "; ".join(problems)
        assert case_id is not None and name is not None and time_ns is not None
        return case_id, name, time_ns, (time_ns + OFFSET_NS) // NS_PER_DAY, attrs, tuple(attrs)

    @staticmethod
    def _canonical(text: str, allowed: frozenset[str]) -> str:
        if text in allowed:
            return text
        lower = text.lower()
        return lower if lower in allowed else text

    def _category_rule(self, name: str | None) -> tuple[str, tuple[str, ...]] | None:
        """The prefix and allowed categories of an event (share.* / open.*), or None if free text."""
        if name is None:
            return None
        if name not in self._category_for:
            found = next(((p, a) for p, a in CATEGORY_BY_PREFIX.items() if name.startswith(p)), None)
            if len(self._category_for) < 4096:
                self._category_for[name] = found
            return found
        return self._category_for[name]

    def _suggest(self, word: str) -> str:
        # difflib is slow; a stream repeats its unknown words
        found = self._suggestions.get(word)
        if found is None:
            found = _suggest(word, push=True)  # a push is read through no mapping
            if len(self._suggestions) < _SUGGESTIONS_KEPT:
                self._suggestions[word] = found
        return found
