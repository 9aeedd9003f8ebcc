"""Loading rule files, with errors that name the file, the rule and the field."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import yaml_guard
from ..citation import number_of_chinese
from ..errors import BilingualError
from ..field_errors import worded
from .model import RuleFile

# issue 5: libyaml's parser reads the ~30 rule and profile files of a run in a tenth of
# the pure-Python parser's 0.13 s; both build the same Python values
_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Checks(yaml_guard.NoRepeatedKeys):
    """What the rule files' loaders add to the safe loader: a key given twice in one mapping refused
    (YAML would keep the last silently: a second ``period:`` or parameter overrode the first with no
    word), and an impossible date said with its line."""

    def construct_impossible_date(self, node: yaml.ScalarNode) -> Any:
        """An unquoted date YAML reads as one but the calendar has not (``as_of: 2024-06-31``,
        ``valid_to: 2027-02-30``): said with its line, as any YAML mistake is, not a crash."""
        try:
            return self.construct_yaml_timestamp(node)  # type: ignore[attr-defined]
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date of the calendar ({exc})", node.start_mark) from exc


class _Loader(_Checks, _BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader on libyaml's parser, with the rule files' checks."""


class _WordedLoader(_Checks, yaml.SafeLoader):
    """The same on PyYAML's own parser, asked again about a file libyaml refused, for its words
    (``yaml_guard.worded_error``)."""


for _loader in (_Loader, _WordedLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _loader.construct_impossible_date)


class RuleLoadError(BilingualError):
    """A rule or profile file with a mistake: the message names file, rule and field."""


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleLoadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:  # a profile saved as GBK by a Windows editor: say so, not a traceback
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise RuleLoadError(f"{path}: line {line} not UTF-8 (byte {exc.object[exc.start]:#04x}): "
                            "save the file as UTF-8") from exc
    try:
        return yaml_guard.load(text, _Loader)
    except yaml.YAMLError as refused:
        exc = yaml_guard.worded_error(text, refused, _WordedLoader) if isinstance(
            refused, yaml.MarkedYAMLError) else refused
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RuleLoadError(f"{path}:{where} not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def describe_validation_error(exc: ValidationError, raw: Any, source: str) -> str:
    """'file: rule ID: field a.b: message' for the first few errors."""
    lines = []
    for error in worded(exc.errors(), RuleFile)[:5]:
        loc = list(error["loc"])
        rule_name = ""
        kind = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            index = loc[1]
            rules = raw.get("rules") if isinstance(raw, Mapping) else None
            rule_id = rules[index].get("id") if isinstance(rules, list) and isinstance(rules[index], Mapping) else None
            rule_name = f" rule {rule_id or f'#{index + 1}'}:"
            loc = loc[2:]
            # drop the discriminator tag pydantic inserts ('deadline', ...)
            if loc and isinstance(loc[0], str) and loc[0] in _KIND_TAGS:
                kind, loc = loc[0], loc[1:]
        field = ".".join(str(p) for p in loc) or "(the whole entry)"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] in ("extra_forbidden", "misspelt_key") and loc == [_DEADLINE_ONLY] and kind is not None:
            # pydantic's "Extra inputs are not permitted" leaves the drafter guessing why a deadline's field is not
            message = f"a {kind} rule is not fulfilled by an event: {_DEADLINE_ONLY} belongs to a deadline"
        if error["type"] in ("union_tag_not_found", "union_tag_invalid"):  # pydantic's words for a bad kind
            field = ".".join([*map(str, loc), "kind"]) if loc else "kind"
            message = f"missing or unknown; one of {', '.join(sorted(_KIND_TAGS))}"
        if error["type"] == "string_type" and isinstance(error.get("input"), int | float):
            message += f" (YAML reads {error['input']!r} as a number: write it in quotes, \"{error['input']}\")"
        lines.append(f"{source}:{rule_name} field {field}: {message}")
    return "; ".join(lines)


_DEADLINE_ONLY = "also_fulfilled_by"  # refused on the other kinds with words saying why
_KIND_TAGS = {"deadline", "waiting", "lead_time", "precondition", "required", "prohibited", "retention"}


