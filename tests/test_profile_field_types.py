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
