"""What ``result.explain(case_id)`` gives: the records of a case's explanation, as plain data
(``to_dict``) or text (``to_text``, by ``report.explain_text``). ``explain.py`` builds them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import Bilingual


class UnknownCaseError(Bilingual, LookupError):
    """The case is not in the log (nor among the findings)."""


@dataclass
class EventRef:
    row: int
    event: str
    time: str
    label_zh: str
    attributes: dict[str, Any] = field(default_factory=dict)
    # where the row lies in its file (the line of a CSV, the sheet row of a workbook), as a rejected
    # row's ``line`` says it: what the officer goes to; None where the file has no lines (Parquet, a frame)
    line: int | None = None
    source: str | None = None


@dataclass
class DayReason:
    date: str
    weekday: int  # Monday = 0
    kind: str  # off | work
    name: str


@dataclass
class ExtensionRef:
    row: int
    time: str
    days: int
    counted: bool
    # the approval's place in its file, as an event's (``EventRef.line``): its row number alone sent
    # the officer to the line above it
    line: int | None = None
    source: str | None = None


@dataclass
class Penalty:
    clause: str | None
    text_zh: str
    consequence: str | None
    citation_zh: str = ""  # the item as its document names it: 第四十七条第（三）项, 七（四）2


@dataclass
class Finding:
    kind: str
    message_zh: str
    message_en: str
    due: str | None
    occurred_at: str | None
    working_days_late: int | None
    mitigation: str | None = None


@dataclass
class RuleRef:
    rule_id: str
    clause: str
    title_zh: str
    summary_en: str
    text_zh: str
    document: str | None
    responsible_role: str | None
    responsible_party: str | None
    penalty: Penalty | None
    citation_zh: str = ""  # the clause as its document names it: 第二十九条第（三）项, 五（三）2


@dataclass
class ObligationExplanation:
    rule: RuleRef
    trigger: EventRef | None
    fulfilment: EventRef | None
    period_unit: str | None  # working_days | calendar_days | years | none
    period_days: int | None
    due_attribute: str | None
    due: str | None
    base_due: str | None  # before an approved extension
    extension_days: int
    extension_cap: int | None
    extensions: list[ExtensionRef]
    calendar: list[DayReason]
    status: str
    working_days_late: int | None
    finding: Finding | None
    weekend_days: int = 0  # Saturdays and Sundays between the trigger day and the due day (calendar days: at the end)


@dataclass
class ActExplanation:
    rule: RuleRef
    evidence: list[EventRef]
    calendar: list[DayReason]
    finding: Finding
    # the period its due day (a waiting period's end, a lead time's latest day) was counted with, said as an
    # obligation's is: without it a 30-day publicity ending on a Monday read as a miscount
    period_unit: str | None = None  # working_days | calendar_days
    period_days: int | None = None
    date_attribute: str | None = None  # a lead time: the attribute holding the date it counts back from
    lead_time_mode: str | None = None  # a lead time: at_least | at_most
    weekend_days: int = 0  # Saturdays and Sundays in the span its calendar looks at


@dataclass
class CaseExplanation:
    case_id: str
    jurisdiction: str
    as_of: str
    lang: str
    events: list[EventRef]
    obligations: list[ObligationExplanation]
    acts: list[ActExplanation]
    rejected: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # its rows not checked, with why
    # the result's notes that concern the case ({kind, message}, as check's): its documents' status,
    # its findings outside validity (C6), the estimated calendar years its periods cross
    notes: list[dict[str, str]] = dataclasses.field(default_factory=list)
    # the files the log was read from, as each event's ``source`` names them (a workbook's sheets read
    # whole, ``--sheet '*'``, one each); with several, the text names each event's file beside its line
    files: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_text(self, lang: str | None = None) -> str:
        from .report.explain_text import render_text

        return render_text(self, lang or self.lang)

    def __str__(self) -> str:
        return self.to_text()
