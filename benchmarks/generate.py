"""Realistic event logs in the contract vocabulary, derived from a jurisdiction's rules.

    python benchmarks/generate.py -j guangxi xinjiang --sizes 100k 1m --formats csv parquet

writes ``benchmarks/data/<jurisdiction>_<size>.csv`` / ``.parquet`` (git-ignored).

What the log contains is read off the profile's rules, so a rule added by a
rule writer shows up in the next benchmark without touching this file:

* processes: every event a rule names (trigger, fulfil, act, requires, since,
  extension) belongs to a process (share, quality, catalog, catalog offline,
  resource offline, open data, public objection, security, data use, conduct,
  rectification, log deletion); a process's steps are its events in vocabulary
  order, which is the order the contract lists the lifecycle in;
* timing: a step that fulfils a deadline follows its trigger by a delay drawn
  inside the period, except a share that is late (``LATE_SHARE``) or never
  happens (``MISSING_SHARE``); a waiting period is mostly respected; lead times,
  retention periods and ``rectify_by`` dates are set around their rule's period;
* attributes: every attribute a condition tests gets all its allowed values
  (all categories, all levels, both outcomes, yes/no/blank flags), with the
  tested values favoured; required attributes are mostly present; IDs mostly
  carry a valid check digit;
* time: cases start across 2022-01-01 .. 2026-06-30 (crossing every Spring
  Festival and Golden Week), mostly in office hours on working days; for a
  profile whose document has a validity window (Xinjiang's trial measures)
  most cases start inside it;
* dirt: a few rows per ten thousand are unreadable (no case id, an unknown
  event word, an impossible time) and a few are exact duplicates.

Everything is numpy/Arrow on whole columns: 10M rows take about a minute.
The seed is fixed, so a size always gives the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govdata_policy import load_jurisdiction
from govdata_policy.vocabulary import (
    BOOL_ATTRIBUTES,
    EVENTS,
    INT_ATTRIBUTES,
    LEVELS,
    ROLES,
    TIME_ATTRIBUTES,
    allowed_values,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
SEED = 20240630

FIRST_START = dt.date(2022, 1, 1)
LAST_START = dt.date(2026, 6, 30)
INSIDE_VALIDITY = 0.85  # share of cases starting inside a document's validity window, when it has one

LATE_SHARE = 0.08  # a fulfilment after its period
MISSING_SHARE = 0.06  # a fulfilment that never comes
PREMATURE_SHARE = 0.06  # an act before its waiting period ends
FLAG_TRUE = 0.15  # a yes/no attribute's "yes"
FLAG_BLANK = 0.25  # ... and its blank
REQUIRED_ABSENT = 0.05  # a required attribute left empty
BAD_ID_SHARE = 0.04  # an ID with a wrong check digit
BAD_ROW_SHARE = 1e-4  # unreadable rows
DUPLICATE_SHARE = 2e-4  # exact duplicate rows
OFF_HOURS = 0.04  # events at any hour (night, weekend, holiday work)

NS = 10**9
DAY_NS = 86_400 * NS
OFFSET_NS = 8 * 3600 * NS
EPOCH = dt.date(1970, 1, 1)

# How common each process is on an exchange platform (normalised over the processes a profile has).
PROCESS_WEIGHT = {
    "share": 0.52, "quality": 0.07, "catalog": 0.08, "catalog_offline": 0.02, "resource": 0.03,
    "open": 0.07, "objection": 0.05, "security": 0.02, "data": 0.04, "conduct": 0.06,
    "rectification": 0.03, "log": 0.01,
}
PROCESS_CODE = {
    "share": "SQ", "quality": "ZL", "catalog": "ML", "catalog_offline": "MX", "resource": "ZX", "open": "KF",
    "objection": "YY", "security": "AQ", "data": "SY", "conduct": "JG", "rectification": "ZG", "log": "RZ",
}
# How often a step that is not the first happens at all, when the rules do not decide it
# (side branches are rare; conduct findings are rarer still).
STEP_RATE = {
    "share.paper_demanded": 0.01, "share.offline_mode_used": 0.02, "share.suspended": 0.03,
    "share.suspension_reported": 0.9, "quality.extension_approved": 0.2,
    "resource.replacement_available": 0.5, "share.usage_reported": 0.9, "catalog.published": 0.8,
}
DEFAULT_STEP_RATE = 0.93
UNRULED_STEP_RATE = 0.1  # a fulfilment no rule asks for in this case (a filing nobody required)
BAD_ACT_RATE = 0.05  # an act whose precondition is unmet

CITIES = {
    "guangxi": ("自治区", "南宁市", "柳州市", "桂林市", "梧州市", "北海市", "玉林市", "百色市"),
    "yongzhou": ("永州市", "零陵区", "冷水滩区", "祁阳市", "东安县", "双牌县", "道县", "江永县"),
    "xinjiang": ("自治区", "乌鲁木齐市", "克拉玛依市", "吐鲁番市", "哈密市", "昌吉回族自治州", "伊犁哈萨克自治州"),
    "xinzhou": ("忻州市", "忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县"),
}
AGENCIES = (
    "公安局", "人力资源和社会保障局", "市场监督管理局", "民政局", "自然资源局", "住房和城乡建设局", "卫生健康委员会",
    "教育局", "税务局", "医疗保障局", "交通运输局", "生态环境局", "农业农村局", "司法局", "财政局", "统计局",
)
RESOURCES = (
    "人口基础信息", "法人单位基础信息", "不动产登记信息", "社会保险参保信息", "婚姻登记信息", "企业注册登记信息",
    "医保结算信息", "学籍信息", "车辆登记信息", "低保救助信息", "公积金缴存信息", "营业执照信息", "出生医学证明信息",
)
TEXTS = {
    "reason": ("涉及个人隐私", "数据尚未治理完成", "超出申请部门职责范围", "依法不予共享", "数据质量待核实"),
    "legal_basis": ("《中华人民共和国数据安全法》第三十八条", "《中华人民共和国个人信息保护法》第三十四条",
                    "《政务信息资源共享管理暂行办法》第九条", "《中华人民共和国保守国家秘密法》第二条"),
    "conditions": ("仅限本部门履职使用", "需签订数据安全协议", "按季度更新使用情况", "脱敏后提供"),
    "scenario": ("惠企政策兑现", "社会救助资格核验", "一网通办材料免提交", "不动产登记联办", "人才引进审核"),
    "purpose": ("业务核验", "统计分析", "行政审批", "监督执法"),
    "cause": ("法律法规修订", "部门职能调整", "数据项变更"),
    "filing_for": ("不予共享申请", "跨层级共享", "线下共享"),
}
CASE_PREFIX = {"guangxi": "GX", "yongzhou": "YZ", "xinjiang": "XJ", "xinzhou": "XZ"}
ROLE_OF_PARTY_ATTRIBUTE = {"requester": "requester", "provider": "provider"}


# --- the plan: processes and steps read off the rules -------------------------------------


@dataclass
class Link:
    """How a step's time follows an earlier step (its anchor)."""

    anchor: int | None  # index of the anchor step; None for the first step
    kind: str  # "deadline" | "waiting" | "due_attribute" | "free"
    unit: str = "none"  # period unit of the rule linking them
    days: int = 0


