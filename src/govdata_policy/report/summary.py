"""The numbers both reports show, computed once from a ``Result``.

Everything here works on whole columns (groupby), so a log of millions of
events costs a few group-bys, not a Python loop per finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..timeutil import LOCAL_TZ
from .i18n import kind_label, role_label, status_label, topic_label, word

KIND_ORDER = ("late", "overdue", "missing", "premature", "prohibited", "invalid")
STATUS_ORDER = ("met", "late", "overdue", "pending", "missing")
RATE_STATUSES = ("met", "late", "overdue")


def clause_key(clause: Any) -> tuple[Any, ...]:
    """Natural order of clause paths: 9 < 18.2 < 29.3 < R.2.4.4."""
    text = str(clause or "")
    parts = re.findall(r"\d+|[^\d.]+", text)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


@dataclass
class Summary:
    lang: str
    jurisdiction: str
    jurisdiction_title: str
    as_of: str
    rows: dict[str, int]
    total_violations: int
    total_obligations: int
    cases: int
    cases_with_findings: int
    by_kind: list[dict[str, Any]] = field(default_factory=list)
    by_status: list[dict[str, Any]] = field(default_factory=list)
    by_clause: list[dict[str, Any]] = field(default_factory=list)
    by_party: list[dict[str, Any]] = field(default_factory=list)
    by_penalty: list[dict[str, Any]] = field(default_factory=list)
    on_time_by_month: list[dict[str, Any]] = field(default_factory=list)
    on_time_by_topic: list[dict[str, Any]] = field(default_factory=list)
    penalty_article: dict[str, str] = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)


def rule_attr(profile: Any, rule_id: str, name: str, default: Any = None) -> Any:
    rules = getattr(profile, "rules_by_id", None) or {}
    rule = rules.get(rule_id)
    return default if rule is None else getattr(rule, name, default)


def per_rule(profile: Any, rule_ids: pd.Series, name: str, default: Any = None) -> pd.Series:
    """A rule attribute for every row, looked up once per distinct rule."""
    lookup = {rid: rule_attr(profile, rid, name, rid if default is None else default) for rid in pd.unique(rule_ids)}
    return rule_ids.map(lookup).astype(object)


def clause_citer(profile: Any, lang: str) -> Callable[[Any, Any], str]:
    """(clause, document key) -> the clause as a reader of ``lang`` finds it: in Chinese as its
    document names it (第二十九条第（三）项, 五（三）2: ``citation.py``), in English the path (29.3)."""
    if lang != "zh" or profile is None:
        return lambda clause, document: str(clause)
    return lambda clause, document: profile.spec.cite_zh(str(clause), document)


def penalty_citer(profile: Any, lang: str) -> Callable[[Any], str]:
    """A penalty item (47.3, 7.4.2) as a reader of ``lang`` finds it (``clause_citer``)."""
    cite = clause_citer(profile, lang)
    document = profile.spec.penalties.document if profile is not None else None
    return lambda item: cite(item, document)


def _documents(frame: pd.DataFrame, profile: Any = None) -> pd.Series:
    """Each row's document key (which says how its clause is cited): the findings' own column,
    else (obligations) its rule's; None where unknown."""
    if "document" in frame.columns:
        return frame["document"].astype(object)
    if "rule_id" in frame.columns and profile is not None:
        return per_rule(profile, frame["rule_id"], "document", "")
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _cited_list(clauses: pd.Series, documents: pd.Series, cite: Callable[[Any, Any], str]) -> str:
    """The distinct clauses of a group in natural order, each cited as its document names it."""
    pairs = pd.DataFrame({"clause": clauses.astype(object), "document": documents.astype(object)})
    pairs = pairs[pairs["clause"].notna()].drop_duplicates("clause")
    return _cite_clauses(dict(zip(pairs["clause"].astype(str), (None if pd.isna(document) else document
                                                                for document in pairs["document"]), strict=True)),
                         cite)


