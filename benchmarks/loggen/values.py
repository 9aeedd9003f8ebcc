"""Values of attributes: word pools, the values conditions test, identifier numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from govdata_policy.vocabulary import (
    LEVELS,
    allowed_values,
)

from .plan import rule_matches
from .settings import BAD_ID_SHARE


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


def tested_conditions(rules: Iterable[Any]) -> dict[tuple[str, str], list[Any]]:
    """Values conditions test, by (event, attribute); event '' for case_when."""
    tested: dict[tuple[str, str], list[Any]] = {}
    for rule in rules:
        for _, match in rule_matches(rule):
            for attribute, cond in match.when.items():
                tested.setdefault((match.event, attribute), []).extend(cond.values())
            for attribute, cond in match.case_when.items():
                tested.setdefault(("", attribute), []).extend(cond.values())
    return tested


OUTCOME_PAIRS = {"pass": "reject", "reject": "pass", "approved": "refused", "refused": "approved"}


def value_choices(event: str, attribute: str, tested: dict[tuple[str, str], list[Any]]) -> tuple[list[str], np.ndarray]:
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


def id_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
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


def condition_mask(condition: Any, values: np.ndarray, words: list[str | None]) -> np.ndarray:
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
