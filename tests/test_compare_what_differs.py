"""`compare`'s ≠ and `--differences-only` follow what a profile changes, not only the words a cell shows:
a drafter told "0 of 34 rows differ: the profiles' rules, penalties and settings are the same" reads the
variant as changing nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import govdata_policy as gp
from govdata_policy.compare import compare_rules

VariantFile = Callable[[str, str], Path]


def _differing(*profiles: object) -> list[str]:
    _, rows = compare_rules(list(profiles))
    return [row.key for row in rows if row.differs]


def test_a_variant_citing_another_clause_differs(variant_file: VariantFile) -> None:
    # the cell's text leaves the clause out (across jurisdictions every clause differs); between variants a
    # rule renumbered 18.2 -> 18.3 gives findings of another clause and was "the same"
    base = gp.load_jurisdiction("yongzhou")
    renumbered = gp.load_jurisdiction(variant_file(
        "yz-renumbered", "extends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply: {clause: '18.3'}\n"))
    assert _differing(base, renumbered) == ["deadline → share.provider_reviewed [category=conditional]"]
    # alike, a profile compared with itself, and jurisdictions still compared by duty, not by clause
    assert _differing(base, gp.load_jurisdiction("yongzhou")) == []
    # Yongzhou 13 and Xinzhou 3.2 both give 15 working days to update a catalog: the same duty
    assert "deadline → catalog.updated" not in _differing(base, gp.load_jurisdiction("xinzhou"))


def test_a_principle_reworded_past_the_start_shown_differs_and_is_shown_whole(variant_file: VariantFile) -> None:
    # the cell shows a principle's first 40 characters, and the cells were compared by them: "the same"
    base = gp.load_jurisdiction("yongzhou")
    text = base.spec.responsibility[0].text_zh
    assert text.endswith("开放和应用等工作。") and len(text) > 42
    reworded = gp.load_jurisdiction(variant_file("yz-principle", (
        "extends: yongzhou\nresponsibility:\n  - clause: '7'\n    document: main\n"
        f"    text_zh: {text.replace('应用等工作', '应用各项工作')}\n    summary_en: Each department answers.\n")))
    names, rows = compare_rules([base, reworded])
    row = next(row for row in rows if row.topic == "responsibility")
    assert row.differs
    assert row.text("yongzhou").startswith(text) and "应用各项工作。" in row.text("yz-principle")
    # unchanged, it reads as before: its start
    _, rows = compare_rules([base, gp.load_jurisdiction("yongzhou")])
    row = next(row for row in rows if row.topic == "responsibility")
    assert not row.differs and row.text("yongzhou (1)") == text[:40] + "… (7)"


def test_a_variants_own_calendar_file_of_the_built_in_name_differs_by_its_days(
    variant_file: VariantFile, tmp_path: Path,
) -> None:
    # the row showed (and compared) the file's name: a corrected copy, calendars/guangxi.yaml beside the
    # variant with 三月三 2019 on 04-09, was "the same" as the built-in guangxi.yaml
    built_in = Path(__file__).resolve().parents[1] / "jurisdictions" / "calendars" / "guangxi.yaml"
    text = built_in.read_text(encoding="utf-8")
    assert "dates: [2019-04-04, 2019-04-08]" in text
    (tmp_path / "calendars").mkdir()
    own = tmp_path / "calendars" / "guangxi.yaml"
    own.write_text(text.replace("dates: [2019-04-04, 2019-04-08]", "dates: [2019-04-04, 2019-04-09]"), "utf-8")
    variant = variant_file("gx-own-calendar", "extends: guangxi\ncalendar: {regional: calendars/guangxi.yaml}\n")
    base = gp.load_jurisdiction("guangxi")
    names, rows = compare_rules([base, gp.load_jurisdiction(variant)])
    row = next(row for row in rows if row.key == "calendar")
    assert row.differs
    assert row.text("guangxi") == str(built_in) and row.text("gx-own-calendar") == str(own)  # told apart
    # a copy with the same days off is the same calendar, shown by its name as before
    own.write_text(text, "utf-8")
    _, rows = compare_rules([base, gp.load_jurisdiction(variant)])
    row = next(row for row in rows if row.key == "calendar")
    assert not row.differs and row.text("gx-own-calendar") == "guangxi.yaml"