def _cite_clauses(first_documents: dict[str, Any], cite: Callable[[Any, Any], str]) -> str:
    """Clauses, each with the document it first came under, in natural order, each cited as that
    document names it."""
    ordered = sorted(first_documents.items(), key=lambda pair: clause_key(pair[0]))
    return ", ".join(cite(clause, document) for clause, document in ordered)


def cited_column(result: Any, frame: pd.DataFrame, name: str, lang: str) -> list[str | None]:
    """A findings frame's ``clause`` or ``penalty_clause`` column as the reader finds it: in Chinese
    as each document names the place (第二十九条第（三）项, 五（三）2); JSON and CSV keep the path."""
    if name == "penalty_clause":
        cite_penalty = penalty_citer(result.profile, lang)
        items = {p: cite_penalty(p) for p in pd.unique(frame[name]) if isinstance(p, str)}
        return [items.get(p) for p in frame[name]]
    cite = clause_citer(result.profile, lang)
    documents = [d or None if isinstance(d, str) else None for d in _documents(frame, result.profile)]
    pairs = list(zip(frame[name].astype(str), documents, strict=True))
    cited = {pair: cite(*pair) for pair in set(pairs)}
    return [cited[pair] for pair in pairs]


def penalty_text(profile: Any, clause: Any) -> str:
    if profile is None or clause is None or (not isinstance(clause, str) and pd.isna(clause)):
        return ""
    item = profile.spec.penalties.items.get(str(clause))
    return item.text_zh if item is not None else ""


def jurisdiction_title(result: Any, lang: str) -> str:
    profile = result.profile
    if profile is None:
        return str(result.jurisdiction)
    title = profile.spec.title_zh if lang == "zh" else profile.spec.title_en
    return f"{title} ({result.jurisdiction})"


def _ordered_counts(values: pd.Series, order: tuple[str, ...]) -> list[tuple[str, int]]:
    counts = values.value_counts()
    known = [(name, int(counts.get(name, 0))) for name in order]
    extra = sorted((str(k), int(v)) for k, v in counts.items() if k not in order)
    return known + extra


def _joined(values: pd.Series, lang: str = "zh", cite: Callable[[Any], str] = str) -> str:
    return _join_distinct(values.dropna().tolist(), lang, cite)


def _join_distinct(values: list[Any], lang: str = "zh", cite: Callable[[Any], str] = str) -> str:
    """The distinct values in the order they first come, each as ``cite`` gives it, the empty left out."""
    seen = [cite(v) for v in dict.fromkeys(values) if str(v)]
    return ("；" if lang == "zh" else "; ").join(seen)


def _by_clause(result: Any, lang: str) -> list[dict[str, Any]]:
    frame = result.violations
    if frame.empty:
        return []
    profile = result.profile
    title_name = "title_zh" if lang == "zh" else "summary_en"
    titles = per_rule(profile, frame["rule_id"], title_name)
    work = pd.DataFrame(
        {
            "clause": frame["clause"].astype(object),
            "kind": frame["kind"].astype(object),
            "title": titles,
            "penalty": frame["penalty_clause"].astype(object),
            "consequence": frame["consequence"].astype(object),
            "document": _documents(frame),
        }
    )
    cite, cite_penalty = clause_citer(profile, lang), penalty_citer(profile, lang)
    rows = []
    for clause, group in work.groupby("clause", sort=False, dropna=False):
        kinds = group["kind"].value_counts()
        document = group["document"].iloc[0]
        rows.append(
            {
                "clause": str(clause),
                "cited": cite(clause, None if pd.isna(document) else document),
                "title": _joined(group["title"], lang),
                "count": len(group),
                "kinds": {str(k): int(v) for k, v in kinds.items()},
                "kinds_text": ("，" if lang == "zh" else ", ").join(
                    f"{kind_label(lang, str(k))} {int(v)}" for k, v in kinds.items()
                ),
                "penalty": _joined(group["penalty"], cite=cite_penalty),
                "consequence": _joined(group["consequence"]),
            }
        )
    return sorted(rows, key=lambda r: clause_key(r["clause"]))