@dataclass
class Step:
    event: str
    rate: float
    link: Link
    role: str  # actor_role of the step
    attributes: list[str] = field(default_factory=list)  # attributes carried by this step
    gated_by: list[Any] = field(default_factory=list)  # deadline rules whose trigger makes this step due
    precondition: list[Any] = field(default_factory=list)  # precondition rules acting on this step


@dataclass
class Process:
    name: str
    weight: float
    steps: list[Step]


def process_of(event: str) -> str:
    prefix = event.split(".", 1)[0]
    if event.startswith("catalog.offline_"):
        return "catalog_offline"
    if event in ("conduct.rectification_ordered", "conduct.rectified"):
        return "rectification"
    if event == "conduct.log_deleted":
        return "log"
    return prefix


def _matches(rule: Any) -> list[tuple[str, Any]]:
    """(role of the match in the rule, EventMatch) for every event a rule names."""
    found = []
    for name in ("trigger", "fulfil", "act", "requires", "since"):
        match = getattr(rule, name, None)
        if match is not None:
            found.append((name, match))
    extension = getattr(rule, "extension", None)
    if extension is not None:
        found.append(("extension", extension.event))
    return found


def build_plan(profile: Any) -> list[Process]:
    """The processes a profile's rules describe, each a list of steps in vocabulary order."""
    rules = list(profile.rules)
    events: set[str] = set()
    for rule in rules:
        events.update(m.event for _, m in _matches(rule) if m.event != "*")
    order = {name: i for i, name in enumerate(EVENTS)}
    by_process: dict[str, list[str]] = {}
    for event in sorted(events, key=order.__getitem__):
        by_process.setdefault(process_of(event), []).append(event)
    for names in by_process.values():
        _respect_rules(names, rules)
    # conduct acts are independent findings, one per case: each its own one-step process
    processes: list[Process] = []
    conduct = by_process.pop("conduct", [])
    for name, names in by_process.items():
        processes.append(Process(name, PROCESS_WEIGHT.get(name, 0.02), _steps(names, rules)))
    for event in conduct:
        processes.append(Process(f"conduct:{event}", PROCESS_WEIGHT["conduct"] / len(conduct), _steps([event], rules)))
    total = sum(p.weight for p in processes)
    for p in processes:
        p.weight /= total
    return processes


def _respect_rules(names: list[str], rules: list[Any]) -> None:
    """Vocabulary order, except that what a rule puts after an event comes after it.

    Xinzhou notifies users after a resource goes offline, Guangxi before: the
    deadline (trigger -> fulfil) and waiting (trigger -> act) rules say which.
    """
    pairs = []
    for rule in rules:
        if rule.kind == "deadline":
            pairs.append((rule.trigger.event, rule.fulfil.event))
        elif rule.kind == "waiting":
            pairs.append((rule.trigger.event, rule.act.event))
        elif rule.kind == "precondition":
            pairs.append((rule.requires.event, rule.act.event))
    for _ in range(len(names) * len(pairs) + 1):
        moved = False
        for before, after in pairs:
            if before in names and after in names and names.index(after) < names.index(before):
                names.remove(after)
                names.insert(names.index(before) + 1, after)
                moved = True
        if not moved:
            return


