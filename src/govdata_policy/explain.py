"""Why a case has the findings it has: ``result.explain(case_id)``.

Per obligation: trigger, period and clause, due day and the days that moved it
(``WorkingCalendar.reasons``), an approved extension, status, finding, quoted
clause text, responsible party, penalty item. Then the acts found in the case.
``to_text(lang)`` renders it (zh / en); ``to_dict()`` gives it as plain data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from .citation import cite_zh
from .explain_model import (  # the records, importable from here as before
    ActExplanation,
    CaseExplanation,
    DayReason,
    EventRef,
    ExtensionRef,
    Finding,
    ObligationExplanation,
    Penalty,
    RuleRef,
    UnknownCaseError,
)
from .explain_notes import case_notes
from .timeutil import date_of, end_of_day_ns, iso, local_day_of
from .vocabulary import EVENTS

ENGINE_COLUMNS = ("row", "case_id", "event", "time_ns", "day")


# ---- building -------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    return iso(int(pd.Timestamp(value).value))


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _event_ref(record: dict[str, Any]) -> EventRef:
    attributes = {}
    for key, value in record.items():
        if key in ENGINE_COLUMNS or value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
            continue
        if key in ("planned_offline_at", "log_created_at", "rectify_by"):
            value = iso(int(value))
        elif hasattr(value, "item"):
            value = value.item()
        attributes[key] = value
    return EventRef(
        row=int(record["row"]),
        event=str(record["event"]),
        time=iso(int(record["time_ns"])) or "",
        label_zh=EVENTS.get(str(record["event"]), ""),
        attributes=attributes,
    )


def _bare_ref(row: Any, event: str, time: Any) -> EventRef:
    return EventRef(row=int(row), event=event, time=_iso(time) or "", label_zh=EVENTS.get(event, ""))


def _answering_event(rule: Any) -> str:
    """The event that fulfilled a deadline, as far as the rule tells without its log: its fulfil event, or each
    event that may answer it (``also_fulfilled_by``: Yongzhou 18.2's rejection at 初审 read as the reply)."""
    names = list(dict.fromkeys(match.event for match in getattr(rule, "answers", [])))
    return " / ".join(names) or "?"


def _reasons(calendar: Any, start_day: int, due_day: int, period: Any = None) -> list[DayReason]:
    """The days that moved the due day. For calendar days (C3) only the days off at the end count:
    from the nominal last day (start + N) to the due day."""
    if calendar is None:
        return []
    if getattr(period, "unit", None) == "calendar_days":
        start_day = max(int(start_day), int(start_day) + int(period.days or 0) - 1)
    return [
        DayReason(date=d.isoformat(), weekday=d.weekday(), kind=kind, name=name)
        for d, kind, name in calendar.reasons(int(start_day), int(due_day))
    ]


def _weekend_days(start_day: int, due_day: int, period: Any = None) -> int:
    """Saturdays and Sundays in the span ``_reasons`` looks at (the last days alone for calendar
    days): "only weekends were skipped" is said only when one was, not of a Monday-to-Wednesday."""
    if getattr(period, "unit", None) == "calendar_days":
        start_day = max(int(start_day), int(start_day) + int(period.days or 0) - 1)
    return sum(date_of(day).weekday() >= 5 for day in range(int(start_day) + 1, int(due_day) + 1))


def _penalty(profile: Any, clause: Any, consequence: Any = None) -> Penalty | None:
    if clause is None or pd.isna(clause):
        return None
    item = profile.spec.penalties.items.get(str(clause)) if profile is not None else None
    if consequence is None and profile is not None:
        consequence = profile.spec.penalties.consequence_of(str(clause))
    return Penalty(
        clause=str(clause),
        text_zh=item.text_zh if item is not None else "",
        consequence=None if consequence is None or pd.isna(consequence) else str(consequence),
        citation_zh=profile.spec.cite_penalty_zh(str(clause)) if profile is not None else cite_zh(str(clause)),
    )


def _party(profile: Any, rule: Any, role: str | None, events: pd.DataFrame, upto: int) -> str | None:
    """As the engine finds it (``Prepared.latest``): the event's own value of the party's attribute
    (the rule's ``party:`` entry, else its role's), else the case's latest at or before its time
    (events at its instant count, in whatever order they were sorted), else the acting department of
    the event when it acts in that role (not for a fixed body the rule names), else the fixed body."""
    if profile is not None and rule is not None:
        spec, by_actor = profile.spec.party_for(rule)
    else:
        spec, by_actor = (profile.spec.parties.get(role) if profile is not None and role else None), True
    if spec is None or events.empty:
        return spec.name_zh if spec is not None else None
    if spec.attribute and spec.attribute in events.columns:
        values = events[spec.attribute]
        given = (values.notna() & (values.astype(str).str.strip() != "")).to_numpy(dtype=bool)
        if given[upto]:
            return str(values.iloc[upto])
        known = given & (events["time_ns"].to_numpy() <= events["time_ns"].iloc[upto])
        if known.any():
            return str(values.iloc[int(known.nonzero()[0][-1])])
    if by_actor and {"actor", "actor_role"} <= set(events.columns):
        event = events.iloc[upto]
        if event["actor_role"] == role and not pd.isna(event["actor"]):
            return str(event["actor"])
    return spec.name_zh


def _finding(record: dict[str, Any] | None) -> Finding | None:
    if record is None:
        return None
    mitigation = record.get("mitigation")
    return Finding(
        kind=str(record["kind"]),
        message_zh=str(record["message_zh"]),
        message_en=str(record["message_en"]),
        due=_iso(record["due"]),
        occurred_at=_iso(record["occurred_at"]),
        working_days_late=_int(record["working_days_late"]),
        mitigation=None if mitigation is None or pd.isna(mitigation) else str(mitigation),
    )


class _Case:
    """One case's events, obligations and findings, with lookups by row number."""

    def __init__(self, result: Any, case_id: str) -> None:
        self.result = result
        self.profile = result.profile
        self.calendar = self.profile.calendar if self.profile is not None else None
        prep = result.events
        if prep is not None and len(prep):
            frame = prep.frame
            self.events = frame[frame["case_id"].astype(str) == case_id].reset_index(drop=True)
        else:
            self.events = pd.DataFrame({c: [] for c in ENGINE_COLUMNS})
        self.records = self.events.to_dict(orient="records")
        self.by_row = {int(r["row"]): i for i, r in enumerate(self.records)}
        owed, found = result.obligations, result.violations
        self.owed = owed[owed["case_id"].astype(str) == case_id] if len(owed) else owed
        self.found = found[found["case_id"].astype(str) == case_id] if len(found) else found

    def ref(self, row: Any) -> EventRef | None:
        index = self.by_row.get(int(row)) if row is not None else None
        return None if index is None else _event_ref(self.records[index])

    def rule_ref(self, rule_id: str, clause: Any, role: Any, party: Any, penalty: Penalty | None) -> RuleRef:
        rule = self.profile.rules_by_id.get(rule_id) if self.profile is not None else None
        return RuleRef(
            rule_id=rule_id,
            clause=str(clause),
            title_zh=getattr(rule, "title_zh", ""),
            summary_en=getattr(rule, "summary_en", ""),
            text_zh=" ".join(str(getattr(rule, "text_zh", "")).split()),
            document=getattr(rule, "document", None),
            responsible_role=None if role is None or pd.isna(role) else str(role),
            responsible_party=None if party is None or pd.isna(party) else str(party),
            penalty=penalty,
            citation_zh=(self.profile.spec.cite_zh(str(clause), getattr(rule, "document", None))
                         if self.profile is not None else cite_zh(str(clause))),
        )


def _extensions(case: _Case, rule: Any, trigger: EventRef, base_due_day: int) -> list[ExtensionRef]:
    extension = getattr(rule, "extension", None)
    if extension is None or case.events.empty:
        return []
    out = []
    trigger_ns = int(pd.Timestamp(trigger.time).value)
    for record in case.records:
        if record["event"] != extension.event.event:
            continue
        amount = record.get(extension.attribute)
        counted = int(record["time_ns"]) >= trigger_ns and int(record["day"]) <= base_due_day
        out.append(
            ExtensionRef(
                row=int(record["row"]),
                time=iso(int(record["time_ns"])) or "",
                days=0 if amount is None or pd.isna(amount) else int(amount),
                counted=counted,
            )
        )
    return out


def _obligation(case: _Case, record: dict[str, Any], finding: dict[str, Any] | None) -> ObligationExplanation:
    rows = list(record["evidence_rows"] or [])
    rule = case.profile.rules_by_id.get(record["rule_id"]) if case.profile is not None else None
    trigger = case.ref(rows[0]) if rows else None
    fulfilment = case.ref(rows[1]) if len(rows) > 1 and not pd.isna(record["fulfilled_at"]) else None
    if trigger is None and rows and not pd.isna(record["trigger_at"]):  # a result kept without its log
        trigger = _bare_ref(rows[0], getattr(getattr(rule, "trigger", None), "event", "?"), record["trigger_at"])
    if fulfilment is None and len(rows) > 1 and not pd.isna(record["fulfilled_at"]):
        fulfilment = _bare_ref(rows[1], _answering_event(rule), record["fulfilled_at"])
    role = record["obligor_role"]
    if finding is not None:
        party, penalty = (
            finding["responsible_party"],
            _penalty(case.profile, finding["penalty_clause"], finding["consequence"]),
        )
    else:
        upto = case.by_row.get(rows[0], 0) if rows else 0
        party = _party(case.profile, rule, role, case.events, upto)
        penalty = _penalty(case.profile, getattr(rule, "penalty", None))
    period = getattr(rule, "period", None)
    due_day = local_day_of(record["due"]) if not pd.isna(record["due"]) else None
    base_due_day, extension_days, extensions, reasons, weekend_days = due_day, 0, [], [], 0
    if trigger is not None and due_day is not None and period is not None and period.unit != "none":
        start_day = local_day_of(trigger.time)
        if case.calendar is not None and period.unit in ("working_days", "calendar_days"):
            step = case.calendar.wd_add if period.unit == "working_days" else case.calendar.cd_add
            base_due_day = int(step(int(start_day), int(period.days or 0)))
            extensions = _extensions(case, rule, trigger, base_due_day)
            if due_day > base_due_day:
                extension_days = int(case.calendar.wd_between(base_due_day, due_day))
        reasons = _reasons(case.calendar, start_day, due_day, period)
        weekend_days = _weekend_days(start_day, due_day, period)
    extension = getattr(rule, "extension", None)
    return ObligationExplanation(
        rule=case.rule_ref(record["rule_id"], record["clause"], role, party, penalty),
        trigger=trigger,
        fulfilment=fulfilment,
        period_unit=getattr(period, "unit", None),
        period_days=getattr(period, "days", None),
        due_attribute=getattr(rule, "due_attribute", None),
        due=_iso(record["due"]),
        base_due=iso(int(end_of_day_ns(base_due_day))) if base_due_day is not None else None,
        extension_days=extension_days,
        extension_cap=getattr(extension, "max_working_days", None),
        extensions=extensions,
        calendar=reasons,
        status=str(record["status"]),
        working_days_late=_int(record["working_days_late"]),
        finding=_finding(finding),
        weekend_days=weekend_days,
    )


def _act(case: _Case, record: dict[str, Any]) -> ActExplanation:
    evidence = [ref for ref in (case.ref(r) for r in record["evidence_rows"] or []) if ref is not None]
    rule = case.profile.rules_by_id.get(record["rule_id"]) if case.profile is not None else None
    reasons: list[DayReason] = []
    counted: dict[str, Any] = {}  # the period its due day was counted with, where one was
    due = record["due"]
    if rule is not None and not pd.isna(due) and case.calendar is not None:
        due_day = local_day_of(due)
        if rule.kind == "waiting":
            starts = [e for e in evidence if e.event == rule.trigger.event]
            if starts:
                start_day = local_day_of(starts[0].time)
                reasons = _reasons(case.calendar, start_day, due_day, rule.period)
                counted = {"weekend_days": _weekend_days(start_day, due_day, rule.period)}
        elif rule.kind == "lead_time":
            acts = [e for e in evidence if e.event == rule.act.event and rule.date_attribute in e.attributes]
            if acts:
                # the span a lead time counts: the working days after its due day and strictly before the
                # date (wd_sub_latest); the date itself is not counted, so it moves nothing
                planned_day = local_day_of(acts[0].attributes[rule.date_attribute])
                reasons = _reasons(case.calendar, due_day, planned_day - 1)
                counted = {"weekend_days": _weekend_days(due_day, planned_day - 1), "lead_time_mode": rule.mode,
                           "date_attribute": rule.date_attribute}
        if counted:
            counted.update(period_unit=rule.period.unit, period_days=rule.period.days)
    penalty = _penalty(case.profile, record["penalty_clause"], record["consequence"])
    return ActExplanation(
        rule=case.rule_ref(
            record["rule_id"],
            record["clause"],
            record["responsible_role"],
            record["responsible_party"],
            penalty,
        ),
        evidence=evidence,
        calendar=reasons,
        finding=_finding(record) or Finding("", "", "", None, None, None),
        **counted,
    )


def explain_case(result: Any, case_id: Any, lang: str = "en") -> CaseExplanation:
    """Everything behind the findings of one case; raises UnknownCaseError for a case not in the log."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}: use zh or en")
    case_id = str(case_id)
    case = _Case(result, case_id)
    rejected = [r for r in result.rejected_rows if r.get("case_id") == case_id]
    if case.events.empty and case.owed.empty and case.found.empty and not rejected:
        if result.events is None:
            # a result without its log (the Dask engine, several processes, keep_events=False) knows the
            # cases of its findings and obligations only: a quiet case may well be in the log
            raise UnknownCaseError(
                f"case {case_id!r} has no finding, obligation or rejected row in this result, which holds no "
                f"events (the Dask engine, several processes, or keep_events=False): whether the log has it "
                f"cannot be told. Check its rows in one process: profile.evaluate(log[log.case_id == ID])",
                zh=f"此结果中案件{case_id!r}没有违规、义务或被拒收的行；此结果不含事件（Dask 引擎、多进程或 "
                "keep_events=False），无法判断日志中是否有该案件。请在单个进程中检查其各行："
                "profile.evaluate(log[log.case_id == ID])")
        later = len(result.events.case_rows(case_id, result.as_of_ns)[0])
        if later:  # in the log, but nothing of it was checked
            raise UnknownCaseError(
                f"case {case_id!r} has {later} event(s) in the log, all after as_of {result.as_of}: "
                "none was checked (give a later --as-of)",
                zh=f"案件{case_id!r}在日志中有 {later} 个事件，都在 as_of {result.as_of} 之后：均未检查"
                "（请给出更晚的 --as-of）")
        raise UnknownCaseError(
            f"case {case_id!r} is not in the log checked for {result.jurisdiction} (as of {result.as_of})",
            zh=f"按{result.jurisdiction}检查的日志中没有案件{case_id!r}（截至 {result.as_of}）",
        )
    findings: dict[tuple[str, tuple[int, ...]], list[dict[str, Any]]] = {}
    for record in case.found.to_dict(orient="records"):
        key = (str(record["rule_id"]), tuple(sorted(int(r) for r in record["evidence_rows"] or [])))
        findings.setdefault(key, []).append(record)
    obligations = []
    for record in case.owed.to_dict(orient="records"):
        key = (str(record["rule_id"]), tuple(sorted(int(r) for r in record["evidence_rows"] or [])))
        matched = findings.get(key)
        finding = matched.pop(0) if matched and record["status"] in ("late", "overdue", "missing") else None
        obligations.append(_obligation(case, record, finding))
    acts = [_act(case, record) for records in findings.values() for record in records]
    order = np.argsort([a.finding.occurred_at or "" for a in acts], kind="stable")
    dues = [o.due for o in obligations] + [a.finding.due for a in acts]
    overdue = any(o.status == "overdue" for o in obligations) or any(a.finding.kind == "overdue" for a in acts)
    rule_ids = {o.rule.rule_id for o in obligations} | {a.rule.rule_id for a in acts}
    notes = case_notes(result, case_id, case.events, rule_ids, [local_day_of(due) for due in dues if due], overdue)
    explanation = CaseExplanation(
        case_id=case_id,
        jurisdiction=str(result.jurisdiction),
        as_of=result.as_of,
        lang=lang,
        events=[_event_ref(r) for r in case.records],
        obligations=obligations,
        acts=[acts[i] for i in order],
        rejected=rejected,
        notes=notes,
    )
    files = getattr(result, "files", ()) or ()
    explanation.files = [name for _, name, _ in files]
    _place(explanation, files)
    return explanation


def _refs(value: Any) -> list[EventRef | ExtensionRef]:
    """Every event an explanation names, wherever it names it (an approved extension is one too)."""
    if isinstance(value, (EventRef, ExtensionRef)):
        return [value]
    if dataclasses.is_dataclass(value):
        return [ref for f in dataclasses.fields(value) for ref in _refs(getattr(value, f.name))]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def _place(explanation: CaseExplanation, files: tuple[tuple[int, str, Any], ...]) -> None:
    """Give each event its file and line (``Result.files``: each file's last row and map of lines)."""
    from .io.lines import add_lines
    from .io.validate import sources_in, spans_of

    refs = _refs(explanation)
    if not refs or not files:
        return
    rows = [ref.row for ref in refs]
    placed = add_lines([{"row": row} for row in rows], spans_of(files))
    for ref, item, source in zip(refs, placed, sources_in(files, rows), strict=True):
        ref.line, ref.source = item["line"], source