def _by_party(result: Any, lang: str) -> list[dict[str, Any]]:
    frame = result.violations
    if frame.empty:
        return []
    party = (
        frame["responsible_party"].astype(object).where(frame["responsible_party"].notna(), word(lang, "party_unknown"))
    )
    work = pd.DataFrame(
        {
            "party": party,
            "role": frame["responsible_role"].astype(object),
            "clause": frame["clause"].astype(object),
            "consequence": frame["consequence"].astype(object),
            "document": _documents(frame),
        }
    )
    cite = clause_citer(result.profile, lang)
    # issue 5: 500 parties' groups through pandas took 4 s of a 1M-event log's report. Each (party, role)
    # counted over all rows, in the order the parties first come (the sort below keeps it among equals);
    # its clauses (the first document of each) and consequences read off the distinct rows
    keys = list(zip(work["party"], (None if _missing(role) else role for role in work["role"]), strict=True))
    counts = Counter(keys)
    clauses: dict[tuple[Any, Any], dict[str, Any]] = {key: {} for key in counts}
    consequences: dict[tuple[Any, Any], list[Any]] = {key: [] for key in counts}
    for name, role, clause, consequence, document in work.drop_duplicates().itertuples(index=False, name=None):
        key = (name, None if _missing(role) else role)
        if not _missing(clause):
            clauses[key].setdefault(str(clause), None if _missing(document) else document)
        if not _missing(consequence):
            consequences[key].append(consequence)
    rows = []
    for (name, role), count in counts.items():
        rows.append(
            {
                "party": str(name),
                "role": role_label(lang, None if role is None else str(role)),
                "count": count,
                "clauses": _cite_clauses(clauses[(name, role)], cite),
                "consequence": _join_distinct(consequences[(name, role)]),
            }
        )
    return sorted(rows, key=lambda r: (-r["count"], r["party"]))


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | list | tuple) and bool(pd.isna(value)))


def _by_penalty(result: Any, lang: str) -> list[dict[str, Any]]:
    frame = result.violations
    if frame.empty:
        return []
    work = pd.DataFrame(
        {
            "penalty": frame["penalty_clause"].astype(object),
            "consequence": frame["consequence"].astype(object),
            "clause": frame["clause"].astype(object),
            "document": _documents(frame),
        }
    )
    cite, cite_penalty = clause_citer(result.profile, lang), penalty_citer(result.profile, lang)
    rows = []
    for (item, consequence), group in work.groupby(["penalty", "consequence"], sort=False, dropna=False):
        missing = _missing(item)
        rows.append(
            {
                "item": word(lang, "no_penalty") if missing else str(item),
                "cited": word(lang, "no_penalty") if missing else cite_penalty(item),
                "text": "" if missing else penalty_text(result.profile, item),
                "consequence": "" if _missing(consequence) else str(consequence),
                "count": len(group),
                "clauses": _cited_list(group["clause"], group["document"], cite),
            }
        )
    return sorted(rows, key=lambda r: clause_key(r["item"]))


def _rates(frame: pd.DataFrame, key: str, label: Any) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    table = pd.crosstab(frame[key], frame["status"])
    rows = []
    for name, counts in table.iterrows():
        met, late, overdue = (int(counts.get(s, 0)) for s in RATE_STATUSES)
        total = met + late + overdue
        rows.append(
            {
                "key": str(name),
                "label": label(name),
                "met": met,
                "late": late,
                "overdue": overdue,
                "total": total,
                "rate": (met / total) if total else None,
            }
        )
    return rows