def _steps(names: list[str], rules: list[Any]) -> list[Step]:
    steps: list[Step] = []
    index = {name: i for i, name in enumerate(names)}
    for i, event in enumerate(names):
        link = Link(None, "free") if i == 0 else Link(i - 1, "free")
        gated: list[Any] = []
        pre: list[Any] = []
        role = None
        attributes: list[str] = []
        only_prohibited = True
        for rule in rules:
            for part, match in _matches(rule):
                if match.event != event:
                    continue
                attributes.extend(match.when)
                if rule.kind != "prohibited":
                    only_prohibited = False
                if part in ("fulfil", "act") and role is None:
                    role = rule.obligor_role
                if part == "act" and rule.kind == "precondition":
                    pre.append(rule)
                if part == "act" and rule.kind in ("required", "lead_time", "retention"):
                    attributes.extend(_required_attributes(rule))
                anchor = _anchor_of(rule, part, index, i)
                if anchor is None:
                    continue
                kind, unit, days = _timing(rule)
                # the tightest rule decides the timing; deadlines before free links
                if link.kind == "free" or (kind != "free" and days < link.days):
                    link = Link(anchor, kind, unit, days)
                if kind in ("deadline", "due_attribute"):
                    gated.append(rule)
                    if rule.due_attribute:
                        steps[anchor].attributes.append(rule.due_attribute)
            if rule.kind == "deadline" and rule.trigger.event == event:
                only_prohibited = False
        if i == 0:
            rate = 1.0
        elif event in STEP_RATE:
            rate = STEP_RATE[event]
        elif only_prohibited:
            rate = 0.02
        else:
            rate = DEFAULT_STEP_RATE
        role = role if role in ROLES else "department"  # obligor "actor": whoever acted
        steps.append(Step(event, rate, link, role, list(dict.fromkeys(attributes)), gated, pre))
    # what the case knows (case_when) and who acts are set on the first step
    first = steps[0]
    for rule in rules:
        if any(m.event in index for _, m in _matches(rule)):
            for _, match in _matches(rule):
                first.attributes.extend(match.case_when)
    first.attributes.extend(_descriptive(names[0]))
    first.attributes = list(dict.fromkeys(first.attributes))
    return steps


def _anchor_of(rule: Any, part: str, index: dict[str, int], here: int) -> int | None:
    """The earlier step a rule ties this step's time to."""
    source = None
    if rule.kind == "deadline" and part == "fulfil":
        source = rule.trigger.event
    elif rule.kind == "waiting" and part == "act":
        source = rule.trigger.event
    if source is None or source not in index or index[source] >= here:
        return None
    return index[source]


def _timing(rule: Any) -> tuple[str, str, int]:
    if rule.kind == "deadline" and rule.due_attribute:
        return "due_attribute", "calendar_days", 0
    period = rule.period
    kind = "deadline" if rule.kind == "deadline" else "waiting"
    if period is None or period.unit == "none":
        return kind, "none", 10**6 if kind == "waiting" else 10**5
    return kind, period.unit, int(period.days or 0)


def _required_attributes(rule: Any) -> list[str]:
    if rule.kind == "lead_time":
        return [rule.date_attribute]
    if rule.kind == "retention":
        return [rule.created_attribute]
    need = rule.require
    names = list(need.all_present or need.any_present or [])
    names += list((need.maximum or {}).keys()) + list((need.valid_format or {}).keys())
    return names


def _descriptive(first_event: str) -> list[str]:
    if first_event.startswith(("share.", "open.")):
        return ["requester", "provider", "resource", "purpose", "subject_id"]
    if first_event.startswith(("catalog.", "resource.", "quality.", "data.")):
        return ["provider", "resource"]
    return []


# --- values ---------------------------------------------------------------------------------


class Pools:
    """Every text column is int32 codes into one pool of words per column (code 0 = empty)."""

    def __init__(self) -> None:
        self.words: dict[str, list[str | None]] = {}
        self.index: dict[str, dict[str | None, int]] = {}

    def codes(self, column: str, values: Sequence[str]) -> np.ndarray:
        words = self.words.setdefault(column, [None])
        index = self.index.setdefault(column, {None: 0})
        out = []
        for value in values:
            if value not in index:
                index[value] = len(words)
                words.append(value)
            out.append(index[value])
        return np.asarray(out, dtype=np.int32)

    def array(self, column: str, codes: np.ndarray) -> pa.Array:
        """Dictionary-encoded: the CSV writer takes it as is, the Parquet writer gets it decoded."""
        words = pa.array(self.words.get(column, [None]), pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), words)


def _conditions(rules: Iterable[Any]) -> dict[tuple[str, str], list[Any]]:
    """Values conditions test, by (event, attribute); event '' for case_when."""
    tested: dict[tuple[str, str], list[Any]] = {}
    for rule in rules:
        for _, match in _matches(rule):
            for attribute, cond in match.when.items():
                tested.setdefault((match.event, attribute), []).extend(cond.values())
            for attribute, cond in match.case_when.items():
                tested.setdefault(("", attribute), []).extend(cond.values())
    return tested


OUTCOME_PAIRS = {"pass": "reject", "reject": "pass", "approved": "refused", "refused": "approved"}


