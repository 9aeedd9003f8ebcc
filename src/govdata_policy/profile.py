"""A loaded jurisdiction profile: its documents, calendar, penalties and rules.

``load_jurisdiction("xinjiang")`` reads ``jurisdictions/xinjiang.yaml`` and the
rulesets it names; ``load_jurisdiction("variant.yaml")`` reads a drafter's file,
which may ``extends:`` a built-in (or another file) and override parameters,
readings and rules. Every rule remembers which layer supplied it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from . import paths
from .field_errors import worded
from .profile_checks import check_removed_left_alone, check_rule_file_jurisdiction, check_rules_named
from .profile_layers import BUILT_INS as BUILT_INS  # the built-in names, where callers look for them
from .profile_layers import ProfileError, parameter_hint, read_layers, resolve_file
from .profile_model import ProfileFile
from .rules.loader import RuleLoadError, deep_merge, load_rule_dir, load_rule_file, rebuild_rule

if TYPE_CHECKING:
    from .calendar import WorkingCalendar
    from .monitor import Monitor
    from .result import Result


def _param_patch(rule: Any, value: Any, file: Path) -> dict[str, Any]:
    """How a period parameter's value changes a rule: N (same unit), {unit, days}, or null (C4)."""
    if value is None:
        return {"period": {"unit": "none", "days": None}}
    if isinstance(value, int) and not isinstance(value, bool):
        # a number for a presence-only (C4) period sets it in working days, as the clauses count
        unit = rule.period.unit if rule.period.unit != "none" else "working_days"
        return {"period": {"unit": unit, "days": value}}
    if isinstance(value, Mapping):
        return {"period": dict(value)}
    raise ProfileError(f"{file}: field parameters.{rule.period.param}.value: {value!r} is not a number of days, "
                       f"{{unit, days}} or null (rule {rule.id})")


def _noted(rule: Any, final: Any, patches: list[dict[str, Any]], readings: list[tuple[str, Any]]) -> Any:
    """The rule with its title and summary saying so when this profile's period is not the one
    its text states (a variant's parameter: "10个工作日内" would otherwise head findings
    counted on 5), or when it applies a reading other than the rule's default (``readings``:
    (parameter, value) of each; the words quoted would otherwise state the default's limit);
    a title or summary the profile words itself is left as it wrote it."""
    zh_notes, en_notes = [], []
    before, after = getattr(rule, "period", None), getattr(final, "period", None)
    if before is not None and after is not None and (before.unit, before.days) != (after.unit, after.days):
        zh_notes.append(after.describe("zh"))
        en_notes.append(after.describe("en", short=False))
    for param, value in readings:
        zh_notes.append(f"解读 {param}={value}")
        en_notes.append(f"reading {param} = {value}")
    if not zh_notes:
        return final
    noted = {
        "title_zh": f"{final.title_zh}〔本方案：{'；'.join(zh_notes)}〕",
        "summary_en": f"{final.summary_en.rstrip().rstrip('.')} [this profile: {'; '.join(en_notes)}].",
    }
    worded = {field for patch in patches for field in noted if field in patch}  # the profile's own words
    return final.model_copy(update={field: text for field, text in noted.items() if field not in worded})


