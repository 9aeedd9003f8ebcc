"""A profile's chain of files: which file a name or path means, and its layers, base first.

Each layer is read as written, with the paths it gives (calendar, rulesets of its own,
``add_rules``) made absolute against its own folder, before the layers are merged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import paths
from .errors import zh_list
from .rules.loader import RuleLoadError, read_yaml
from .vocabulary import closest, did_you_mean

BUILT_INS = paths.profile_names()


class ProfileError(RuleLoadError):
    """A profile that cannot be loaded; the message names the file and field."""


def resolve_file(name_or_path: str | Path) -> Path:
    if not isinstance(name_or_path, str | os.PathLike):
        # load_jurisdiction(None) or (5): "expected str, bytes or os.PathLike object" from Path, naming nothing
        from .options import KeywordError

        raise KeywordError(f"load_jurisdiction: expected a built-in jurisdiction ({', '.join(BUILT_INS)}) or the "
                           f"path of a profile file, got {name_or_path!r} ({type(name_or_path).__name__})")
    if not str(name_or_path).strip():
        raise ProfileError(f"no jurisdiction given: one of {', '.join(BUILT_INS)}, or a profile file",
                           zh=f"未指定辖区：请给出{zh_list(BUILT_INS)}之一，或档案文件的路径")
    candidate = Path(name_or_path)
    if str(name_or_path) in BUILT_INS and candidate.suffix not in (".yaml", ".yml") and not candidate.is_file():
        # a folder of that name in the working directory (exports/yongzhou/ checked from exports/) is no
        # profile: it hid the built-in, so `-j yongzhou` and `extends: yongzhou` failed there
        return paths.jurisdictions_dir() / f"{name_or_path}.yaml"
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise ProfileError(f"{candidate}: no such profile file", zh=f"{candidate}：找不到档案文件")
        return candidate.resolve()
    built_in = paths.jurisdictions_dir() / f"{name_or_path}.yaml"
    if not built_in.is_file():
        meant = closest(str(name_or_path), BUILT_INS)
        close_zh = f"（是否应为{meant!r}？）" if meant else ""
        raise ProfileError(f"unknown jurisdiction {name_or_path!r}{did_you_mean(str(name_or_path), BUILT_INS)}: "
                           f"use one of {', '.join(BUILT_INS)} or a path to a profile file",
                           zh=f"未知的辖区{name_or_path!r}{close_zh}：请用{zh_list(BUILT_INS)}之一，或档案文件的路径")
    return built_in


def _absolutise(raw: dict[str, Any], file: Path) -> dict[str, Any]:
    """Paths inside a profile are relative to its own file; fix them before merging layers, and
    name a missing calendar file here, where the layer that names it is known."""
    folder = file.parent
    raw = dict(raw)
    calendar = dict(raw.get("calendar") or {}) if isinstance(raw.get("calendar"), Mapping) else {}

    def existing(field: str, value: Any) -> str:
        path = folder / str(value)
        if not path.is_file():
            raise ProfileError(f"{file}: field calendar.{field}: file {value} not found next to the profile")
        return str(path.resolve())

    if calendar.get("regional"):
        calendar["regional"] = existing("regional", calendar["regional"])
    overrides = calendar.get("overrides") or []
    if isinstance(overrides, list):
        calendar["overrides"] = [existing("overrides", p) for p in overrides]
    if isinstance(raw.get("calendar"), Mapping):  # anything else: the model names the wrong type
        raw["calendar"] = calendar
    rulesets = []
    given = raw.get("rulesets") or []
    # a bare name (``rulesets: yongzhou``) was read letter by letter, a number or list made a traceback
    if not isinstance(given, list):
        one = f" (write [{given}] for one)" if isinstance(given, str) else ""
        raise ProfileError(f"{file}: field rulesets: a list of rulesets or folders, not {type(given).__name__}{one}")
    for i, entry in enumerate(given):
        if not isinstance(entry, str):
            raise ProfileError(f"{file}: field rulesets.{i}: a ruleset's name or ./folder, not {entry!r}")
        local = folder / entry
        rulesets.append(str(local.resolve()) if local.exists() and ("/" in entry or entry.startswith(".")) else entry)
    if "rulesets" in raw:
        raw["rulesets"] = rulesets
    added = raw.get("add_rules") or []
    if isinstance(added, str | Path):  # one file named without the list's brackets
        added = [added]
    if not isinstance(added, list):
        raise ProfileError(f"{file}: field add_rules: a list of rule files, not {type(added).__name__}")
    for i, extra in enumerate(added):
        if not isinstance(extra, str):
            raise ProfileError(f"{file}: field add_rules.{i}: a rule file's name, not {type(extra).__name__}")
        if not (folder / str(extra)).is_file():
            raise ProfileError(f"{file}: field add_rules.{i}: rule file {extra} not found next to the profile")
    raw["add_rules"] = [str((folder / str(extra)).resolve()) for extra in added]
    return raw


def _own_references(raw: Mapping[str, Any], file: Path) -> None:
    """A variant that gives a parameter's value gives its reference: merged key by key, the value alone
    kept the parent's reference, which cites the parent's value (a 5-day draft cited "第十八条（二）10个工作日")."""
    parameters = raw.get("parameters")
    for name, entry in (parameters.items() if isinstance(parameters, Mapping) else ()):
        if isinstance(entry, Mapping) and "value" in entry and "reference" not in entry:
            raise ProfileError(f"{file}: field parameters.{name}.reference: missing; a variant that sets a value "
                               "says where it comes from (the draft, clause or decision), since the parent's "
                               "reference is for the parent's value")


def read_layers(file: Path, seen: tuple[Path, ...] = ()) -> list[tuple[str, Path, dict[str, Any]]]:
    """The chain of profile files, base first: [(layer name, file, raw mapping)]."""
    if file in seen:
        raise ProfileError(f"{file}: extends itself through {' -> '.join(map(str, seen))}")
    raw = read_yaml(file)
    if not isinstance(raw, Mapping):
        raise ProfileError(f"{file}: a profile file is a mapping (name, documents, rulesets, ...)")
    raw = _absolutise(dict(raw), file)
    layer = str(raw.get("name") or file.stem)
    removed = raw.get("remove_rules")
    if isinstance(removed, list):
        for i, rule_id in enumerate(removed):
            if not isinstance(rule_id, str):  # unhashable, a list or mapping made a TypeError (exit 3)
                raise ProfileError(f"{file}: field remove_rules.{i}: a rule id, not {type(rule_id).__name__}")
    parent = raw.get("extends")
    if not parent:
        return [(layer, file, raw)]
    _own_references(raw, file)
    if not isinstance(parent, str):  # a number, list or mapping made a TypeError (exit 3) below
        raise ProfileError(f"{file}: field extends: one built-in jurisdiction or profile file, "
                           f"not {type(parent).__name__}")
    try:
        parent_file = resolve_file(parent if not (file.parent / str(parent)).is_file() else file.parent / str(parent))
    except ProfileError as exc:
        raise ProfileError(f"{file}: field extends: {exc}") from exc
    chain = read_layers(parent_file, (*seen, file))
    same = next((other for name, other, _ in chain if name == layer), None)
    if same is not None:
        # a finding's layer names the profile that changed its rule by this name: under the parent's
        # (``name: guangxi`` extending guangxi) a variant's 20-day period read as the bundled profile's own
        given = "name" if raw.get("name") else "name (not given: the file's name stands for it)"
        raise ProfileError(f"{file}: field {given}: {layer!r} is also the name of {same}, which it extends; a variant "
                           "takes a name of its own: a finding's layer (and `rules show`'s _layer) names the profile "
                           "that changed its rule by it")
    return [*chain, (layer, file, raw)]


def parameter_hint(layers: list[tuple[str, Path, dict[str, Any]]], loc: tuple[Any, ...]) -> str:
    """For a parameter that fails validation (``parameters.NAME.description: Field required``) and that no
    profile before the layer giving it has, the parent's parameter its name is close to: a variant's
    misspelt ``yz_conditional_reply_day: {value, reference}`` was refused for its missing description (a
    correctly spelt one inherits the parent's), and the misspelling went unsaid until one was written."""
    if len(loc) < 2 or loc[0] != "parameters":
        return ""
    name = str(loc[1])
    before: set[str] = set()
    for _, _, raw in layers:
        given = raw.get("parameters")
        names = {str(key) for key in given} if isinstance(given, Mapping) else set()
        if name in names:
            break
        before |= names
    if name in before or not before:
        return ""
    # near only (a letter or two): a parameter of the variant's own, read by its own rule, is no misspelling
    close = closest(name, sorted(before), cutoff=0.85)
    return f" ({name!r} is no parameter of the profile it extends: did you mean {close!r}?)" if close else ""
