"""Rule tests as data: YAML cases a drafter can write without Python.

    jurisdiction: yongzhou
    cases:
      - name: ...
        rule: yz-18.2-conditional-reply     # compare only this rule's findings (or a list)
        as_of: 2024-06-30
        events: [{case_id: A, event: share.requested, time: "2024-05-06 09:00", ...}, ...]
        violations: [{kind: late, case_id: A, due: "2024-05-20T23:59:59+08:00", working_days_late: 1}]
        obligations: [{case_id: A, status: late}]

Expected findings are compared on the fields they give; the list must match
the found findings one to one (``[]`` means the rule stays quiet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .engine.assemble import OBLIGATION_FIELDS, VIOLATION_FIELDS
from .errors import BilingualError
from .field_errors import worded
from .rules.loader import RuleLoadError, read_yaml
from .vocabulary import KNOWN_ATTRIBUTES, REQUIRED_COLUMNS, did_you_mean


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    rule: str | list[str] | None = None
    as_of: str | dt.datetime | dt.date
    events: list[dict[str, Any]] = Field(min_length=1)
    violations: list[dict[str, Any]] | None = None
    obligations: list[dict[str, Any]] | None = None
    notes_contain: list[str] = Field(default_factory=list)

    @property
    def rule_ids(self) -> list[str] | None:
        """The rules whose findings the case compares (``rule:`` one id or a list); None: every rule."""
        return None if self.rule is None else [self.rule] if isinstance(self.rule, str) else self.rule

    @field_validator("as_of", mode="before")
    @classmethod
    def _readable_as_of(cls, value: Any) -> Any:
        """An ``as_of`` the checker cannot read ("30 June 2024") is the case file's mistake, named with the
        file and case here; met only when the case ran, it was an internal error (exit 3). Read as written
        (before pydantic, which takes a number for seconds since 1970): ``20240630`` unquoted is no date."""
        from .engine.evaluate import parse_as_of

        if value is None:  # None would read as now: the field's type refuses it
            return value
        try:
            parse_as_of(value)
        except BilingualError as exc:
            raise ValueError(str(exc).removeprefix("as_of: ")) from exc
        return value

    @model_validator(mode="after")
    def _expects_something(self) -> Case:
        """A case that expects nothing, or a field no finding has (``knd: late``, ``duee: null``),
        would pass, or fail without saying why."""
        if self.violations is None and self.obligations is None and not self.notes_contain:
            raise ValueError("the case expects nothing: give violations ([] when the rule stays quiet), "
                             "obligations or notes_contain")
        for what, fields, expected in (("violations", VIOLATION_FIELDS, self.violations),
                                       ("obligations", OBLIGATION_FIELDS, self.obligations)):
            for number, record in enumerate(expected or []):
                for key in record:
                    if key not in fields:
                        hint = did_you_mean(str(key), fields)
                        raise ValueError(f"{what}[{number}].{key}: not a field of {what}{hint}; "
                                         f"the fields: {', '.join(fields)}")
                    if key in _TIME_FIELDS and record[key] is not None:
                        try:  # a due the checker cannot read would fail the case as "differs", every time
                            _moment(record[key])
                        except ValueError as exc:
                            raise ValueError(f"{what}[{number}].{key}: {exc}") from exc
        return self


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdiction: str
    cases: list[Case] = Field(min_length=1)


@dataclass
class Outcome:
    file: Path
    name: str
    passed: bool
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text
    return str(value)


_TIME_FIELDS = ("due", "occurred_at", "trigger_at", "fulfilled_at")


def _moment(value: Any) -> tuple[dt.date, int | None]:
    """An expected time field as the checker reads ``as_of``: a date alone (``2024-05-17``, quoted or not)
    is a day, a time without an offset is Beijing time (C5). ValueError when it is neither."""
    from .engine.evaluate import day_or_time

    try:
        return day_or_time(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot read {value!r} as a date or a time (write 2024-05-17, or "
                         "2024-05-17T23:59:59+08:00)") from exc


def _same(expected: Any, found: Any, key: str | None = None) -> bool:
    if expected is None:
        return found is None
    if key in _TIME_FIELDS and isinstance(found, str):
        # compared as moments, not as text: "2024-05-17 23:59:59" (Beijing time, as a log's times are) or a
        # quoted "2024-05-17" is the due the engine writes 2024-05-17T23:59:59+08:00, and failed as "differs"
        day, ns = _moment(expected)
        found_day, found_ns = _moment(found)
        return day == found_day if ns is None else ns == found_ns
    if isinstance(expected, list):
        return isinstance(found, list) and [_text(v) for v in expected] == [_text(v) for v in found]
    return _text(expected) == _text(found)


def _match(expected: list[dict[str, Any]], found: list[dict[str, Any]], what: str) -> list[str]:
    """One-to-one match of expected records (on their own fields) to found ones. An expected record
    with no exact match is set beside the closest one found of its case, field by field, which is
    what a drafter wants to read (the due day one off, another party), not two lists of fields."""
    problems = []
    remaining = list(found)
    unmatched = []
    for wanted in expected:  # exact matches first: a near one must not take a finding another expects exactly
        hit = next((f for f in remaining if all(_same(v, f.get(k), k) for k, v in wanted.items())), None)
        if hit is None:
            unmatched.append(wanted)
        else:
            remaining.remove(hit)
    for wanted in unmatched:
        near = _closest(wanted, remaining)
        if near is None:
            problems.append(f"expected {what} not found: {_fields(wanted)}")
            continue
        remaining.remove(near)
        differs = "; ".join(f"{k} {_text(near.get(k))} (expected {_text(v)})"
                            for k, v in wanted.items() if not _same(v, near.get(k), k))
        label = near.get("kind") or near.get("status")
        problems.append(f"{what} of case {near.get('case_id')} ({near.get('rule_id')}, {label}) differs: {differs}")
    for extra in remaining:
        keys = ("rule_id", "kind", "case_id", "due", "occurred_at", "working_days_late", "status")
        problems.append(f"unexpected {what}: {_fields({k: extra.get(k) for k in keys if k in extra})}")
    return problems


def _closest(wanted: dict[str, Any], candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The found record most like ``wanted``: of the case it names (and the rule, if named), the
    one agreeing on the most fields; None when no record is of that case (or, naming none, agrees
    on nothing)."""
    def agreeing(found: dict[str, Any]) -> int:
        return sum(_same(v, found.get(k), k) for k, v in wanted.items())

    place = [k for k in ("case_id", "rule_id") if k in wanted]
    same_place = [f for f in candidates if all(_same(wanted[k], f.get(k), k) for k in place)]
    best = max(same_place, key=agreeing, default=None)  # max keeps the first of equals: the earliest found
    if best is None or ("case_id" not in wanted and agreeing(best) == 0):
        return None
    return best


