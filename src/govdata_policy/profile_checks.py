"""Checks of a profile's layers against its rules: each a drafter's mistake that loaded and changed nothing,
or changed the wrong thing, said with the file and field instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .profile_layers import ProfileError
from .rules.loader import RuleLoadError


def check_removed_left_alone(rules: list[Any], layers: list[tuple[str, Path, dict[str, Any]]]) -> None:
    """A layer that removes a rule, or one after it, does not also change it: its override, or a
    parameter only removed rules read, would load and change nothing."""
    removed_by: dict[str, tuple[int, Path]] = {}  # rule id -> the first layer removing it (index, file)
    for index, (_, file, raw) in enumerate(layers):
        for rule_id in raw.get("remove_rules") or []:
            removed_by.setdefault(rule_id, (index, file))

    def gone(rule_id: str, index: int) -> bool:
        return rule_id in removed_by and removed_by[rule_id][0] <= index

    readers: dict[str, list[str]] = {}
    for rule in rules:
        params = [reading.param for reading in rule.readings]
        if getattr(rule, "period", None) is not None and rule.period.param:
            params.append(rule.period.param)
        for param in params:
            readers.setdefault(param, []).append(rule.id)
    for index, (_, file, raw) in enumerate(layers):
        for rule_id in raw.get("rule_overrides") or {}:
            if gone(rule_id, index):
                raise ProfileError(f"{file}: field rule_overrides.{rule_id}: the rule is removed (remove_rules of "
                                   f"{removed_by[rule_id][1]}): the override would change nothing")
        for param in raw.get("parameters") or {}:
            read_by = readers.get(param, [])
            if read_by and all(gone(rule_id, index) for rule_id in read_by):
                raise ProfileError(f"{file}: field parameters.{param}: read only by rule {', '.join(read_by)}, which "
                                   f"remove_rules of {removed_by[read_by[0]][1]} removes: the value would change "
                                   "nothing")


def check_rules_named(known_ids: set[str], layers: list[tuple[str, Path, dict[str, Any]]]) -> None:
    """Each rule a layer overrides or removes is one the profile has, said in the layer's own file and field
    (a misspelt id was named against the last variant of the chain, with neither field nor the id meant)."""
    from .vocabulary import did_you_mean

    for _, file, raw in layers:
        for field in ("rule_overrides", "remove_rules"):
            for rule_id in raw.get(field) or []:
                if rule_id not in known_ids:
                    where = f"{field}.{rule_id}" if field == "rule_overrides" else field
                    raise ProfileError(f"{file}: field {where}: no rule {rule_id!r} in the profile"
                                       f"{did_you_mean(str(rule_id), known_ids)}; `rules list -j` lists its ids")


def check_rule_file_jurisdiction(path: Path, rule_file: Any, owners: list[str]) -> None:
    """A file of a profile's own rule folder names whose rules they are: the profile's chain's first profile (its
    variants use its rules), or a bundled ruleset the profile names. A rule copied from another jurisdiction's
    folder keeps that one's name, and loaded silently: its findings cited that jurisdiction's clauses under this
    profile's documents and name."""
    if rule_file.jurisdiction in owners:
        return
    ids = [rule.id for rule in rule_file.rules]
    which = f"rule {ids[0]}{f' (and {len(ids) - 1} more)' if len(ids) > 1 else ''}: " if ids else ""
    raise RuleLoadError(f"{path}: {which}field jurisdiction: {rule_file.jurisdiction!r}, but the profile's rules "
                        f"are {' or '.join(owners)}'s (write jurisdiction: {owners[0]} in a rule file of the "
                        f"profile's own; to use {rule_file.jurisdiction}'s rules as they are, make the profile a "
                        f"variant of it: extends: {rule_file.jurisdiction})")
