"""``load_jurisdiction`` keeps a profile per process, and reads it anew when any file it was built
from changes: a drafter editing a rule file or a parent profile in a notebook got the old rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import govdata_policy as gp

ROOT = Path(__file__).resolve().parents[1]
RULE = "xz-5.3.2-provider-reply"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_to_any_file_a_profile_is_built_from_is_read(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "rules" / "xinzhou", tmp_path / "rules_xz")
    shutil.copytree(ROOT / "jurisdictions" / "sources", tmp_path / "sources")
    parent = tmp_path / "xz.yaml"
    parent.write_text((ROOT / "jurisdictions" / "xinzhou.yaml").read_text(encoding="utf-8").replace(
        "rulesets: [xinzhou]", "rulesets: [./rules_xz]"), encoding="utf-8")
    variant = tmp_path / "v.yaml"
    variant.write_text("name: v\nextends: xz.yaml\n", encoding="utf-8")

    first = gp.load_jurisdiction(variant)
    assert gp.load_jurisdiction(variant) is first  # nothing changed: the one read
    # the parent profile (the variant's own file untouched, the cache's only key before)
    _edit(parent, "  xz_provider_reply_days:\n    value: 5", "  xz_provider_reply_days:\n    value: 12")
    assert gp.load_jurisdiction(variant).rules_by_id[RULE].period.days == 12
    # a rule file of the parent's ruleset
    _edit(tmp_path / "rules_xz" / "sharing.yaml", "      The provider answers a conditional",
          "      Edited. The provider answers a conditional")
    assert "Edited. " in gp.load_jurisdiction(variant).rules_by_id[RULE].summary_en
    # a rule file added to the folder, and one taken away
    extra = tmp_path / "rules_xz" / "zz_extra.yaml"
    extra.write_text((tmp_path / "rules_xz" / "sharing.yaml").read_text(encoding="utf-8").replace("id: xz-", "id: zz-"),
                     encoding="utf-8")
    assert "zz-5.3.2-provider-reply" in gp.load_jurisdiction(variant).rules_by_id
    extra.unlink()
    assert "zz-5.3.2-provider-reply" not in gp.load_jurisdiction(variant).rules_by_id