def _fields(record: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {_text(v)}" for k, v in record.items())


def load_case_file(path: Path) -> CaseFile:
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise RuleLoadError(f"{path}: not a YAML case file (.yaml with `cases:`; a log is checked with `check`)")
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise RuleLoadError(f"{path}: not a YAML case file: expected a mapping with `cases:`")
    try:
        return CaseFile.model_validate(raw)
    except ValidationError as exc:
        error = worded(exc.errors(), CaseFile)[0]  # ``violation:`` misspelt: said as such, not "Field required"
        loc = error["loc"]
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
            cases = raw.get("cases") or []
            name = cases[loc[1]].get("name") if isinstance(cases[loc[1]], dict) else None
            inside = ".".join(str(p) for p in loc[2:])
            where = f"case {name or loc[1] + 1!r}" + (f": field {inside}" if inside else "")
        message = str(error["msg"]).removeprefix("Value error, ")
        raise RuleLoadError(f"{path}: {where + ': ' if where else ''}{message}") from exc


def run_case(profile: Any, case: Case, file: Path) -> Outcome:
    events = [{k: (v if not hasattr(v, "isoformat") else v.isoformat()) for k, v in e.items()} for e in case.events]
    result = profile.evaluate(events, as_of=case.as_of)
    problems = [f"row {r['row']} rejected: {r['reason']}" for r in result.rejected_rows]
    problems += _unknown_fields(profile, case)
    rules = case.rule_ids
    for rule_id in rules or []:
        if rule_id not in profile.rules_by_id:
            hint = did_you_mean(rule_id, profile.rules_by_id)
            problems.append(f"no rule {rule_id!r} in profile {profile.name}{hint}")
    body = result.to_dict()
    for what, expected in (("violation", case.violations), ("obligation", case.obligations)):
        if expected is None:
            continue
        found = body["violations" if what == "violation" else "obligations"]
        if rules is not None:
            found = [f for f in found if f["rule_id"] in rules]
        problems += _match(expected, found, what)
    notes = " | ".join(n["message"] for n in result.notes)
    problems += [f"no note containing {text!r}" for text in case.notes_contain if text not in notes]
    # events after as_of are not checked: a year typo in as_of would make a quiet case pass
    problems += [f"{note['message']} (as_of {_text(case.as_of)}; expect it with notes_contain if meant)"
                 for note in result.notes if note.get("kind") == "after_as_of"
                 and not any(text in note["message"] for text in case.notes_contain)]
    return Outcome(file, case.name, not problems, problems)


def _unknown_fields(profile: Any, case: Case) -> list[str]:
    """An event's field that is neither the contract's nor one the profile reads (a party's column):
    ``outcom: refused`` is a column no rule reads, so the case tested an event without an outcome
    and could pass for the wrong reason."""
    spec = profile.spec
    own = {party.attribute for party in spec.parties.values() if party.attribute}
    if spec.mitigation is not None:
        own.add(spec.mitigation.attribute)
    known = {*REQUIRED_COLUMNS, *KNOWN_ATTRIBUTES, *own}
    return [f"events[{number}].{key}: not a field of the vocabulary or of profile {profile.name}"
            f"{did_you_mean(str(key), known)}"
            for number, event in enumerate(case.events) for key in event if key not in known]


def run_file(path: Path, profile_override: Any = None) -> list[Outcome]:
    from .profile import load_jurisdiction

    spec = load_case_file(path)
    profile = profile_override or load_jurisdiction(_named_profile(path, spec))
    if profile_override is None:
        # a rule the case file's own profile lacks is a mistake in the file, not a failing case (against
        # another profile, --profile, it may be a rule that profile removed: that case fails instead)
        for case in spec.cases:
            for rule_id in case.rule_ids or []:
                if rule_id not in profile.rules_by_id:
                    raise RuleLoadError(f"{path}: case {case.name!r}: field rule: no rule {rule_id!r} in profile "
                                        f"{profile.name}{did_you_mean(rule_id, profile.rules_by_id)}")
    return [run_case(profile, case, path) for case in spec.cases]


def _named_profile(path: Path, spec: CaseFile) -> Path:
    """The profile file a case file's ``jurisdiction`` names; one it cannot find is the case file's mistake,
    said with its file and field (a folder of case files ran until one stopped on a bare "unknown
    jurisdiction 'shili'", which file not said)."""
    from .profile_layers import ProfileError, resolve_file

    try:
        return resolve_file(case_profile(path, spec))
    except ProfileError as exc:
        zh = f"{path}：jurisdiction：{exc.zh}" if exc.zh else None
        raise RuleLoadError(f"{path}: field jurisdiction: {exc}", zh=zh) from None


def case_profile(path: Path, spec: CaseFile) -> str:
    """The profile a case file names: a built-in name, or a profile file relative to the case file (a drafter's
    variant next to its cases, ``jurisdiction: my-variant.yaml``) where one is there."""
    beside = path.parent / spec.jurisdiction
    return str(beside) if beside.suffix in (".yaml", ".yml") and beside.exists() else spec.jurisdiction


def case_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.yaml") if p.is_file())
    return [path]


def other_yaml(path: Path) -> str | None:
    """What a YAML file in a folder of cases is when it is plainly no case file: "a profile" (a drafter's
    variant kept next to the cases that name it), "a rule file" (its add_rules) or "a calendar file" (its
    regional or overrides file, ``kind: regional|overrides``) or "a mapping file" (``columns`` / ``values``),
    else None. Only a mapping without ``cases:``
    holding such a file's own keys: a case file with a typo still fails."""
    try:
        raw = read_yaml(path)
    except RuleLoadError:
        return None  # said when it is loaded as a case file
    if not isinstance(raw, dict) or "cases" in raw:
        return None
    if {"extends", "rulesets", "documents"} & raw.keys():
        return "a profile"
    if raw.get("kind") in ("regional", "overrides"):
        return "a calendar file"
    if raw and raw.keys() <= {"columns", "values"}:  # a column mapping kept beside the logs it reads
        return "a mapping file"
    rules = raw.get("rules")  # rules, not cases under the wrong key: each entry with its id
    if isinstance(rules, list) and rules and all(isinstance(r, dict) and "id" in r for r in rules):
        return "a rule file"
    return None
