"""Hostile YAML: every file the package reads is refused, with a line, when aliases would blow it
up or it nests without end, instead of running out of memory, hanging, or crashing the process.

Before: a 1 KB mapping file of ten nested aliases ("billion laughs") ran 40 s into a MemoryError
(exit 3); the same in a YAML test case or a profile's parameter hung; ``[[[…]]]`` 200,000 deep
killed the process with a segmentation fault in libyaml, a few thousand deep a RecursionError.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp
from govdata_policy.calendar.errors import CalendarFileError
from govdata_policy.calendar.files import load_overrides
from govdata_policy.io.mapping import load_mapping
from govdata_policy.io.read import InputError
from govdata_policy.rules.loader import RuleLoadError
from govdata_policy.yamltests import load_case_file

ROOT = Path(__file__).resolve().parents[1]


def _bomb(levels: int = 9) -> str:
    """A flow list whose items define ten-fold aliases, ``levels`` deep: 10**levels strings."""
    parts = ['&a0 ["x","x","x","x","x","x","x","x","x","x"]']
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "[" + ", ".join(parts) + "]"


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _profile(value: str) -> str:
    text = (ROOT / "examples" / "variants" / "yongzhou-5wd.yaml").read_text(encoding="utf-8")
    return text.replace("    value: 5\n", f"    value: {value}\n")


CASE = """jurisdiction: yongzhou
cases:
  - name: x
    as_of: 2024-06-30
    events:
      - {{case_id: A, event: share.requested, time: "2024-05-06 09:00", provider: {value}}}
    violations: []
"""

LOADERS: dict[str, tuple[Callable[[str], str], Callable[[Path], Any], type[Exception]]] = {
    "mapping": (lambda v: f"columns: {{a: case_id}}\nvalues:\n  reason: {{x: {v}}}\n", load_mapping, InputError),
    "profile": (_profile, gp.load_jurisdiction, RuleLoadError),
    "overrides": (lambda v: f"off:\n  - {{date: '2025-01-02', name: {v}}}\n", load_overrides, CalendarFileError),
    "case file": (lambda v: CASE.format(value=v), load_case_file, RuleLoadError),
}


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize(("value", "said"), [
    (_bomb(), "would repeat more than"),
    ("&r [1, *r]", "refers to a collection it is inside of"),
    (_deep(5000), "nested more than"),
    (_deep(300_000), "nested more than"),  # libyaml's composer crashed the process
])
def test_refused_with_a_line(tmp_path: Path, kind: str, value: str, said: str) -> None:
    write, load, error = LOADERS[kind]
    path = tmp_path / "f.yaml"
    path.write_text(write(value), encoding="utf-8")
    with pytest.raises(error, match=said) as caught:
        load(path)
    assert "line" in str(caught.value)


def test_aliases_of_a_reasonable_size_still_load(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("columns: {申请编号: case_id}\nvalues:\n  outcome: &o {同意: approved}\n  结果: *o\n",
                    encoding="utf-8")
    assert load_mapping(path).values["结果"] == {"同意": "approved"}


@pytest.mark.parametrize("load", [gp.load_jurisdiction, load_case_file])
def test_a_file_not_in_utf8_is_named_with_its_line(tmp_path: Path, load: Callable[[Path], Any]) -> None:
    """A profile or case file saved as GBK raised UnicodeDecodeError, a traceback (exit 3)."""
    path = tmp_path / "gbk.yaml"
    path.write_bytes(_profile("5").encode("gb18030"))
    with pytest.raises(RuleLoadError, match=r"gbk.yaml: line 2 not UTF-8 \(byte 0x"):
        load(path)


@pytest.mark.parametrize("key", ["[a]", "{a: 1}"])
def test_a_collection_as_a_key_of_an_overrides_file_is_named(tmp_path: Path, key: str) -> None:
    """The calendar loader's duplicate check hashed every key: TypeError, exit 3."""
    path = tmp_path / "days.yaml"
    path.write_text(f"kind: overrides\n? {key}\n: 1\n", encoding="utf-8")
    with pytest.raises(CalendarFileError, match=r"days.yaml: not valid YAML: found unhashable key \(line 2\)"):
        load_overrides(path)
