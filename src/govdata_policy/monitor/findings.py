"""Violation records for single findings, field for field as the batch assembles them.

The batch (``engine.assemble`` / ``engine.messages`` / ``Result.to_dict``)
builds these on whole columns; here one finding is built from values already
at hand. Everything constant per rule (clause, penalty, consequence, message
heads, validity window) is worked out once in ``RuleInfo``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..details import detail_zh
from ..engine.late_words import LATE_ON_DAY_OFF, OVERDUE_ON_DAY_OFF
from ..timeutil import NS_PER_DAY, OFFSET_NS
from ..vocabulary import EVENTS

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_HH_MM = [f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)]  # minute of the day -> "HH:MM"
_SS = [f":{s:02d}" for s in range(60)]
NS_PER_SECOND = 10**9
CONTEXT_NOTE = (
    "the case's earlier events were evicted from the monitor's recently-closed cache "
    "(closed_cache_size={size}); this finding was made without them"
)


class RuleInfo:
    """What a finding of one rule carries besides its own dates."""

    __slots__ = (
        "index", "rule", "id", "clause", "role", "penalty", "consequence", "layer", "document",
        "valid_from", "valid_to", "head_zh", "head_en", "party_attr", "party_name", "party_by_actor", "jurisdiction",
        "mitigation_attr", "n_rules",
    )

    def __init__(self, index: int, rule: Any, profile: Any) -> None:
        spec = profile.spec
        self.index = index
        self.rule = rule
        self.id = rule.id
        self.clause = rule.clause
        self.role = rule.obligor_role
        self.penalty = rule.penalty
        self.consequence = spec.penalties.consequence_of(rule.penalty)
        self.layer = profile.rule_layer.get(rule.id)
        self.document = rule.document
        doc = spec.documents.get(rule.document)
        # C6: findings anchored on a day outside the document's validity are left out
        self.valid_from = _day(doc.valid_from) if doc and doc.valid_from else None
        self.valid_to = _day(doc.valid_to) if doc and doc.valid_to else None
        self.head_zh = f"{spec.cite_zh(rule.clause, rule.document)}（{rule.title_zh}）："
        self.head_en = f"Clause {rule.clause} ({rule.summary_en.rstrip('.')}): "
        party, self.party_by_actor = spec.party_for(rule)  # as engine.assemble._parties
        self.party_attr = party.attribute if party is not None else None
        self.party_name = party.name_zh if party is not None else None
        self.jurisdiction = profile.name
        mitigation = spec.mitigation
        self.mitigation_attr = mitigation.attribute if mitigation is not None else None
        self.n_rules = len(profile.rules)


def _day(value: dt.date) -> int:
    return value.toordinal() - _EPOCH_ORDINAL


class Reporter:
    """Builds violation dicts; counts (and, if validity is enforced, drops) C6 findings."""

    def __init__(self, profile: Any, enforce_validity: bool, cache_size: int) -> None:
        mitigation = profile.spec.mitigation
        self.mitigation_attr = mitigation.attribute if mitigation is not None else None
        self.mitigation_text = (
            f"{mitigation.clause}: {mitigation.text_zh}" if mitigation is not None else None)
        self.enforce = enforce_validity
        self.cache_size = cache_size
        self.outside: dict[str, int] = {}  # document -> findings outside its validity
        self._dates: dict[int, str] = {}

    # -- values ---------------------------------------------------------------
    def mitigated(self, attrs: dict[str, Any]) -> bool:
        """Is the event flagged for fault tolerance (e.g. Xinjiang 42, good_faith)?"""
        attr = self.mitigation_attr
        return attr is not None and bool(attrs.get(attr))

    def date(self, day: int) -> str:
        text = self._dates.get(day)
        if text is None:
            text = dt.date.fromordinal(day + _EPOCH_ORDINAL).isoformat()
            if len(self._dates) < 100_000:
                self._dates[day] = text
        return text

    def clock(self, ns: int) -> tuple[str, str, str]:
        """(local date, "HH:MM", ":SS") of UTC ns; fractions of a second dropped as in to_dict()."""
        seconds = (ns + OFFSET_NS) // NS_PER_SECOND
        day, rest = divmod(seconds, 86_400)
        minutes, second = divmod(rest, 60)
        return self.date(day), _HH_MM[minutes], _SS[second]

    def iso(self, ns: int) -> str:
        date, hh_mm, ss = self.clock(ns)
        return f"{date}T{hh_mm}{ss}+08:00"

    # -- one finding ----------------------------------------------------------
    def found(
        self,
        out: list[dict[str, Any]],
        info: RuleInfo,
        kind: str,
        case_id: str,
        orphan: bool,
        anchor_event: str,
        anchor_day: int,
        *,
        party: Any,
        mitigated: bool,
        rows: list[int],
        due_day: int | None = None,
        occurred_ns: int | None = None,
        wd_late: int | None = None,
        detail: str | None = None,
        as_of_ns: int | None = None,
    ) -> None:
        if (info.valid_from is not None and anchor_day < info.valid_from) or (
                info.valid_to is not None and anchor_day > info.valid_to):  # outside the document's validity
            self.outside[info.document] = self.outside.get(info.document, 0) + 1
            if self.enforce:
                return
        due_text = self.date(due_day) if due_day is not None else ""
        if occurred_ns is not None:
            date, hh_mm, ss = self.clock(occurred_ns)
            occurred_iso: str | None = f"{date}T{hh_mm}{ss}+08:00"
            occurred_text = f"{date} {hh_mm}"
        else:
            occurred_iso, occurred_text = None, ""
        late = "0" if wd_late is None else str(wd_late)
        as_of = self.date((as_of_ns + OFFSET_NS) // NS_PER_DAY) if as_of_ns is not None else ""
        gloss = EVENTS.get(anchor_event, anchor_event)
        if kind == "late" and wd_late == 0:  # a day off after the due day (engine.messages)
            zh = f"应于{due_text}前完成，实际于{occurred_text}{LATE_ON_DAY_OFF[0]}"
            en = f"due by the end of {due_text}, done {occurred_text}{LATE_ON_DAY_OFF[1]}"
        elif kind == "late":
            zh = f"应于{due_text}前完成，实际于{occurred_text}完成，逾期{late}个工作日"
            en = f"due by the end of {due_text}, done {occurred_text}, {late} working day(s) late"
        elif kind == "overdue" and wd_late == 0:
            zh = f"应于{due_text}前完成，截至{as_of}{OVERDUE_ON_DAY_OFF[0]}"
            en = f"due by the end of {due_text}, still not done on {as_of}{OVERDUE_ON_DAY_OFF[1]}"
        elif kind == "overdue":
            zh = f"应于{due_text}前完成，截至{as_of}仍未完成，已逾期{late}个工作日"
            en = f"due by the end of {due_text}, still not done on {as_of}, {late} working day(s) overdue"
        elif kind == "missing":
            zh = f"应及时办理（无具体时限），截至{as_of}未见记录"
            en = f"required without a set period (C4), no record by {as_of}"
        elif kind == "premature" and due_text:  # the batch's words (engine.messages)
            zh = f"{gloss}于{occurred_text}实施，过早：{due_text}（含）以前不得实施"
            en = f"{anchor_event} at {occurred_text} came too early: not allowed on or before {due_text}"
        elif kind == "premature":
            zh = f"{gloss}于{occurred_text}实施，缺少前置环节"
            en = f"{anchor_event} at {occurred_text} came without its prior step"
        elif kind == "prohibited":
            zh = f"{occurred_text}发生禁止或未经许可的行为：{gloss}"
            en = f"forbidden or unapproved act at {occurred_text}: {anchor_event}"
        else:  # invalid
            zh = f"{occurred_text}的{gloss}不符合要求（{detail_zh(detail or '')}）"
            en = f"{anchor_event} at {occurred_text} is not valid ({detail or ''})"
        record: dict[str, Any] = {
            "rule_id": info.id,
            "jurisdiction": info.jurisdiction,
            "clause": info.clause,
            "kind": kind,
            "case_id": case_id,
            "responsible_role": info.role,
            "responsible_party": party,
            "due": f"{due_text}T23:59:59+08:00" if due_day is not None else None,
            "occurred_at": occurred_iso,
            "working_days_late": wd_late,
            "penalty_clause": info.penalty,
            "consequence": info.consequence,
            "message_zh": info.head_zh + zh,
            "message_en": info.head_en + en,
            "evidence_rows": rows,
            "mitigation": self.mitigation_text if mitigated else None,
            "layer": info.layer,
            "document": info.document,
        }
        if orphan:
            record["note"] = CONTEXT_NOTE.format(size=self.cache_size)
        out.append(record)
