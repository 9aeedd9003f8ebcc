"""Are a profile's quotations its sources' words? Each checked against the document's text.

A rule's ``text_zh`` (and each penalty item, responsibility principle and mitigation the
profile quotes) must be a passage of the file its document's ``source`` names, character
for character, punctuation included; whitespace does not count (line breaks in the source,
YAML's folding in the rule file), and ``……`` marks what a quotation leaves out, so its
pieces must come in the source's order. ``govdata-policy rules quotes -j J`` reports the
quotations that are not; tests/test_quotes.py runs it on the bundled profiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths

OMISSION = "……"
_WHITESPACE = re.compile(r"\s+")
# the marks a copy typed again most often gets in the other width or shape
_SAME_MARK = str.maketrans({
    ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？", "[": "〔", "]": "〕",
    "【": "〔", "】": "〕", '"': "“", "”": "“", "'": "‘", "’": "‘", ".": "。",
    **{chr(0xFF10 + d): str(d) for d in range(10)},  # full-width digits
})


@dataclass(frozen=True)
class QuoteProblem:
    where: str  # "rule yz-18.2-conditional-reply", "penalty item 38.1", "responsibility 7"
    document: str
    message: str


def quotations(profile: Any) -> Iterator[tuple[str, str, str]]:
    """Every quotation of a profile: (where, document key, text)."""
    for rule in profile.rules:
        yield f"rule {rule.id}", rule.document, rule.text_zh
    spec = profile.spec
    yield f"penalty article {spec.penalties.article}", spec.penalties.document, spec.penalties.text_zh
    if spec.penalties.escalation_zh:
        yield f"penalty escalation {spec.penalties.article}", spec.penalties.document, spec.penalties.escalation_zh
    for item, penalty in spec.penalties.items.items():
        yield f"penalty item {item}", spec.penalties.document, penalty.text_zh
    for principle in spec.responsibility:
        yield f"responsibility {principle.clause}", principle.document, principle.text_zh
    if spec.mitigation is not None:
        yield f"mitigation {spec.mitigation.clause}", spec.mitigation.document, spec.mitigation.text_zh


def source_path(profile: Any, document: str) -> Path | None:
    """The file a document's ``source`` names: as written if absolute, else beside the profile
    (or a profile it extends), else under the bundled jurisdictions folder."""
    spec = profile.spec.documents.get(document)
    if spec is None:
        return None
    named = Path(spec.source)
    if named.is_absolute():
        return named
    folders = [Path(profile.file).parent, paths.jurisdictions_dir()]
    return next((folder / named for folder in folders if (folder / named).is_file()), folders[-1] / named)


def missing_piece(text: str, source: str) -> str | None:
    """Why ``text`` is not a quotation of ``source`` (both as written), or None when it is."""
    body = _WHITESPACE.sub("", source)
    start = 0
    for piece in (_WHITESPACE.sub("", p) for p in text.split(OMISSION)):
        if not piece:
            continue
        found = body.find(piece, start)
        if found >= 0:
            start = found + len(piece)
            continue
        return _near_miss(piece, body, start)
    return None


def _near_miss(piece: str, body: str, start: int) -> str:
    if body.find(piece) >= 0:
        return f"'{_short(piece)}' is in the source, but before the passage quoted ahead of it"
    canonical = body.translate(_SAME_MARK)
    found = canonical.find(piece.translate(_SAME_MARK))
    if found >= 0:
        return f"'{_short(piece)}' differs from the source in punctuation: it reads '{body[found:found + len(piece)]}'"
    low, high = 0, len(piece)  # the longest start of the piece that the source has
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if body.find(piece[:middle]) >= 0 else (low, middle - 1)
    if low == 0:
        return f"'{_short(piece)}' is not in the source"
    return f"'{_short(piece)}' is not in the source; it parts from it after '{_short(piece[:low], tail=True)}'"


def _short(text: str, tail: bool = False, most: int = 40) -> str:
    if len(text) <= most:
        return text
    return "…" + text[-most:] if tail else text[:most] + "…"


def check_quotations(profile: Any) -> list[QuoteProblem]:
    """The quotations of a profile that are not its sources' words (empty when all are)."""
    problems: list[QuoteProblem] = []
    texts: dict[str, str | None] = {}
    for where, document, text in quotations(profile):
        if document not in texts:
            path = source_path(profile, document)
            texts[document] = path.read_text(encoding="utf-8") if path and path.is_file() else None
            if texts[document] is None:
                named = f"its source {path}" if path else "no such document in the profile"
                problems.append(QuoteProblem(f"document {document}", document, f"cannot read {named}"))
        source = texts[document]
        if source is None:
            continue
        reason = missing_piece(text, source)
        if reason:
            problems.append(QuoteProblem(where, document, reason))
    return problems
