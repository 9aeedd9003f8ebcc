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
    file: str = ""  # the file to edit: the rule file, or the profile (or variant) giving the quotation
    field: str = ""  # its field there: text_zh, rule_overrides.ID.text_zh, penalties.items.38.1.text_zh, clause

    def __str__(self) -> str:
        place = f"{self.file}: " if self.file else ""
        field = f": field {self.field}" if self.field else ""
        return f"{place}{self.where}{field} ({self.document}): {self.message}"


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


def source_giver(profile: Any, document: str) -> Path:
    """The profile file (the last layer of its chain) that gives a document's ``source``."""
    from .profile_layers import read_layers

    for _, file, raw in reversed(read_layers(Path(profile.file))):
        given = (raw.get("documents") or {}).get(document)
        if isinstance(given, dict) and "source" in given:
            return file
    return Path(profile.file)


def source_path(profile: Any, document: str) -> Path | None:
    """The file a document's ``source`` names: as written if absolute, else beside the profile file
    that gives it (a variant in a folder of its own extending a drafter's profile reads the parent's
    source), else beside the profile, else under the bundled jurisdictions folder. None found: the
    path beside the file giving it, the one its writer meant."""
    spec = profile.spec.documents.get(document)
    if spec is None:
        return None
    named = Path(spec.source)
    if named.is_absolute():
        return named
    folders = [source_giver(profile, document).parent, Path(profile.file).parent, paths.jurisdictions_dir()]
    return next((folder / named for folder in folders if (folder / named).is_file()), folders[0] / named)


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


def _placed(profile: Any) -> Iterator[tuple[str, str, str, str, str, str, tuple[str, str] | None]]:
    """Every quotation as ``quotations`` gives it, with its clause, the file giving it, its field there and
    the file and field of its clause (None: said with another quotation's)."""
    from .profile_layers import read_layers

    layers = read_layers(Path(profile.file))

    def giving(*keys: str) -> str | None:  # the last layer whose file has the key path: where a drafter edits it
        for _, file, raw in reversed(layers):
            node: Any = raw
            for key in keys:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None:
                return str(file)
        return None

    spec = profile.spec
    for rule in profile.rules:
        override = giving("rule_overrides", rule.id, "text_zh")
        file, field = ((override, f"rule_overrides.{rule.id}.text_zh") if override
                       else (str(profile.rule_file[rule.id]), "text_zh"))
        clause_file = giving("rule_overrides", rule.id, "clause")
        yield (f"rule {rule.id}", rule.document, rule.text_zh, rule.clause, file, field,
               (clause_file, f"rule_overrides.{rule.id}.clause") if clause_file
               else (str(profile.rule_file[rule.id]), "clause"))
    penalties = spec.penalties
    here = giving("penalties") or str(profile.file)
    yield (f"penalty article {penalties.article}", penalties.document, penalties.text_zh, penalties.article,
           here, "penalties.text_zh", (giving("penalties", "article") or here, "penalties.article"))
    if penalties.escalation_zh:
        yield (f"penalty escalation {penalties.article}", penalties.document, penalties.escalation_zh,
               penalties.article, here, "penalties.escalation_zh", None)
    for item, penalty in penalties.items.items():
        file = giving("penalties", "items", item) or here
        yield (f"penalty item {item}", penalties.document, penalty.text_zh, item, file,
               f"penalties.items.{item}.text_zh", (file, f"penalties.items.{item} (its key)"))
    for number, principle in enumerate(spec.responsibility):
        file = giving("responsibility") or str(profile.file)
        yield (f"responsibility {principle.clause}", principle.document, principle.text_zh, principle.clause,
               file, f"responsibility.{number}.text_zh", (file, f"responsibility.{number}.clause"))
    if spec.mitigation is not None:
        file = giving("mitigation") or str(profile.file)
        yield (f"mitigation {spec.mitigation.clause}", spec.mitigation.document, spec.mitigation.text_zh,
               spec.mitigation.clause, file, "mitigation.text_zh", (file, "mitigation.clause"))


# where a top-level clause begins, as each citation form numbers it: 第四条 at a line's start, or 四、
_HEADING = {"article": re.compile(r"(?m)^[ \t\u3000]*第([〇零一二两三四五六七八九十百]+)条"),
            "outline": re.compile(r"(?m)^[ \t\u3000]*([〇零一二两三四五六七八九十百]+)、")}


def misplaced(clause: str, text: str, source: str, form: str) -> str | None:
    """Why a quotation found in ``source`` is not of ``clause``'s top-level article or section (a clause
    typed 14 for the 第四条 it quotes cited the wrong place on every finding), or None. Said only where
    the source has headings of the document's form before the quotation."""
    from .citation import chinese_number, number_of_chinese

    first = next((_WHITESPACE.sub("", p) for p in text.split(OMISSION) if p.strip()), "")
    body = _WHITESPACE.sub("", source)
    at = body.find(first)
    if not first or at < 0:
        return None
    headings = [(len(_WHITESPACE.sub("", source[:m.start()])), number_of_chinese(m.group(1)))
                for m in _HEADING[form].finditer(source)]
    before = [number for place, number in headings if place <= at and number]
    stated = clause.split(".")[0] if clause[:1].isdigit() else clause.split(".")[1] if "." in clause else ""
    if not before or not stated.isdigit() or int(stated) == before[-1]:
        return None
    found = f"第{chinese_number(before[-1])}条" if form == "article" else f"{chinese_number(before[-1])}、"
    return (f"{clause!r}, but the quotation is in {found} of the source (clause {before[-1]}): "
            "correct the clause, or quote its own words")


def check_quotations(profile: Any) -> list[QuoteProblem]:
    """The quotations of a profile that are not its sources' words (empty when all are), and those whose
    clause names another article or section than the one they are found in."""
    problems: list[QuoteProblem] = []
    texts: dict[str, str | None] = {}
    for where, document, text, clause, file, field, clause_place in _placed(profile):
        if document not in texts:
            path = source_path(profile, document)
            texts[document] = path.read_text(encoding="utf-8") if path and path.is_file() else None
            if texts[document] is None and path is None:
                problems.append(QuoteProblem(f"document {document}", document, "no such document in the profile"))
            elif texts[document] is None:  # named with the file and field to correct, as a quotation is
                problems.append(QuoteProblem(f"document {document}", document, f"cannot read its source {path}",
                                             str(source_giver(profile, document)), f"documents.{document}.source"))
        source = texts[document]
        if source is None:
            continue
        reason = missing_piece(text, source)
        if reason:
            problems.append(QuoteProblem(where, document, f"{reason}: copy the passage as the source writes it",
                                         file, field))
            continue
        wrong = misplaced(clause, text, source, profile.spec.documents[document].citation) if clause_place else None
        if wrong and clause_place:
            problems.append(QuoteProblem(where, document, wrong, *clause_place))
    return problems
