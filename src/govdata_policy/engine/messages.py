"""Finding messages in Chinese and English, built on whole columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..timeutil import iso
from ..vocabulary import EVENTS


def _text(values: pd.Series, fmt: str) -> pd.Series:
    return values.dt.strftime(fmt).astype(object).where(values.notna(), "")


def build_messages(
    out: pd.DataFrame, per_rule: dict[str, Any], detail: pd.Series, event_names: np.ndarray, ctx: Any
) -> tuple[np.ndarray, np.ndarray]:
    n = len(out)
    due = _text(out["due"], "%Y-%m-%d")
    occurred = _text(out["occurred_at"], "%Y-%m-%d %H:%M")
    late = out["working_days_late"].astype("string").fillna("0").astype(object)
    as_of = (iso(ctx.as_of_ns) or "")[:10]
    rule_ids = out["rule_id"].to_numpy(dtype=object)
    title = pd.Series([per_rule[r].title_zh for r in rule_ids], dtype=object)
    summary = pd.Series([per_rule[r].summary_en for r in rule_ids], dtype=object)
    clause = out["clause"].astype(object)
    gloss = pd.Series([EVENTS.get(e, e) for e in event_names], dtype=object)
    event = pd.Series(event_names, dtype=object)
    detail_text = pd.Series(detail.to_numpy(dtype=object), dtype=object).fillna("")
    kind = out["kind"].to_numpy(dtype=object)

    head_zh = "第" + clause + "条（" + title + "）："
    head_en = "Clause " + clause + " (" + summary.str.rstrip(".") + "): "
    zh = pd.Series([""] * n, dtype=object)
    en = pd.Series([""] * n, dtype=object)
    cases = {
        "late": (
            "应于" + due + "前完成，实际于" + occurred + "完成，逾期" + late + "个工作日",
            "due by the end of " + due + ", done " + occurred + ", " + late + " working day(s) late",
        ),
        "overdue": (
            "应于" + due + "前完成，截至" + as_of + "仍未完成，已逾期" + late + "个工作日",
            "due by the end of " + due + ", still not done on " + as_of + ", " + late + " working day(s) overdue",
        ),
        "missing": (
            pd.Series(["应及时办理（无具体时限），截至" + as_of + "未见记录"] * n, dtype=object),
            pd.Series(["required without a set period (C4), no record by " + as_of] * n, dtype=object),
        ),
        "premature": (
            gloss + "于" + occurred + "实施，早于期限届满（" + due + "）或缺少前置环节",
            event + " at " + occurred + " came before the period ended (" + due + ") or without its prior step",
        ),
        "prohibited": (
            occurred + "发生禁止或未经许可的行为：" + gloss,
            "forbidden or unapproved act at " + occurred + ": " + event,
        ),
        "invalid": (
            occurred + "的" + gloss + "不符合要求（" + detail_text + "）",
            event + " at " + occurred + " is not valid (" + detail_text + ")",
        ),
    }
    for name, (text_zh, text_en) in cases.items():
        mine = kind == name
        if mine.any():
            zh[mine] = (head_zh + text_zh)[mine]
            en[mine] = (head_en + text_en)[mine]
    return zh.to_numpy(dtype=object), en.to_numpy(dtype=object)