def _choices(event: str, attribute: str, tested: dict[tuple[str, str], list[Any]]) -> tuple[list[str], np.ndarray]:
    """Values and weights for an enumerated attribute on an event: all allowed, tested ones favoured."""
    wanted = [str(v) for v in tested.get((event, attribute), []) + tested.get(("", attribute), [])
              if isinstance(v, str)]
    if attribute == "outcome":
        review = "pass" if event == "share.compliance_reviewed" else "approved"
        good = review if review in wanted or not wanted else wanted[0]
        if good in ("reject", "refused"):
            good = OUTCOME_PAIRS[good]
        return [good, OUTCOME_PAIRS[good]], np.array([0.86, 0.14])
    allowed = list(allowed_values(attribute, event or None) or [])
    if attribute in ("requester_level", "provider_level"):
        allowed = list(LEVELS)
    if not allowed:
        allowed = sorted(set(wanted))
    weights = np.array([2.0 if v in wanted else 1.0 for v in allowed])
    return allowed, weights / weights.sum()


def _id_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Resident ID numbers (GB 11643) and unified social credit codes (GB 32100), a few broken."""
    from govdata_policy.engine.formats import ID_CHECK, ID_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS

    out = np.empty(n, dtype=object)
    person = rng.random(n) < 0.6
    k = int(person.sum())
    if k:
        area = rng.choice([110101, 450102, 431102, 650102, 140902], size=k)
        birth = rng.integers(19500101, 20051228, size=k)
        birth = birth - birth % 100 + np.clip(birth % 100, 1, 28)
        birth = birth - (birth // 100 % 100) * 100 + np.clip(birth // 100 % 100, 1, 12) * 100
        seq = rng.integers(0, 1000, size=k)
        body = np.char.add(np.char.add(area.astype("U6"), birth.astype("U8")), np.char.zfill(seq.astype("U3"), 3))
        digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(k, 17) - ord("0")
        check = ID_CHECK[(digits.astype(np.int64) @ ID_WEIGHTS) % 11]
        out[person] = np.char.add(body, check.view("S1").astype("U1"))
    m = n - k
    if m:
        charset = np.frombuffer(USCC_CHARSET, dtype=np.uint8)
        codes = rng.integers(0, 31, size=(m, 17))
        codes[:, 0] = rng.choice([1, 9], size=m)  # 机关 / 工商
        check = (31 - (codes @ USCC_WEIGHTS) % 31) % 31
        chars = charset[np.column_stack([codes, check])]
        out[~person] = np.frombuffer(chars.tobytes(), dtype="S18").astype("U18")
    bad = rng.random(n) < BAD_ID_SHARE
    if bad.any():
        out[bad] = [s[:-1] + ("0" if s[-1] != "0" else "1") for s in out[bad]]
    return out


# --- generation -----------------------------------------------------------------------------


@dataclass
class Columns:
    """The log being built, one entry per row (codes for text, ns for times)."""

    text: dict[str, list[np.ndarray]] = field(default_factory=dict)
    times: dict[str, list[np.ndarray]] = field(default_factory=dict)
    pieces: int = 0
    lengths: list[int] = field(default_factory=list)

    def add(self, n: int, text: dict[str, np.ndarray], times: dict[str, np.ndarray]) -> None:
        for name in set(self.text) | set(text):
            self.text.setdefault(name, [np.zeros(m, np.int32) for m in self.lengths]).append(
                text.get(name, np.zeros(n, np.int32)))
        for name in set(self.times) | set(times):
            self.times.setdefault(name, [np.full(m, -1, np.int64) for m in self.lengths]).append(
                times.get(name, np.full(n, -1, np.int64)))
        self.lengths.append(n)


def _day(value: dt.date) -> int:
    return (value - EPOCH).days


def _start_days(rng: np.random.Generator, profile: Any, n: int) -> np.ndarray:
    lo, hi = _day(FIRST_START), _day(LAST_START)
    days = rng.integers(lo, hi + 1, size=n)
    windows = [(d.valid_from, d.valid_to) for d in profile.spec.documents.values()
               if d.valid_from and d.valid_to and (d.valid_to - d.valid_from).days < 4 * 365]
    if windows:
        start, end = max(_day(windows[0][0]), lo), min(_day(windows[0][1]), hi)
        inside = rng.random(n) < INSIDE_VALIDITY
        days[inside] = rng.integers(start, end + 1, size=int(inside.sum()))
    return days


def _office_time(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after local midnight: office hours, a few at any hour."""
    seconds = rng.integers(8 * 3600 + 1800, 18 * 3600, size=n)
    anytime = rng.random(n) < OFF_HOURS
    seconds[anytime] = rng.integers(0, 86_400, size=int(anytime.sum()))
    return seconds


