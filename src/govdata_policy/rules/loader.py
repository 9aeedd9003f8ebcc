"""Loading rule files, with errors that name the file, the rule and the field."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .model import RuleFile

# issue 5: libyaml's parser reads the ~30 rule and profile files of a run in a tenth of
# the pure-Python parser's 0.13 s; both build the same Python values
_SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RuleLoadError(ValueError):
    """A rule or profile file with a mistake: the message names file, rule and field."""


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleLoadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RuleLoadError(f"{path}:{where} not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def describe_validation_error(exc: ValidationError, raw: Any, source: str) -> str:
    """'file: rule ID: field a.b: message' for the first few errors."""
    lines = []
    for error in exc.errors()[:5]:
        loc = list(error["loc"])
        rule_name = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            index = loc[1]
            rules = raw.get("rules") if isinstance(raw, Mapping) else None
            rule_id = rules[index].get("id") if isinstance(rules, list) and isinstance(rules[index], Mapping) else None
            rule_name = f" rule {rule_id or f'#{index + 1}'}:"
            loc = loc[2:]
            # drop the discriminator tag pydantic inserts ('deadline', ...)
            if loc and isinstance(loc[0], str) and loc[0] in _KIND_TAGS:
                loc = loc[1:]
        field = ".".join(str(p) for p in loc) or "(the whole entry)"
        lines.append(f"{source}:{rule_name} field {field}: {error['msg']}")
    return "; ".join(lines)


_KIND_TAGS = {"deadline", "waiting", "lead_time", "precondition", "required", "prohibited", "retention"}


def load_rule_file(path: Path) -> RuleFile:
    raw = read_yaml(path)
    if not isinstance(raw, Mapping):
        raise RuleLoadError(f"{path}: a rule file is a mapping with jurisdiction, title and rules")
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleLoadError(describe_validation_error(exc, raw, str(path))) from exc


def load_rule_dir(folder: Path) -> list[tuple[Path, RuleFile]]:
    if not folder.is_dir():
        raise RuleLoadError(f"{folder}: no such ruleset folder")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise RuleLoadError(f"{folder}: the ruleset folder holds no .yaml rule files")
    return [(path, load_rule_file(path)) for path in files]


def deep_merge(base: Any, patch: Any) -> Any:
    """Patch a plain-data rule: mappings merge key by key, anything else replaces."""
    if isinstance(base, Mapping) and isinstance(patch, Mapping):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = deep_merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(patch)


def rebuild_rule(rule: Any, patches: Iterable[Mapping[str, Any]], source: str) -> Any:
    """Apply patches (readings, parameters, variant overrides) and validate again."""
    # keep explicit nulls (``penalty: null`` is a decision, not a gap)
    data = rule.model_dump(by_alias=True)
    for patch in patches:
        data = deep_merge(data, patch)
    wrapper = {"jurisdiction": "-", "title": "-", "rules": [data]}
    try:
        return RuleFile.model_validate(wrapper).rules[0]
    except ValidationError as exc:
        raise RuleLoadError(describe_validation_error(exc, wrapper, source)) from exc
