"""A folder named after a built-in jurisdiction in the working directory does not hide the built-in.

Exports kept a folder per jurisdiction (``exports/yongzhou/``) and checked from ``exports/`` made
``check yongzhou -j yongzhou`` fail with "yongzhou: no such profile file", and so did a variant's
``extends: yongzhou``: the name was taken for the path of the folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.profile_layers import resolve_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory holds ``yongzhou/`` with the example log in it."""
    (tmp_path / "yongzhou").mkdir()
    shutil.copy(ROOT / "examples" / "yongzhou.csv", tmp_path / "yongzhou" / "2025.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_name_is_the_built_in_profile(exports: Path) -> None:
    assert resolve_file("yongzhou") == ROOT / "jurisdictions" / "yongzhou.yaml"
    assert gp.load_jurisdiction("yongzhou").name == "yongzhou"


def test_a_variant_extending_the_built_in_loads(exports: Path) -> None:
    variant = exports / "yz-5wd.yaml"
    variant.write_text((ROOT / "examples" / "variants" / "yongzhou-5wd.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    assert gp.load_jurisdiction(variant).name == "yongzhou-5wd"


def test_check_of_the_folder_under_the_built_in(exports: Path) -> None:
    outcome = CliRunner().invoke(app, ["check", "yongzhou", "-j", "yongzhou", "--as-of", "2025-12-31",
                                       "--format", "json", "-o", "out.json"])
    assert outcome.exit_code == 1, outcome.output  # the example's violations, not exit 2
    found = json.loads((exports / "out.json").read_text(encoding="utf-8"))
    assert found["jurisdiction"] == "yongzhou" and found["rows"]["read"] == 66


def test_a_folder_named_like_no_built_in_is_still_no_profile(exports: Path) -> None:
    (exports / "mine").mkdir()
    with pytest.raises(gp.profile.ProfileError, match="mine: no such profile file"):
        resolve_file("mine")
