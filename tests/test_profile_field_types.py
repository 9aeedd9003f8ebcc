"""A profile's paths and ids of the wrong type are named, field and index, not a traceback.

Before, ``extends: 5`` (or ``true``, a list, a mapping), ``rulesets: [5]`` or ``[[a]]`` and
``remove_rules: [[a]]`` stopped the load with a TypeError ("internal error, a bug", exit 3),
and ``rulesets: yongzhou`` was read letter by letter ("'y' is neither a built-in ruleset …").
"""

from __future__ import annotations

from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.profile import ProfileError
from govdata_policy.rules.loader import RuleLoadError

ROOT = Path(__file__).resolve().parents[1]
VARIANT = (ROOT / "examples" / "variants" / "yongzhou-5wd.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("line", "said"), [
    ("extends: 5", "field extends: one built-in jurisdiction or profile file, not int"),
    ("extends: true", "field extends: one built-in jurisdiction or profile file, not bool"),
    ("extends: [yongzhou]", "field extends: one built-in jurisdiction or profile file, not list"),
    ("extends: {a: 1}", "field extends: one built-in jurisdiction or profile file, not dict"),
    ("rulesets: [5]", "field rulesets.0: a ruleset's name or ./folder, not 5"),
    ("rulesets: [yongzhou, [a]]", r"field rulesets.1: a ruleset's name or ./folder, not \['a'\]"),
    ("rulesets: yongzhou", r"field rulesets: a list of rulesets or folders, not str \(write \[yongzhou\] for one\)"),
    ("remove_rules: [[a]]", "field remove_rules.0: a rule id, not list"),
    ("remove_rules: [{a: 1}]", "field remove_rules.0: a rule id, not dict"),
    ("add_rules: [[a]]", "field add_rules.0: a rule file's name, not list"),
])
def test_a_field_of_the_wrong_type_is_named(tmp_path: Path, line: str, said: str) -> None:
    text = VARIANT.replace("extends: yongzhou\n", "") if line.startswith("extends") else VARIANT
    path = tmp_path / "v.yaml"
    path.write_text(f"{text}\n{line}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=said):
        gp.load_jurisdiction(path)


@pytest.mark.parametrize(("base", "param", "value", "said"), [
    ("yongzhou", "yz_conditional_reply_days", 10**30, f"{10**30} working days is too long: at most 5000"),
    ("yongzhou", "yz_conditional_reply_days", "{unit: calendar_days, days: 1000000000}",
     "1000000000 calendar days is too long: at most 10000"),
    ("xinjiang", "xj_log_retention_years", 10**30, f"{10**30} years is too long: at most 60"),
    ("xinjiang", "xj_log_retention_years", 61, "61 years is too long: at most 60"),
    ("guangxi", "gx_resource_offline_notice_days", 10**30, f"{10**30} working days is too long"),
])
def test_a_period_too_long_to_count_is_refused(tmp_path: Path, base: str, param: str, value: object,
                                              said: str) -> None:
    """Before: 10**30 days overflowed a C integer on checking a log (exit 3), 61 years of retention from a
    log created in 2199 stopped the whole check with 'Out of bounds nanosecond timestamp'."""
    path = tmp_path / "v.yaml"
    path.write_text(f"name: v\nextends: {base}\nparameters:\n  {param}: {{value: {value}, reference: x}}\n",
                    encoding="utf-8")
    with pytest.raises(RuleLoadError, match=f"field period: days: {said}"):
        gp.load_jurisdiction(path)


def test_the_longest_period_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("name: v\nextends: xinjiang\nparameters:\n  xj_log_retention_years: {value: 60, reference: x}\n",
                    encoding="utf-8")
    assert gp.load_jurisdiction(path).parameter("xj_log_retention_years") == 60