def load_rule_file(path: Path) -> RuleFile:
    raw = read_yaml(path)
    if not isinstance(raw, Mapping):
        raise RuleLoadError(f"{path}: a rule file is a mapping with jurisdiction, title and rules")
    try:
        loaded = RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleLoadError(describe_validation_error(exc, raw, str(path))) from exc
    for rule in loaded.rules:
        if loaded.document is not None and rule.document != loaded.document:
            # a rule copied in from another document's file, citing the wrong one
            raise RuleLoadError(f"{path}: rule {rule.id}: field document: {rule.document!r}, but the file is of "
                                f"document {loaded.document!r} (leave the file's document out if it mixes them)")
        _period_as_quoted(rule, path)
        for reading in rule.readings:  # every option, not only the one a profile picks today
            for name, patch in reading.options.items():
                rebuild_rule(rule, [patch], f"{path} (reading {reading.param}: option {name!r})")
    return loaded


_CALENDAR_DAYS = re.compile(r"(?:\d+|[一二三四五六七八九十百]+)个?(?:自然)?日")
# a count the text gives a period in: "5个工作日", "十五个工作日", "3日", "30天", "三年"
_COUNTED = re.compile(r"(\d+|[〇一二两三四五六七八九十百]+)\s*(?:个)?(?:工作日|自然日|日|天|年)")


def quoted_counts(text: str) -> set[int]:
    """The numbers of days (or years) a quotation counts."""
    return {n for word in _COUNTED.findall(text) if (n := number_of_chinese(word)) is not None}


def _period_as_quoted(rule: Any, path: Path) -> None:
    """A period in the unit its quotation counts: "5个工作日" written as ``calendar_days`` (or the
    reverse) loads and counts the wrong days under the clause's own words."""
    period = getattr(rule, "period", None)
    if period is None:
        return
    text = rule.text_zh
    if period.unit == "working_days" and "工作日" not in text:
        raise RuleLoadError(f"{path}: rule {rule.id}: field period.unit: working_days, but the quoted text counts "
                            "no 工作日")
    if period.unit == "calendar_days" and "工作日" in text and not _CALENDAR_DAYS.search(text):
        raise RuleLoadError(f"{path}: rule {rule.id}: field period.unit: calendar_days, but the quoted text counts "
                            "工作日 (working_days)")
    counts = quoted_counts(text)
    if period.days is not None and counts and period.days not in counts:
        # "10个工作日" written as days: 12 loads and judges by a period the clause does not give
        raise RuleLoadError(f"{path}: rule {rule.id}: field period.days: {period.days}, but the quoted text counts "
                            f"{', '.join(str(n) for n in sorted(counts))} (a reading of the rule that differs is a "
                            "profile parameter: period.param)")


def load_rule_dir(folder: Path) -> list[tuple[Path, RuleFile]]:
    if not folder.is_dir():
        raise RuleLoadError(f"{folder}: no such ruleset folder")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise RuleLoadError(f"{folder}: the ruleset folder holds no .yaml rule files")
    return [(path, load_rule_file(path)) for path in files]


CONDITION_KEYS = ("when", "case_when")  # an event match's conditions, one per attribute


def deep_merge(base: Any, patch: Any, key: Any = None) -> Any:
    """Patch plain data (a rule, a profile's layers): mappings merge key by key, anything else
    replaces. A condition is replaced whole: a drafter writes one (``category: {in: [a, b]}``),
    and merged into the rule's ``{equals: a}`` it made a condition of two tests, refused."""
    if isinstance(base, Mapping) and isinstance(patch, Mapping):
        merged = dict(base)
        for name, value in patch.items():
            whole = key in CONDITION_KEYS or name not in base
            merged[name] = copy.deepcopy(value) if whole else deep_merge(base.get(name), value, name)
        return merged
    return copy.deepcopy(patch)


def _drop_null_conditions(data: Any) -> Any:
    """``when: {category: null}`` in a patch drops the rule's condition on that attribute."""
    if not isinstance(data, Mapping):
        return data
    return {key: ({attr: c for attr, c in value.items() if c is not None}
                  if key in CONDITION_KEYS and isinstance(value, Mapping) else _drop_null_conditions(value))
            for key, value in data.items()}


def rebuild_rule(rule: Any, patches: Iterable[Mapping[str, Any]], source: str) -> Any:
    """Apply patches (readings, parameters, variant overrides) and validate again."""
    # keep explicit nulls (``penalty: null`` is a decision, not a gap)
    data = rule.model_dump(by_alias=True)
    for patch in patches:
        data = _drop_null_conditions(deep_merge(data, patch))
    wrapper = {"jurisdiction": "-", "title": "-", "rules": [data]}
    try:
        return RuleFile.model_validate(wrapper).rules[0]
    except ValidationError as exc:
        raise RuleLoadError(describe_validation_error(exc, wrapper, source)) from exc
