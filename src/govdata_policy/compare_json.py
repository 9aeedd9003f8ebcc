"""``compare --format json``: the document ``json.dumps(body, ensure_ascii=False, indent=2)`` writes, byte for byte,
with the log's long lists written from columns by ``json_text.table_json`` (as ``check --format json`` writes its
findings: ``Result.json_bytes``).

Issue 5: with ``indent`` json.dumps runs the pure-Python encoder; the cases that differ on a 1M-event log under
three profiles (hundreds of thousands of records, each with an object of verdicts) took 112 s and 3.6 GB there.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .json_text import Unsupported, table_json

INDENT = 2
# the log's lists of records written from columns: each with the key of its object by profile
TABLES = {"cases_that_differ": "verdicts", "cases_with_other_due_dates": "details"}
# what the skeleton of the document carries where a list's text goes: found by its first occurrence, and nothing
# before the lists comes from the log (profiles, rules, counts by clause), so a log's text cannot be taken for it
_SLOT = "\x00govdata-policy-compare:{}\x00"


def compare_json(body: dict[str, Any]) -> str:
    """The JSON text of ``body`` (the rules table, and ``log``: the what-if), as json.dumps writes it."""
    log = body.get("log")
    if not log:
        return _dumps(body)
    try:
        texts = {key: b"".join(_table(log[key], nested)) for key, nested in TABLES.items() if key in log}
    except Unsupported:  # records of other shapes than compare_log makes: the plain encoder
        return _dumps(body)
    skeleton = {**body, "log": {**log, **{key: _SLOT.format(key) for key in texts}}}
    rest = _dumps(skeleton)
    pieces: list[str] = []
    for key, text in texts.items():  # each slot gives way to its list's text, in the document's order
        before, rest = rest.split(json.dumps(_SLOT.format(key), ensure_ascii=False), 1)
        pieces += [before, text.decode("utf-8", "surrogatepass")]
    return "".join([*pieces, rest])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=INDENT)


def _table(records: list[dict[str, Any]], nested: str) -> Any:
    """The list ``records`` (each with the same keys, ``nested`` an object of the same keys in each, all text or
    null) as ``table_json`` writes it, two levels deep (document -> log -> list)."""
    if not records:
        return [b"[]"]
    keys, inner = list(records[0]), list(records[0].get(nested) or ())
    if nested not in keys or not inner or any(
            list(record) != keys or list(record[nested]) != inner for record in records):
        raise Unsupported
    if any(type(value) not in (str, type(None)) for record in records for key, value in record.items()
           if key != nested) or any(type(value) not in (str, type(None))
                                    for record in records for value in record[nested].values()):
        raise Unsupported  # json.dumps would write a number or refuse an object: not guessed at here
    frame = pd.DataFrame({key: pd.Series([record[key] if key != nested else None for record in records],
                                         dtype=object) for key in keys})
    objects = pd.DataFrame({name: pd.Series([record[nested][name] for record in records], dtype=object)
                            for name in inner})
    return table_json(frame, INDENT, 2, objects={nested: objects})
