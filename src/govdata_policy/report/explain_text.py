"""Plain-text rendering of a case explanation (``CaseExplanation.to_text``), in zh or en."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..details import note_text
from ..reasons_zh import rejected_reason
from .i18n import check_lang, kind_label, line_label, place_label, role_label, status_label

if TYPE_CHECKING:
    from ..explain_model import (
        ActExplanation,
        CaseExplanation,
        DayReason,
        EventRef,
        ExtensionRef,
        ObligationExplanation,
        RuleRef,
    )

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

T: dict[str, dict[str, str]] = {
    "zh": {
        "case": "案件 {case}（{jurisdiction}，检查截止 {as_of}）",
        "events": "事件：",
        "rejected": "未检查的行（读取时被拒绝，本案结论不含这些行）：",
        "obligations": "义务：",
        "notes": "说明：",
        "acts": "发现的行为：",
        "no_obligations": "（本案无时限义务）",
        "row": "第 {row} 行",
        "clause": "{clause}",  # as its document names it (citation.py): 第二十九条第（三）项, 五（三）2
        "text": "条文：",
        "trigger": "触发：",
        "period": "期限：",
        "due": "到期：",
        "due_day": "{date}（当日 23:59:59 前）",
        "moved": "期间影响期限的日子：",
        "weekends_only": "期间没有节假日或调休，只跳过周末",
        "nothing_skipped": "期间没有节假日、调休或周末",
        "off": "休息",
        "work_weekend": "调休上班",
        "work": "工作日",
        "extension": "延期：",
        "ext_line": "{time} 批准延长 {days} 个工作日（{row}）{note}",
        "ext_not_counted": "，未计入（早于触发或晚于原到期日）",
        "ext_total": "原到期 {base}，延长 {days} 个工作日后到期 {due}（上限 {cap} 个工作日）",
        "fulfilled": "完成：",
        "not_fulfilled": "截至检查截止未见完成",
        "status": "状态：",
        "late_by": "，逾期 {n} 个工作日",
        "late_by_day_off": "，逾期不足 1 个工作日（期限届满后只有休息日）",
        "finding": "违规：",
        "none": "无",
        "responsible": "责任方：",
        "penalty": "罚则：",
        "mitigation": "容错：",
        "evidence": "证据：",
        "period_end": "期限届满：",
        "unit_working_days": "{n} 个工作日",
        "unit_calendar_days": "{n} 天（自然日，末日逢休息日顺延至下一工作日）",
        "unit_years": "{n} 年",
        "unit_none": "及时办理（无具体时限，只查是否办理）",
        "unit_attribute": "至 {attribute} 所载日期",
        "conclusion_found": "结论：{n} 项违规（{kinds}）",
        "conclusion_none": "结论：未发现违规（{why}）",
        "why_met": "{n} 项义务按期完成",
        "why_pending": "{n} 项义务未到期",
        "why_no_obligation": "本案事件未触发任何义务",
        "why_no_act": "未发现禁止、不符合要求或提前实施的行为",
        "why_outside": "有效期以外的结果未作为违规报告，见说明",
        "mitigated": "；其中 {n} 项有容错情形",
        "lead_at_least": "{attribute} 所载日期{date}前至少 {period}",
        "lead_at_most": "{attribute} 所载日期{date}前 {period}以内",
    },
    "en": {
        "case": "Case {case} ({jurisdiction}, as of {as_of})",
        "events": "Events:",
        "rejected": "Rows not checked (rejected when read; the findings below do not see them):",
        "obligations": "Obligations:",
        "notes": "Notes:",
        "acts": "Acts found:",
        "no_obligations": "(no obligation with a period in this case)",
        "row": "row {row}",
        "clause": "clause {clause}",
        "text": "Clause text: ",
        "trigger": "Trigger: ",
        "period": "Period: ",
        "due": "Due: ",
        "due_day": "end of {date} (23:59:59+08:00)",
        "moved": "Days that moved the due date:",
        "weekends_only": "no holiday or make-up working day in between: only weekends were skipped",
        "nothing_skipped": "no holiday, make-up working day or weekend in between",
        "off": "day off",
        "work_weekend": "make-up working day",
        "work": "working day",
        "extension": "Extension: ",
        "ext_line": "{days} extra working days approved {time} ({row}){note}",
        "ext_not_counted": ", not counted (before the trigger or after the original due day)",
        "ext_total": "original due {base}; {days} working days added, now due {due} (at most {cap})",
        "fulfilled": "Fulfilled: ",
        "not_fulfilled": "not done by the as-of time",
        "status": "Status: ",
        "late_by": ", {n} working day(s) late",
        "late_by_day_off": ", less than one working day late (only days off after the due day)",
        "finding": "Finding: ",
        "none": "none",
        "responsible": "Responsible: ",
        "penalty": "Penalty: ",
        "mitigation": "Mitigation: ",
        "evidence": "Evidence: ",
        "period_end": "Period ends: ",
        "unit_working_days": "{n} working days",
        "unit_calendar_days": "{n} calendar days (a last day that is a day off moves to the next working day)",
        "unit_years": "{n} years",
        "unit_none": "no set period (C4: checked for presence only)",
        "unit_attribute": "by the date given in {attribute}",
        "conclusion_found": "Conclusion: {n} finding(s) ({kinds})",
        "conclusion_none": "Conclusion: no finding ({why})",
        "why_met": "{n} obligation(s) met",
        "why_pending": "{n} obligation(s) pending",
        "why_no_obligation": "the case's events trigger no obligation",
        "why_no_act": "no prohibited, invalid or premature act",
        "why_outside": "findings outside a document's validity are not reported as violations: see the notes",
        "mitigated": "; {n} with a mitigation",
        "lead_at_least": "at least {period} before the date in {attribute}{date}",
        "lead_at_most": "within {period} before the date in {attribute}{date}",
    },
}


def _t(lang: str, key: str, **values: Any) -> str:
    text = T[lang][key]
    return text.format(**values) if values else text


def _time(value: str | None) -> str:
    """2024-04-26T09:00:00+08:00 -> 2024-04-26 09:00 (every time here is +08:00)."""
    return "" if not value else value[:16].replace("T", " ")


def _day(lang: str, value: str | None) -> str:
    return _t(lang, "due_day", date=value[:10]) if value else ""


def _event(lang: str, event: EventRef | None, several: bool = False) -> str:
    if event is None:
        return "—"
    gloss = (
        f"（{event.label_zh}）"
        if lang == "zh" and event.label_zh
        else (f" ({event.label_zh})" if event.label_zh else "")
    )
    if lang == "zh":
        return f"{event.event}{gloss}于 {_time(event.time)}，{_where(lang, event, several)}"
    return f"{event.event}{gloss} at {_time(event.time)}, {_where(lang, event, several)}"


def _where(lang: str, event: EventRef | ExtensionRef, several: bool = False) -> str:
    """The event's row number and, where its file has lines, the line or sheet row to go to:
    "第 13 行，文件第 14 行", "row 13, line 14"; ``several``: the log has several files, so the
    file is named too ("row 13, line 3 of b.csv"), as each sheet of a workbook read whole is."""
    row = _t(lang, "row", row=event.row)
    if event.line is None:
        return row
    # several files, or all sheets read as one log (--sheet '*'): a line is its own file's or sheet's, so the
    # file or sheet is named too
    place = place_label(lang, event.line, event.source, several)  # "文件第 14 行", "line 3 of b.csv"
    return f"{row}，{place}" if lang == "zh" else f"{row}, {place}"


def period_text(lang: str, unit: str | None, days: int | None, attribute: str | None = None) -> str:
    if attribute:
        return _t(lang, "unit_attribute", attribute=attribute)
    if unit is None:
        return "—"
    return _t(lang, f"unit_{unit}", n=days)


def reason_text(lang: str, reason: DayReason) -> str:
    weekday = WEEKDAYS[lang][reason.weekday]
    if reason.kind == "off":
        what = _t(lang, "off")
    else:
        what = _t(lang, "work_weekend") if reason.weekday >= 5 else _t(lang, "work")
    if lang == "zh":
        return f"{reason.date}（{weekday}）{what}：{reason.name}"
    return f"{reason.date} {weekday}  {what}: {reason.name}"


def _cited(lang: str, ref: Any) -> str:
    """A rule's clause (``RuleRef``) or a penalty item (``Penalty``): in Chinese as its document
    names it, in English the path."""
    return (ref.citation_zh or ref.clause or "") if lang == "zh" else (ref.clause or "")


def _rule_lines(lang: str, rule: RuleRef) -> list[str]:
    title = rule.title_zh if lang == "zh" else rule.summary_en
    lines = [f"[{_t(lang, 'clause', clause=_cited(lang, rule))}] {rule.rule_id} — {title}"]
    if rule.text_zh:
        lines.append(f"    {_t(lang, 'text')}「{rule.text_zh}」")
    return lines


def _tail(lang: str, rule: RuleRef, finding: Any) -> list[str]:
    lines = []
    if finding is not None:
        message = finding.message_zh if lang == "zh" else finding.message_en
        lines.append(f"    {_t(lang, 'finding')}{kind_label(lang, finding.kind)} — {message}")
        if finding.mitigation:
            lines.append(f"    {_t(lang, 'mitigation')}{finding.mitigation}")
    else:
        lines.append(f"    {_t(lang, 'finding')}{_t(lang, 'none')}")
    party = " ".join(x for x in (role_label(lang, rule.responsible_role), rule.responsible_party or "") if x)
    lines.append(f"    {_t(lang, 'responsible')}{party or '—'}")
    if rule.penalty is not None:
        penalty = rule.penalty
        text = ("：" if lang == "zh" else ": ").join(x for x in (_cited(lang, penalty), penalty.text_zh) if x)
        consequence = f" → {penalty.consequence}" if penalty.consequence else ""
        lines.append(f"    {_t(lang, 'penalty')}{text}{consequence}")
    return lines


def _calendar_lines(lang: str, reasons: list[DayReason], unit: str | None, weekend_days: int = 0) -> list[str]:
    if reasons:
        return [f"    {_t(lang, 'moved')}"] + [f"      {reason_text(lang, r)}" for r in reasons]
    if unit in ("working_days", "calendar_days"):
        said = "weekends_only" if weekend_days else "nothing_skipped"
        return [f"    {_t(lang, 'moved')} {_t(lang, said)}"]
    return []


def _obligation_lines(lang: str, item: ObligationExplanation, several: bool = False) -> list[str]:
    rule = item.rule
    lines = _rule_lines(lang, rule)
    lines.append(f"    {_t(lang, 'trigger')}{_event(lang, item.trigger, several)}")
    lines.append(_period_line(lang, rule, period_text(lang, item.period_unit, item.period_days, item.due_attribute)))
    if item.due:
        lines.append(f"    {_t(lang, 'due')}{_day(lang, item.due)}")
    lines += _calendar_lines(lang, item.calendar, item.period_unit, item.weekend_days)
    if item.extensions:
        for ext in item.extensions:
            note = "" if ext.counted else _t(lang, "ext_not_counted")
            lines.append(
                f"    {_t(lang, 'extension')}"
                + _t(
                    lang,
                    "ext_line",
                    days=ext.days,
                    time=_time(ext.time),
                    row=_where(lang, ext, several),
                    note=note,
                )
            )
        if item.extension_days:
            lines.append(
                "      "
                + _t(
                    lang,
                    "ext_total",
                    base=(item.base_due or "")[:10],
                    days=item.extension_days,
                    due=(item.due or "")[:10],
                    cap=item.extension_cap,
                )
            )
    done = _event(lang, item.fulfilment, several) if item.fulfilment is not None else _t(lang, "not_fulfilled")
    lines.append(f"    {_t(lang, 'fulfilled')}{done}")
    late = _t(lang, "late_by", n=item.working_days_late) if item.working_days_late else ""
    if item.working_days_late == 0 and item.status in ("late", "overdue"):  # not "逾期 0 个工作日"
        late = _t(lang, "late_by_day_off")
    lines.append(f"    {_t(lang, 'status')}{status_label(lang, item.status)}{late}")
    return lines + _tail(lang, rule, item.finding)


def _period_line(lang: str, rule: RuleRef, period: str) -> str:
    """期限：10 个工作日（第十八条第（二）项） / Period: 10 working days (clause 18.2)."""
    clause = _t(lang, "clause", clause=_cited(lang, rule))
    said = f"{period}（{clause}）" if lang == "zh" else f"{period} ({clause})"
    return f"    {_t(lang, 'period')}{said}"


def _act_lines(lang: str, item: ActExplanation, several: bool = False) -> list[str]:
    lines = _rule_lines(lang, item.rule)
    lines.append(f"    {_t(lang, 'status')}{kind_label(lang, item.finding.kind)}")
    for event in item.evidence:
        lines.append(f"    {_t(lang, 'evidence')}{_event(lang, event, several)}")
    if item.period_unit:  # a waiting period or a lead time: what its end or latest day was counted with
        period = period_text(lang, item.period_unit, item.period_days)
        if item.date_attribute:
            key = "lead_at_most" if item.lead_time_mode == "at_most" else "lead_at_least"
            dates = [str(e.attributes[item.date_attribute])[:10] for e in item.evidence
                     if item.date_attribute in e.attributes]
            date = (f"（{dates[0]}）" if lang == "zh" else f" ({dates[0]})") if dates else ""
            period = _t(lang, key, period=period, attribute=item.date_attribute, date=date)
        lines.append(_period_line(lang, item.rule, period))
    if item.finding.due:
        label = "period_end" if item.finding.kind == "premature" else "due"
        lines.append(f"    {_t(lang, label)}{_day(lang, item.finding.due)}")
    lines += _calendar_lines(lang, item.calendar, item.period_unit, item.weekend_days)
    return lines + _tail(lang, item.rule, item.finding)


def render_text(explanation: CaseExplanation, lang: str) -> str:
    check_lang(lang)
    e = explanation
    several = len(e.files) > 1
    lines = [_t(lang, "case", case=e.case_id, jurisdiction=e.jurisdiction, as_of=_time(e.as_of)), ""]
    if e.events:
        lines.append(_t(lang, "events"))
        for i, event in enumerate(e.events, start=1):
            attributes = ", ".join(f"{k}={v}" for k, v in event.attributes.items())
            row = _where(lang, event, several)
            row = f"（{row}）" if lang == "zh" else f"({row})"
            lines.append(
                f"  {i}. {_time(event.time)}  {event.event}  {event.label_zh}  {row}"
                f"{'  ' + attributes if attributes else ''}"
            )
        lines.append("")
    if e.rejected:
        lines.append(_t(lang, "rejected"))
        for item in e.rejected:
            row = _t(lang, "row", row=item["row"]) + line_label(lang, item)
            where = f" {item['source']}" if item.get("source") else ""
            lines.append(f"  {row}{where}: {rejected_reason(item, lang)}")
        lines.append("")
    if e.notes:  # before the obligations: "no obligation" of a case whose findings were set aside says why
        lines.append(_t(lang, "notes"))
        for note in e.notes:
            kind, message = note_text(note, lang)  # check's words, in Chinese as the zh reports say them
            lines.append(f"  （{kind}）{message}" if lang == "zh" else f"  ({kind}) {message}")
        lines.append("")
    lines.append(_t(lang, "obligations"))
    if not e.obligations:
        lines += [f"  {_t(lang, 'no_obligations')}", ""]
    for item in e.obligations:
        lines += ["  " + line for line in _obligation_lines(lang, item, several)] + [""]
    if e.acts:
        lines.append(_t(lang, "acts"))
        for act in e.acts:
            lines += ["  " + line for line in _act_lines(lang, act, several)] + [""]
    lines.append(_conclusion(lang, e))
    return "\n".join(lines).rstrip() + "\n"


def _conclusion(lang: str, e: CaseExplanation) -> str:
    """The case's verdict in one line, as check counts it: its findings by kind, or that it has none and
    why (its obligations met or not yet due, no act against a rule): a case with no finding said nothing
    of findings at all, and "no obligation" alone did not say its acts had been checked."""
    found = [o.finding for o in e.obligations if o.finding is not None] + [a.finding for a in e.acts]
    sep = "，" if lang == "zh" else ", "
    if found:
        kinds = [f.kind for f in found]
        counted = sep.join(f"{kind_label(lang, k)} {kinds.count(k)}" for k in dict.fromkeys(kinds))
        mitigated = sum(bool(f.mitigation) for f in found)
        if mitigated:
            counted += _t(lang, "mitigated", n=mitigated)
        return _t(lang, "conclusion_found", n=len(found), kinds=counted)
    statuses = [o.status for o in e.obligations]
    why = [_t(lang, f"why_{status}", n=statuses.count(status)) for status in ("met", "pending") if status in statuses]
    if any(note.get("kind") == "validity" for note in e.notes):  # set aside, not absent: say no more of its acts
        why.append(_t(lang, "why_outside"))
    else:
        why = (why or [_t(lang, "why_no_obligation")]) + [_t(lang, "why_no_act")]
    return _t(lang, "conclusion_none", why=sep.join(why))