def on_time(result: Any, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """On-time rates of the obligations that fell due: by month of the due date, and by process."""
    owed = result.obligations
    if owed.empty:
        return [], []
    # only obligations that had a due date: a presence-only duty (C4) met is no "on time" (both
    # breakdowns count the same obligations; by process counted the C4 ones as met)
    decided = owed[owed["status"].isin(RATE_STATUSES) & owed["due"].notna()]
    if decided.empty:
        return [], []
    due = decided["due"]
    if isinstance(due.dtype, pd.DatetimeTZDtype):
        due = due.dt.tz_convert(LOCAL_TZ)
    # "YYYY-MM" made once per distinct month (issue 5: strftime of a 1M-event log's obligations, 0.5 s)
    year_month = due.dt.year.to_numpy(dtype=np.int64) * 100 + due.dt.month.to_numpy(dtype=np.int64)
    distinct, which = np.unique(year_month, return_inverse=True)
    months = pd.Series(np.array([f"{v // 100:04d}-{v % 100:02d}" for v in distinct], dtype=object)[which])
    topics = per_rule(result.profile, decided["rule_id"], "topic", "")
    frame = pd.DataFrame(
        {"month": months.to_numpy(), "topic": topics.to_numpy(), "status": decided["status"].to_numpy()}
    )
    by_month = sorted(_rates(frame, "month", str), key=lambda r: r["key"])
    by_topic = sorted(_rates(frame, "topic", lambda t: topic_label(lang, t)), key=lambda r: r["label"])
    return by_month, by_topic


def _distinct_cases(columns: list[Any]) -> int:
    """The case ids of the log, its obligations and its findings, counted once (issue 5: by Arrow;
    a set of 600,000 Python strings from Arrow text took 1.5 s of a 1M-event log's report)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for column in columns:
        if column is None or not len(column):
            continue
        array = column if isinstance(column, pa.Array | pa.ChunkedArray) else pa.array(column, from_pandas=True)
        chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        parts += [pc.cast(chunk, pa.large_string()) for chunk in chunks]
    if not parts:
        return 0
    return int(pc.count_distinct(pa.chunked_array(parts, pa.large_string())).as_py())


def summarise(result: Any, lang: str) -> Summary:
    violations = result.violations
    owed = result.obligations
    events = result.events
    with_findings = pd.unique(violations["case_id"]) if not violations.empty else []
    # without the log (a Dask result) the findings and obligations miss the quiet cases: the count made
    # where the log was is the total
    if events is None and result.case_count is not None:
        cases = result.case_count
    else:
        cases = _distinct_cases([events.column("case_id") if events is not None and len(events) else None,
                                 owed["case_id"] if not owed.empty else None, with_findings])
    by_month, by_topic = on_time(result, lang)
    article: dict[str, str] = {}
    if result.profile is not None:
        penalties = result.profile.spec.penalties
        article = {
            "article": penalty_citer(result.profile, lang)(penalties.article),
            "text": penalties.text_zh,
            "consequence": penalties.consequence,
            "escalation": _not_quoted(penalties.escalation_zh or "", penalties.text_zh),
        }
    return Summary(
        lang=lang,
        jurisdiction=str(result.jurisdiction),
        jurisdiction_title=jurisdiction_title(result, lang),
        as_of=result.as_of,
        rows=dict(result.rows),
        total_violations=len(violations),
        total_obligations=len(owed),
        cases=cases,
        cases_with_findings=len(with_findings),
        by_kind=[
            {"kind": k, "label": kind_label(lang, k), "count": n}
            for k, n in _ordered_counts(violations["kind"].astype(object), KIND_ORDER)
        ],
        by_status=[
            {"status": s, "label": status_label(lang, s), "count": n}
            for s, n in _ordered_counts(owed["status"].astype(object), STATUS_ORDER)
        ],
        by_clause=_by_clause(result, lang),
        by_party=_by_party(result, lang),
        by_penalty=_by_penalty(result, lang),
        on_time_by_month=by_month,
        on_time_by_topic=by_topic,
        penalty_article=article,
        notes=list(result.notes),
    )


_PUNCTUATION = re.compile(r"[\s,，;；。、]")


def _not_quoted(escalation: str, text: str) -> str:
    """The article's escalation, unless its quoted text already says it (every bundled profile quotes
    its article whole: said again after it, the escalation was read twice)."""
    bare = _PUNCTUATION.sub("", escalation)
    return "" if not bare or bare in _PUNCTUATION.sub("", text) else escalation