def _to_working_day(calendar: Any, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Most work happens on working days: move most off days to the next working day."""
    move = ~calendar.is_work(days) & (rng.random(len(days)) > OFF_HOURS * 2)
    days = days.copy()
    if move.any():
        days[move] = calendar.cd_add(days[move], 0)
    return days


def _delay_days(rng: np.random.Generator, kind: str, unit: str, days: np.ndarray) -> np.ndarray:
    """Calendar days between a step and the step it follows, for a period of ``days`` in ``unit``."""
    n = len(days)
    if kind == "deadline" and unit != "none":
        on_time = rng.integers(0, days + 1)
        late = rng.integers(np.ceil(days * 7 / 5).astype(np.int64) + 2, 3 * days + 12)
        return np.where(rng.random(n) < LATE_SHARE, late, on_time)
    if kind == "deadline":  # C4: no period, done within days or weeks
        return rng.integers(0, 30, size=n)
    if kind == "waiting":
        span = days * 7 // 5 if unit == "working_days" else days
        after = rng.integers(span + 2, span + 20)
        early = rng.integers(0, np.maximum(span, 1))
        return np.where(rng.random(n) < PREMATURE_SHARE, early, after)
    return rng.integers(0, 6, size=n)  # no rule on the gap (the date itself is set elsewhere)


def _mask_of(condition: Any, values: np.ndarray, words: list[str | None]) -> np.ndarray:
    """A declarative condition over codes (words[code] is the value; None is empty), word by word."""
    present = np.array([w is not None for w in words], dtype=bool)
    if condition.present is not None:
        per_word = present if condition.present else ~present
    elif condition.absent is not None:
        per_word = ~present if condition.absent else present
    else:
        wanted = {("true" if v else "false") if isinstance(v, bool) else str(v) for v in condition.values()}
        hit = np.array([w in wanted for w in words], dtype=bool) & present
        per_word = ~hit if condition.not_in is not None else hit
    return per_word[values]


class Generator:
    def __init__(self, profile: Any, seed: int = SEED) -> None:
        self.profile = profile
        self.rng = np.random.default_rng([seed, zlib.crc32(profile.name.encode())])
        self.plan = build_plan(profile)
        self.tested = _conditions(profile.rules)
        self.pools = Pools()
        cities = CITIES.get(profile.name, ("市",))
        self.departments = [f"{c}{a}" for c in cities for a in AGENCIES]
        self.calendar = profile.calendar
        parties = profile.spec.parties
        self.fixed_party = {role: p.name_zh for role, p in parties.items() if p.name_zh}

    # one process: all its cases at once, step by step
    def process(self, process: Process, n: int, first_case: int, columns: Columns) -> None:
        rng = self.rng
        steps = process.steps
        present: list[np.ndarray] = []
        day: list[np.ndarray] = []
        tod: list[np.ndarray] = []
        codes: list[dict[str, np.ndarray]] = []
        times: list[dict[str, np.ndarray]] = []
        start = _to_working_day(self.calendar, _start_days(rng, self.profile, n), rng)
        requester = rng.integers(0, len(self.departments), size=n)
        provider = rng.integers(0, len(self.departments), size=n)
        index = {s.event: i for i, s in enumerate(steps)}
        for k, step in enumerate(steps):
            if k == 0:
                here = np.ones(n, dtype=bool)
                d = start
                t = _office_time(rng, n)
            else:
                # by default a step follows the latest earlier step of its case
                latest = np.zeros(n, dtype=np.int64)
                for j in range(k):
                    latest = np.where(present[j], j, latest)
                anchor_day = np.choose(latest, day[:k]) if k > 1 else day[0].copy()
                anchor_tod = np.choose(latest, tod[:k]) if k > 1 else tod[0].copy()
                delay = _delay_days(rng, "free", "none", np.zeros(n, np.int64))
                rate = np.full(n, step.rate)
                if step.link.kind == "waiting" and step.link.anchor is not None:
                    a = step.link.anchor
                    has = present[a]
                    anchor_day = np.where(has, day[a], anchor_day)
                    anchor_tod = np.where(has, tod[a], anchor_tod)
                    days = np.full(n, step.link.days, dtype=np.int64)
                    delay = np.where(has, _delay_days(rng, "waiting", step.link.unit, days), delay)
                # a deadline the case has triggered makes the step due, timed from its trigger;
                # the tightest applicable deadline decides when it comes
                due = np.zeros(n, dtype=bool)
                against: np.ndarray | None = None
                for rule in sorted(step.gated_by, key=lambda r: -_timing(r)[2]):
                    k_t = index.get(rule.trigger.event)
                    if k_t is None or k_t >= k:
                        continue
                    hit = self._triggered(rule, k_t, present, codes)
                    kind, unit, days = _timing(rule)
                    anchor_day = np.where(hit, day[k_t], anchor_day)
                    anchor_tod = np.where(hit, tod[k_t], anchor_tod)
                    delay = np.where(hit, _delay_days(rng, kind, unit, np.full(n, days, np.int64)), delay)
                    if kind == "due_attribute" and rule.due_attribute in times[k_t]:
                        due_ns = times[k_t][rule.due_attribute]
                        against = np.where(hit, (due_ns + OFFSET_NS) // DAY_NS, -1 if against is None else against)
                    due |= hit
                if step.gated_by:
                    rate = np.where(due, 1 - MISSING_SHARE, min(step.rate, UNRULED_STEP_RATE))
                if step.precondition:
                    met = self._preconditions_met(step, steps, present, codes)
                    rate = np.where(met, rate, rate * BAD_ACT_RATE)
                here = rng.random(n) < rate
                d = anchor_day + delay
                if step.link.kind != "waiting":
                    d = _to_working_day(self.calendar, d, rng)
                if against is not None:  # due by a date the trigger carries: mostly before it
                    early = against - rng.integers(0, 10, size=n)
                    late = against + rng.integers(1, 20, size=n)
                    chosen = np.where(rng.random(n) < LATE_SHARE * 2, late, early)
                    d = np.where(against >= 0, np.maximum(chosen, anchor_day), d)
                same_day = d == anchor_day
                t = np.where(same_day, np.minimum(anchor_tod + rng.integers(300, 4 * 3600, size=n), 86_399),
                             _office_time(rng, n))
            present.append(here)
            day.append(d)
            tod.append(t)
            step_codes, step_times = self._attributes(step, n, requester, provider, d, t)
            codes.append(step_codes)
            times.append(step_times)
        self._emit(process, n, first_case, present, day, tod, codes, times, columns)

    def _triggered(self, rule: Any, k: int, present: list[np.ndarray],
                   codes: list[dict[str, np.ndarray]]) -> np.ndarray:
        """Cases in which a deadline's trigger happened and matched its conditions."""
        hit = present[k].copy()
        for attribute, cond in rule.trigger.when.items():
            hit &= self._test(cond, attribute, codes[k])
        for attribute, cond in rule.trigger.case_when.items():
            hit &= self._test(cond, attribute, codes[0])
        return hit

    def _preconditions_met(self, step: Step, steps: list[Step], present: list[np.ndarray],
                           codes: list[dict[str, np.ndarray]]) -> np.ndarray:
        met = np.ones(len(present[0]), dtype=bool)
        index = {s.event: i for i, s in enumerate(steps)}
        for rule in step.precondition:
            k = index.get(rule.requires.event)
            if k is None or k >= len(present):
                continue
            ok = present[k].copy()
            for attribute, cond in rule.requires.when.items():
                ok &= self._test(cond, attribute, codes[k])
            met &= ok
        return met

    def _test(self, cond: Any, attribute: str, codes: dict[str, np.ndarray]) -> np.ndarray:
        values = codes.get(attribute)
        if values is None:
            n = len(next(iter(codes.values()))) if codes else 0
            values = np.zeros(n, dtype=np.int32)
        return _mask_of(cond, values, self.pools.words.get(attribute, [None]))

    def _attributes(self, step: Step, n: int, requester: np.ndarray, provider: np.ndarray,
                    d: np.ndarray, t: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        rng = self.rng
        pools = self.pools
        text: dict[str, np.ndarray] = {}
        stamps: dict[str, np.ndarray] = {}
        event_ns = d * DAY_NS + t * NS - OFFSET_NS
        for attribute in step.attributes:
            if attribute in TIME_ATTRIBUTES:
                stamps[attribute] = self._time_attribute(attribute, step, event_ns, n)
            elif attribute in BOOL_ATTRIBUTES:
                draw = rng.random(n)
                words = np.where(draw < FLAG_TRUE, 1, np.where(draw < FLAG_TRUE + FLAG_BLANK, 0, 2))
                table = pools.codes(attribute, ["true", "false"])
                text[attribute] = np.where(words == 0, 0, table[np.clip(words - 1, 0, 1)]).astype(np.int32)
            elif attribute in INT_ATTRIBUTES:
                limit = self._maximum(attribute) or 15
                values = rng.integers(1, limit + 1, size=n)
                over = rng.random(n) < 0.05
                values[over] = rng.integers(limit + 1, limit + 10, size=int(over.sum()))
                table = pools.codes(attribute, [str(v) for v in range(0, limit + 11)])
                text[attribute] = table[values]
            elif attribute == "subject_id":
                has = rng.random(n) < 0.3
                ids = _id_numbers(rng, int(has.sum()))
                out = np.zeros(n, dtype=np.int32)
                out[has] = pools.codes(attribute, list(ids))
                text[attribute] = out
            elif attribute in ("requester", "provider"):
                pick = requester if attribute == "requester" else provider
                table = pools.codes(attribute, self.departments)
                text[attribute] = table[pick]
            elif attribute == "resource":
                table = pools.codes(attribute, list(RESOURCES))
                text[attribute] = table[rng.integers(0, len(RESOURCES), size=n)]
            elif allowed_values(attribute, step.event) is not None or attribute in ("requester_level",
                                                                                     "provider_level"):
                values, weights = _choices(step.event, attribute, self.tested)
                table = pools.codes(attribute, values)
                text[attribute] = table[rng.choice(len(values), size=n, p=weights)]
            else:
                words = TEXTS.get(attribute, (f"{attribute}示例",))
                table = pools.codes(attribute, list(words))
                out = table[rng.integers(0, len(words), size=n)]
                absent = rng.random(n) < REQUIRED_ABSENT
                out[absent] = 0
                text[attribute] = out
        # who acted: the role the rules give the step, named after the case's party for it
        role_codes = pools.codes("actor_role", [step.role])
        text["actor_role"] = np.full(n, role_codes[0], dtype=np.int32)
        if step.role in ROLE_OF_PARTY_ATTRIBUTE:
            pick = requester if step.role == "requester" else provider
            text["actor"] = pools.codes("actor", self.departments)[pick]
        elif step.role in self.fixed_party:
            text["actor"] = np.full(n, pools.codes("actor", [self.fixed_party[step.role]])[0], np.int32)
        else:
            text["actor"] = pools.codes("actor", self.departments)[provider]
        return text, stamps

    def _maximum(self, attribute: str) -> int | None:
        for rule in self.profile.rules:
            need = getattr(rule, "require", None)
            if need is not None and need.maximum and attribute in need.maximum:
                return int(need.maximum[attribute])
        return None

    def _time_attribute(self, attribute: str, step: Step, event_ns: np.ndarray, n: int) -> np.ndarray:
        rng = self.rng
        period = 30
        years = 3
        for rule in self.profile.rules:
            if getattr(rule, "date_attribute", None) == attribute and rule.period.days:
                period = int(rule.period.days)
            if getattr(rule, "created_attribute", None) == attribute and rule.period.days:
                years = int(rule.period.days)
        if attribute == "log_created_at":
            old = rng.integers(years * 366 + 5, years * 366 + 900, size=n)
            recent = rng.integers(30, years * 365 - 30, size=n)
            back = np.where(rng.random(n) < 0.12, recent, old)
            return event_ns - back * DAY_NS
        if attribute == "rectify_by":
            return event_ns + rng.integers(10, 45, size=n) * DAY_NS
        # a planned date the act must precede by a period (lead time)
        ahead = rng.integers(int(period * 1.5) + 5, int(period * 1.5) + 60, size=n)
        short = rng.integers(1, max(period, 2), size=n)
        return event_ns + np.where(rng.random(n) < LATE_SHARE, short, ahead) * DAY_NS

    def _emit(self, process: Process, n: int, first_case: int, present: list[np.ndarray], day: list[np.ndarray],
              tod: list[np.ndarray], codes: list[dict[str, np.ndarray]], times: list[dict[str, np.ndarray]],
              columns: Columns) -> None:
        pools = self.pools
        event_table = pools.codes("event", [s.event for s in process.steps])
        prefix = pools.codes("_process", [PROCESS_CODE.get(process.name.split(":")[0], "QT")])[0]
        for k in range(len(process.steps)):
            rows = np.flatnonzero(present[k])
            m = len(rows)
            text = {name: values[rows] for name, values in codes[k].items()}
            text["event"] = np.full(m, event_table[k], dtype=np.int32)
            text["_process"] = np.full(m, prefix, dtype=np.int32)
            stamps = {name: values[rows] for name, values in times[k].items()}
            stamps["time"] = day[k][rows] * DAY_NS + tod[k][rows] * NS - OFFSET_NS
            stamps["_case"] = (first_case + rows).astype(np.int64)
            stamps["_step"] = np.full(m, k, dtype=np.int64)
            columns.add(m, text, stamps)

    # the whole log
    def table(self, rows: int) -> pa.Table:
        """``rows`` events: (case_id, event, time as timestamp, attributes...), sorted by time."""
        rng = self.rng
        weights = np.array([p.weight for p in self.plan])
        mean_steps = sum(p.weight * sum(s.rate for s in p.steps) for p in self.plan)
        n_cases = int(rows / max(mean_steps, 1.0)) + 50
        while True:  # gated steps make the estimate low: grow until there are enough rows
            columns, first = self._cases(n_cases, weights)
            got = sum(columns.lengths)
            if got >= rows:
                break
            n_cases = int(n_cases * rows / max(got, 1) * 1.1) + 50
        case = np.concatenate(columns.times["_case"])
        step = np.concatenate(columns.times["_step"])
        # keep whole cases in a random order until the size is reached; the last one is cut
        case_order = rng.permutation(first)
        rank = np.empty(first, dtype=np.int64)
        rank[case_order] = np.arange(first)
        order = np.lexsort((step, rank[case]))[:rows]
        # exact duplicates (an export run twice over a few rows) take the place of the tail
        k = int(rows * DUPLICATE_SHARE)
        base = order[: rows - k]
        order = np.concatenate([base, base[rng.choice(len(base), size=k, replace=False)]])
        time_ns = np.concatenate(columns.times["time"])[order]
        export = np.argsort(time_ns, kind="stable")  # an export in time order
        order, time_ns = order[export], time_ns[export]
        return self._arrow(columns, order, time_ns, case[order])

    def _cases(self, n_cases: int, weights: np.ndarray) -> tuple[Columns, int]:
        self.pools = Pools()
        per_process = self.rng.multinomial(n_cases, weights)
        columns = Columns()
        first = 0
        for process, count in zip(self.plan, per_process, strict=True):
            if count:
                self.process(process, int(count), first, columns)
                first += int(count)
        return columns, first

    def _arrow(self, columns: Columns, order: np.ndarray, time_ns: np.ndarray, case: np.ndarray) -> pa.Table:
        pools = self.pools
        process = np.concatenate(columns.text["_process"])[order]
        short = CASE_PREFIX.get(self.profile.name, self.profile.name[:2].upper())
        tag = pa.array([f"{short}-{w or ''}-" for w in pools.words["_process"]])
        case_id = pc.binary_join_element_wise(
            pa.DictionaryArray.from_arrays(pa.array(process, pa.int32()), tag).dictionary_decode(),
            pc.utf8_lpad(pc.cast(pa.array(case + 1), pa.string()), 8, "0"), "")
        data: dict[str, pa.Array] = {
            "case_id": case_id,
            "event": pools.array("event", np.concatenate(columns.text["event"])[order]),
            "time": pa.array(time_ns, pa.timestamp("ns", tz="+08:00")),
        }
        first = ("actor_role", "actor", "requester", "provider", "requester_level", "provider_level", "category")
        names = [c for c in first if c in columns.text] + sorted(
            c for c in columns.text if c not in first and not c.startswith("_") and c != "event")
        for name in names:
            data[name] = pools.array(name, np.concatenate(columns.text[name])[order])
        for name in sorted(columns.times):
            if name.startswith("_") or name == "time":
                continue
            values = np.concatenate(columns.times[name])[order]
            data[name] = pa.array(values, pa.timestamp("ns", tz="+08:00"), mask=values == -1)
        return pa.table(data)


def make_log(jurisdiction: str | Any, rows: int, seed: int = SEED) -> pa.Table:
    """A log of ``rows`` events as an Arrow table (typed: time as timestamp, flags as text)."""
    profile = load_jurisdiction(jurisdiction) if isinstance(jurisdiction, str | Path) else jurisdiction
    return dirty(Generator(profile, seed).table(rows), seed)


def small_csv(profile: Any, rows: int, path: Path, share: float = 0.002) -> Path:
    """A test-sized log of the profile written as the benchmark's CSV, a few rows unreadable."""
    import pyarrow.csv as pcsv

    pcsv.write_csv(as_csv_table(dirty(Generator(profile).table(rows), share=share)), path)
    return path


def dirty(table: pa.Table, seed: int = SEED, share: float = BAD_ROW_SHARE) -> pa.Table:
    """A few unreadable rows: no case id, an unknown event word, or (as text) an impossible time."""
    n = table.num_rows
    rng = np.random.default_rng([seed, n])
    k = max(int(n * share), 1 if n >= 1000 else 0)
    what = np.full(n, -1, dtype=np.int64)
    if k:
        what[rng.choice(n, size=k, replace=False)] = rng.integers(0, 3, size=k)
    case_id = pc.if_else(pa.array(what == 0), pa.scalar("", pa.string()),
                         table["case_id"].combine_chunks())
    event = pc.if_else(pa.array(what == 1), pa.scalar("办结归档", pa.string()),
                       _decoded(table["event"].combine_chunks()))
    table = table.set_column(0, "case_id", case_id).set_column(1, "event", event)
    return table.append_column("_bad_time", pa.array(what == 2))


def _decoded(column: pa.Array) -> pa.Array:
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


def as_csv_table(table: pa.Table) -> pa.Table:
    """The export as text: local times 'YYYY-MM-DD HH:MM:SS', flags 是/否, bad times impossible."""
    out = {}
    bad = table["_bad_time"].combine_chunks() if "_bad_time" in table.column_names else None
    for name in table.column_names:
        if name == "_bad_time":
            continue
        column = table[name].combine_chunks()
        if pa.types.is_timestamp(column.type):
            local = pc.cast(pc.add(pc.cast(column, pa.int64()), OFFSET_NS), pa.timestamp("ns"))
            text = pc.strftime(pc.cast(local, pa.timestamp("s")), "%Y-%m-%d %H:%M:%S")
            if name == "time" and bad is not None:
                text = pc.if_else(bad, pa.scalar("2024-02-30 25:61:00"), text)
            column = pc.fill_null(text, "")
        elif name in BOOL_ATTRIBUTES and pa.types.is_dictionary(column.type):
            words = pc.replace_substring(pc.replace_substring(column.dictionary, "true", "是"), "false", "否")
            column = pa.DictionaryArray.from_arrays(column.indices, words)
        elif not pa.types.is_dictionary(column.type):  # a dictionary's nulls are written empty already
            column = pc.fill_null(column, "")
        out[name] = column
    return pa.table(out)


def as_parquet_table(table: pa.Table) -> pa.Table:
    """The export as typed columns: times as timestamps (+08:00), flags as booleans."""
    out = {}
    bad = table["_bad_time"].combine_chunks() if "_bad_time" in table.column_names else None
    for name in table.column_names:
        if name == "_bad_time":
            continue
        column = _decoded(table[name].combine_chunks())
        if name == "time" and bad is not None:
            column = pc.if_else(bad, pa.scalar(None, column.type), column)  # a typed file cannot hold it
        elif name in BOOL_ATTRIBUTES:
            column = pc.equal(column, "true")
        out[name] = column
    return pa.table(out)


def write(table: pa.Table, stem: Path, formats: Sequence[str]) -> list[Path]:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    written = []
    stem.parent.mkdir(parents=True, exist_ok=True)
    if "csv" in formats:
        path = stem.with_suffix(".csv")
        pcsv.write_csv(as_csv_table(table), path, write_options=pcsv.WriteOptions(quoting_style="needed"))
        written.append(path)
    if "parquet" in formats:
        path = stem.with_suffix(".parquet")
        pq.write_table(as_parquet_table(table), path, row_group_size=1 << 20)
        written.append(path)
    return written


def data_path(jurisdiction: str, size: str, fmt: str, folder: Path = DATA_DIR) -> Path:
    return folder / f"{jurisdiction}_{size}.{fmt}"


def ensure(jurisdiction: str, size: str, formats: Sequence[str] = ("csv", "parquet"), folder: Path = DATA_DIR,
           seed: int = SEED) -> list[Path]:
    """The files for a size, generated if missing."""
    wanted = [data_path(jurisdiction, size, f, folder) for f in formats]
    missing = [f for f, p in zip(formats, wanted, strict=True) if not p.exists()]
    if missing:
        write(make_log(jurisdiction, SIZES[size], seed), folder / f"{jurisdiction}_{size}", missing)
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jurisdiction", nargs="+", default=list(JURISDICTIONS))
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k", "1m"], choices=list(SIZES))
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="Regenerate files that exist.")
    args = parser.parse_args(argv)
    for jurisdiction in args.jurisdiction:
        for size in args.sizes:
            started = time.perf_counter()
            if args.force:
                for fmt in args.formats:
                    data_path(jurisdiction, size, fmt, args.out).unlink(missing_ok=True)
            paths = ensure(jurisdiction, size, args.formats, args.out, args.seed)
            took = time.perf_counter() - started
            print(f"{jurisdiction} {size}: {', '.join(p.name for p in paths)} ({took:.1f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