class Profile:
    """A jurisdiction, ready to evaluate logs."""

    def __init__(self, file: Path) -> None:
        self.file = file
        layers = read_layers(file)
        merged: dict[str, Any] = {}
        for _, layer_file, raw in layers:
            removed_before = merged.get("remove_rules") or []
            merged = deep_merge(merged, {k: v for k, v in raw.items() if k not in ("extends", "add_rules")})
            if "rulesets" in raw:
                merged["rulesets"] = raw["rulesets"]
            if "remove_rules" in raw:  # removals accumulate down a chain, as add_rules do: none is undone
                if not isinstance(raw["remove_rules"], list):
                    raise ProfileError(f"{layer_file}: field remove_rules: a list of rule ids, "
                                       f"not {type(raw['remove_rules']).__name__}")
                merged["remove_rules"] = list(dict.fromkeys([*removed_before, *raw["remove_rules"]]))
        try:
            self.spec = ProfileFile.model_validate(merged)
        except ValidationError as exc:
            errors = worded(exc.errors(), ProfileFile)  # a misspelt key said as one, not as "Field required"
            # a key that is no field first: the required fields it leaves missing follow from it (`extend:`
            # left a variant without its parent, and it was told "field title_zh: Field required")
            error = next((e for e in errors if e["type"] == "misspelt_key"), errors[0])
            field = ".".join(str(p) for p in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")  # pydantic's words for a validator's own
            message += parameter_hint(layers, tuple(error["loc"]))
            raise ProfileError(f"{file}: field {field}: {message}" if field else f"{file}: {message}") from exc
        self.layer_names = [name for name, _, _ in layers]
        # the last layer's own name: a variant without ``name:`` is its file's (docs/rules-format.md), not the
        # parent's the merge would give it, or its findings' jurisdiction read as the bundled profile's
        self.name = self.layer_names[-1]
        # every file and folder the profile is built from: an edit to any one makes load_jurisdiction read anew
        calendar = self.spec.calendar
        self.built_from: list[Path] = [
            *(layer_file for _, layer_file, _ in layers),
            *(Path(p) for p in (calendar.regional, *calendar.overrides) if p),
        ]
        self.rule_layer: dict[str, str] = {}
        self.rule_file: dict[str, Path] = {}
        self.rules = self._load_rules(layers)
        self.rules_by_id = {rule.id: rule for rule in self.rules}

    # -- rules ---------------------------------------------------------------
    def _load_rules(self, layers: list[tuple[str, Path, dict[str, Any]]]) -> list[Any]:
        base_layer = layers[0][0]
        loaded: list[tuple[Path, Any]] = []
        # whose rules the profile's are: its chain's first profile, and a bundled ruleset it names (a renamed
        # copy of a built-in profile may keep ``rulesets: [yongzhou]``); a file of its own folders names one
        own_names = [base_layer, *(entry for entry in self.spec.rulesets if not Path(entry).is_absolute())]
        owners = list(dict.fromkeys(own_names))
        for entry in self.spec.rulesets:
            folder = Path(entry) if Path(entry).is_absolute() else paths.rules_dir() / entry
            if not folder.is_dir():
                raise ProfileError(f"{self.file}: field rulesets: {entry!r} is neither a built-in ruleset nor a "
                                   "folder next to the profile (write ./folder for one of yours)")
            self.built_from.append(folder)  # its mtime moves when a rule file is added or removed
            for path, rule_file in load_rule_dir(folder):
                self.built_from.append(path)
                if Path(entry).is_absolute():  # a bundled ruleset's files name it, as its folder does
                    check_rule_file_jurisdiction(path, rule_file, owners)
                loaded.extend((path, rule) for rule in rule_file.rules)
        for name, _, raw in layers:
            for extra in raw.get("add_rules") or []:
                added = load_rule_file(Path(extra))
                self.built_from.append(Path(extra))
                if added.jurisdiction not in owners:
                    # a file of another jurisdiction's rules cites clauses this profile's documents do not hold
                    raise RuleLoadError(f"{extra}: field jurisdiction: {added.jurisdiction!r}, but the profile's "
                                        f"rules are {' or '.join(repr(o) for o in owners)}'s (added by {name})")
                for rule in added.rules:
                    loaded.append((Path(extra), rule))
                    self.rule_layer[rule.id] = name
        # which layer last touched a parameter, a rule override, a penalty item (or the article's
        # consequence, "*") or a document (its validity): each a value a rule's findings carry
        param_layer: dict[str, str] = {}
        override_layer: dict[str, str] = {}
        penalty_layer: dict[str, str] = {}
        document_layer: dict[str, str] = {}
        for name, _, raw in layers:
            for param in raw.get("parameters") or {}:
                param_layer[param] = name
            for rule_id in raw.get("rule_overrides") or {}:
                override_layer[rule_id] = name
            penalties = raw.get("penalties") or {}
            for item in penalties.get("items") or {}:
                penalty_layer[item] = name
            if "consequence" in penalties:
                penalty_layer["*"] = name
            for key in raw.get("documents") or {}:
                document_layer[key] = name
        order = {name: i for i, name in enumerate(self.layer_names)}

        seen: dict[str, Path] = {}
        rules: list[Any] = []
        known_ids = {rule.id for _, rule in loaded}
        check_rules_named(known_ids, layers)
        for path, rule in loaded:
            if rule.id in seen:
                raise RuleLoadError(f"{path}: rule {rule.id}: field id: also defined in {seen[rule.id]}")
            seen[rule.id] = path
            if rule.id in self.spec.remove_rules:
                continue
            patches, touched, readings = self._patches_for(rule, param_layer, override_layer)
            # the rule file loaded on its own: a mistake now is in what the profile changes
            source = f"{self.file} (its parameters, readings or rule_overrides applied to {path.name})"
            if rule.id in self.spec.rule_overrides:
                self._check_overrides_change(rule, patches[:-1], layers, source)
            final = _noted(rule, rebuild_rule(rule, patches, source), patches, readings) if patches else rule
            self._check_references(final, path if rule.id not in self.spec.rule_overrides else self.file)
            rules.append(final)
            self.rule_file[rule.id] = path
            values = [*touched, penalty_layer.get(final.penalty or ""), document_layer.get(final.document)]
            item = self.spec.penalties.items.get(final.penalty or "")
            if item is not None and not item.consequence:  # the article's consequence is the finding's
                values.append(penalty_layer.get("*"))
            # the last layer of the chain that supplied any of them is named
            supplied = max((v for v in values if v is not None), key=order.__getitem__, default=None)
            self.rule_layer.setdefault(rule.id, supplied or base_layer)
        self._check_parameters_used([rule for _, rule in loaded], layers)
        self._check_parties_named([*(rule for _, rule in loaded), *rules], layers)
        check_removed_left_alone([rule for _, rule in loaded], layers)
        return rules

    @staticmethod
    def _check_overrides_change(rule: Any, other_patches: list[dict[str, Any]],
                                layers: list[tuple[str, Path, dict[str, Any]]], source: str) -> None:
        """Each layer's override of a rule changes it, or is refused: it would be named as the rule's
        layer, and ``trigger: {when: {}}`` (meant to drop the conditions) left them as they were."""
        merged: dict[str, Any] = {}
        before = rebuild_rule(rule, other_patches, source) if other_patches else rule
        for _, file, raw in layers:
            own = (raw.get("rule_overrides") or {}).get(rule.id)
            if not isinstance(own, Mapping):
                continue
            if "readings" in own:  # the readings were applied from the rule file's: a new one would be shown, not used
                raise ProfileError(f"{file}: field rule_overrides.{rule.id}.readings: a rule's readings cannot be "
                                   "overridden; choose one by its parameter (parameters: {PARAM: {value: OPTION}}), "
                                   "or change what the rule says in rule_overrides directly")
            merged = deep_merge(merged, own)
            after = rebuild_rule(rule, [*other_patches, merged], f"{file} (its rule_overrides)")
            if after == before:
                raise ProfileError(f"{file}: field rule_overrides.{rule.id}: changes nothing in the rule (a mapping "
                                   "merges into the rule's, so an empty one, or values the rule already has, change "
                                   "nothing; a condition given replaces the rule's on that attribute, and null drops "
                                   "it)")
            before = after

    def _check_references(self, rule: Any, where: Path) -> None:
        """A rule's document, penalty item and party are keys of this profile (a typo would cite nothing)."""
        if rule.document not in self.spec.documents:
            raise ProfileError(f"{where}: rule {rule.id}: field document: {rule.document!r} is not a document of "
                               f"the profile ({', '.join(self.spec.documents)})")
        items = self.spec.penalties.items
        if rule.penalty is not None and rule.penalty not in items:
            raise ProfileError(f"{where}: rule {rule.id}: field penalty: {rule.penalty!r} is not an item of the "
                               f"profile's penalties (article {self.spec.penalties.article}: {', '.join(items)})")
        parties = self.spec.parties
        if rule.party is not None and rule.party not in parties:
            # a misspelt body named no party: every finding of the rule had responsible_party null
            from .vocabulary import did_you_mean

            raise ProfileError(f"{where}: rule {rule.id}: field party: {rule.party!r} is not a key of the profile's "
                               f"parties ({', '.join(parties)}){did_you_mean(rule.party, parties)}")

    def _check_parameters_used(self, rules: list[Any], layers: list[tuple[str, Path, dict[str, Any]]]) -> None:
        """Every parameter a profile sets is one a rule reads (``xz_provider_reply_day: 10`` changed nothing)."""
        from .vocabulary import did_you_mean

        used = {rule.period.param for rule in rules if getattr(rule, "period", None) is not None and rule.period.param}
        used |= {reading.param for rule in rules for reading in rule.readings}
        for _, file, raw in reversed(layers):
            for name in raw.get("parameters") or {}:
                if name not in used:
                    raise ProfileError(f"{file}: field parameters.{name}: no rule reads this parameter"
                                       f"{did_you_mean(name, sorted(used))}")

    def _check_parties_named(self, rules: list[Any], layers: list[tuple[str, Path, dict[str, Any]]]) -> None:
        """Every key of ``parties`` that is not a role is a body some rule names in its ``party:`` (the rule
        files' or a profile's override of one, removed rules too, as parameters): ``authorty`` answered for
        no rule, and the role's own entry went on answering."""
        from .rules.model import RESPONSIBLE_ROLES
        from .vocabulary import did_you_mean

        named = {rule.party for rule in rules if rule.party is not None}
        for _, file, raw in reversed(layers):
            for key in raw.get("parties") or {}:
                if key not in RESPONSIBLE_ROLES and key not in named:
                    raise ProfileError(f"{file}: field parties.{key}: neither a role ({', '.join(RESPONSIBLE_ROLES)}) "
                                       f"nor named by a rule's party{did_you_mean(key, [*RESPONSIBLE_ROLES, *named])}")

    def _patches_for(
        self, rule: Any, param_layer: dict[str, str], override_layer: dict[str, str]
    ) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, Any]]]:
        """What the profile changes in a rule: (patches, the layers that changed it, the
        readings other than the rule's default it applies as (parameter, value))."""
        patches: list[dict[str, Any]] = []
        touched: list[str] = []  # layers that changed the rule
        chosen: list[tuple[str, Any]] = []
        # the period parameter first, the readings after it: a reading whose option gives a period is the
        # narrower choice, and the parameter (which the base profile always sets) undid it after the title
        # had named the reading
        period = getattr(rule, "period", None)
        period_param = period.param if period is not None and period.param in self.spec.parameters else None
        if period_param is not None:
            patches.append(_param_patch(rule, self.spec.parameters[period_param].value, self.file))
        for reading in rule.readings:
            choice = self.spec.parameters.get(reading.param)
            value = reading.default if choice is None else choice.value
            if value not in reading.options:
                word = ("yes" if value else "no") if isinstance(value, bool) else None
                quote = (f"; write it in quotes (\"{word}\"): YAML reads a bare {word} as {str(value).lower()}"
                         if word in reading.options else "")
                raise ProfileError(
                    f"{self.file}: parameter {reading.param}: {value!r} is not a reading of rule {rule.id} "
                    f"(choose one of {', '.join(reading.options)}){quote}"
                )
            patches.append(reading.options[value])
            if value != reading.default:
                chosen.append((reading.param, value))
            if choice is not None and reading.param in param_layer:
                touched.append(param_layer[reading.param])
        read_period = any("period" in patch for patch in patches[1 if period_param else 0:])
        if period_param is not None and period_param in param_layer and not read_period:
            touched.append(param_layer[period_param])
        if rule.id in self.spec.rule_overrides:
            patches.append(self.spec.rule_overrides[rule.id])
            if rule.id in override_layer:
                touched.append(override_layer[rule.id])
        return patches, touched, chosen

    # -- the rest ------------------------------------------------------------
    @cached_property
    def calendar(self) -> WorkingCalendar:
        from .calendar import build_calendar

        ref = self.spec.calendar
        regional = Path(ref.regional) if ref.regional else None
        return build_calendar(regional, tuple(Path(p) for p in ref.overrides))

    def parameter(self, name: str, default: Any = None) -> Any:
        found = self.spec.parameters.get(name)
        return default if found is None else found.value

    def evaluate(self, events: Any, as_of: Any = None, **options: Any) -> Result:
        """Check a log (DataFrame, path(s), iterable of dicts, or a dask DataFrame); returns a ``Result``."""
        from .engine.evaluate import evaluate
        from .io.partitions import is_dask_collection  # never imports dask itself

        if is_dask_collection(events):
            from .distributed import evaluate_dask

            return evaluate_dask(self, events, as_of=as_of, **options)
        return evaluate(self, events, as_of=as_of, **options)

    def monitor(self, **options: Any) -> Monitor:
        """A streaming monitor on event time (see ``govdata_policy.monitor``)."""
        from .monitor import Monitor

        return Monitor(self, **options)

    def __repr__(self) -> str:
        return f"<Profile {self.name}: {len(self.rules)} rules>"


def _fingerprint(files: list[Path]) -> tuple[tuple[Path, int, int], ...] | None:
    """Each file's path, mtime and size (None when one is gone: the profile is read anew)."""
    try:
        return tuple((path, stat.st_mtime_ns, stat.st_size) for path in files for stat in [path.stat()])
    except OSError:
        return None


# top-level profile file -> (the profile, the fingerprint of every file it was built from)
_CACHE: dict[Path, tuple[Profile, tuple[tuple[Path, int, int], ...] | None]] = {}


def load_jurisdiction(name_or_path: str | Path) -> Profile:
    """The profile, read once per process while none of the files it is built from (its layers, rule
    files, ruleset folders and calendar files) changes; an edit to any one of them is read."""
    file = resolve_file(name_or_path)
    cached = _CACHE.get(file)
    if cached is not None and cached[1] is not None and _fingerprint(cached[0].built_from) == cached[1]:
        return cached[0]
    profile = Profile(file)
    _CACHE[file] = (profile, _fingerprint(profile.built_from))
    return profile
