"""Every quotation is its source's words: rules' ``text_zh`` and the profiles' penalty items,
responsibility principles and mitigation, checked against jurisdictions/sources/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.quotes import check_quotations, missing_piece, quotations, source_path
from govdata_policy.rules.model import unfold

JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
VARIANT = Path(__file__).resolve().parents[1] / "examples" / "variants" / "yongzhou-5wd.yaml"
# a whitespace character beside a Chinese character or a full-width mark
FOLD_SPACE = re.compile(r"\s[\u3001-\u303f\u4e00-\u9fff\uff00-\uffef]|[\u3001-\u303f\u4e00-\u9fff\uff00-\uffef]\s")
# Yongzhou 第十八条（二） as the source has it (the published web text uses half-width marks)
SOURCE = (
    "(二)使用有条件共享类政务数据,应在共享平台提交申请。\n"
    "市政务数据主管部门会同提供部门在10个工作日内提出意见并反馈;"
)


@pytest.mark.parametrize("name", [*JURISDICTIONS, str(VARIANT)])
def test_every_quotation_is_found_in_its_source(name: str) -> None:
    profile = gp.load_jurisdiction(name)
    assert sum(1 for _ in quotations(profile)) >= 30
    assert check_quotations(profile) == []


@pytest.mark.parametrize("name", JURISDICTIONS)
def test_every_document_names_a_bundled_source(name: str) -> None:
    profile = gp.load_jurisdiction(name)
    for key, document in profile.spec.documents.items():
        assert source_path(profile, key).is_file(), document.source
        if document.original:  # Xinjiang: the traditional-character page the simplified copy was made from
            assert (source_path(profile, key).parent / Path(document.original).name).is_file()


# the words of Xinjiang 24 and Xinzhou 五（七） that limit their duties to a resource replaced by a new one
REPLACEMENT_CONDITION = re.compile(r"因(?:共享)?数据资源更新而需要停用原")


@pytest.mark.parametrize("name", ["xinjiang", "xinzhou"])
def test_a_rule_testing_replaced_quotes_the_condition_it_rests_on(name: str) -> None:
    # a finding's quoted clause is what a reader checks the verdict against: a rule scoped to
    # replaced resources quotes the clause's own condition, not only the duty after it
    scoped = [rule for rule in gp.load_jurisdiction(name).rules
              for match in (getattr(rule, "trigger", None), getattr(rule, "act", None))
              if match is not None and not isinstance(match, str) and "replaced" in (match.when or {})]
    assert scoped
    for rule in scoped:
        assert REPLACEMENT_CONDITION.search(rule.text_zh), (rule.id, rule.text_zh)


@pytest.mark.parametrize("name", JURISDICTIONS)
def test_loaded_quotations_carry_no_folding_spaces(name: str) -> None:
    for where, _, text in quotations(gp.load_jurisdiction(name)):
        assert not FOLD_SPACE.search(text), (where, text)


def test_a_quotation_matches_across_the_sources_line_breaks_and_omissions() -> None:
    assert missing_piece("市政务数据主管部门会同提供部门在10个工作日内提出意见并反馈;", SOURCE) is None
    assert missing_piece("(二)使用有条件共享类政务数据,……在10个工作日内提出意见并反馈;", SOURCE) is None


def test_other_punctuation_is_named_with_the_sources_reading() -> None:
    reason = missing_piece("市政务数据主管部门会同提供部门在10个工作日内提出意见并反馈；", SOURCE)
    assert reason is not None and "punctuation" in reason and "并反馈;" in reason


def test_an_invented_ending_says_where_the_quotation_parts_from_the_source() -> None:
    reason = missing_piece("市政务数据主管部门会同提供部门在5个工作日内提出意见并反馈", SOURCE)
    assert reason is not None and "parts from it after" in reason
    assert reason.endswith("'市政务数据主管部门会同提供部门在'")


def test_pieces_out_of_the_sources_order_are_refused() -> None:
    reason = missing_piece("市政务数据主管部门……(二)使用有条件共享类政务数据", SOURCE)
    assert reason is not None and "before the passage quoted ahead of it" in reason


def test_folded_lines_of_a_rule_file_are_joined_without_a_space(tmp_path: Path) -> None:
    from govdata_policy.rules.loader import load_rule_file

    source = (Path(__file__).resolve().parents[1] / "rules" / "yongzhou" / "catalog.yaml").read_text(encoding="utf-8")
    assert "text_zh: >-" in source  # the bundled file folds the quotation over two lines
    rule = load_rule_file(Path(__file__).resolve().parents[1] / "rules" / "yongzhou" / "catalog.yaml").rules[0]
    assert "目录,并报" in rule.text_zh and " " not in rule.text_zh


def test_unfold_keeps_spaces_between_latin_words_and_digits() -> None:
    assert unfold("执行 GB/T 35273 标准，\n  并报备案") == "执行GB/T 35273标准，并报备案"
    assert unfold("  第一条　为了规范\n管理  ") == "第一条为了规范管理"


@given(st.text(alphabet=st.sampled_from("政务数据，。;,( )ab1 \n\t\u3000"), max_size=40))
def test_unfold_only_drops_whitespace_and_is_stable(text: str) -> None:
    once = unfold(text)
    assert re.sub(r"\s", "", once) == re.sub(r"\s", "", text)
    assert unfold(once) == once


def test_rules_quotes_command_passes_and_fails(tmp_path: Path) -> None:
    runner = CliRunner()
    passed = runner.invoke(app, ["rules", "quotes", "-j", "yongzhou"])
    assert passed.exit_code == 0 and "41 quotations of yongzhou" in passed.output
    variant = tmp_path / "yongzhou-reworded.yaml"
    variant.write_text(
        "name: yongzhou-reworded\nextends: yongzhou\n"
        "rule_overrides:\n  yz-18.2-conditional-reply:\n"
        "    text_zh: 市政务数据主管部门会同提供部门在5个工作日内提出意见并反馈;\n",
        encoding="utf-8",
    )
    failed = runner.invoke(app, ["rules", "quotes", "-j", str(variant)])
    assert failed.exit_code == 1
    # the file and field to edit, and what to do (it said "rule yz-18.2-conditional-reply (main): ...")
    assert (f"{variant}: rule yz-18.2-conditional-reply: field rule_overrides.yz-18.2-conditional-reply.text_zh "
            "(main): '市政务数据主管部门会同提供部门在5个工作日内") in failed.output
    assert "copy the passage as the source writes it\n" in failed.output


def test_rules_quotes_names_the_rule_file_of_a_quotation_not_found(tmp_path: Path) -> None:
    folder = tmp_path / "rules_yz"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules" / "yongzhou", folder)
    catalog = folder / "catalog.yaml"
    catalog.write_text(catalog.read_text("utf-8").replace("并报同级人民政府", "并报同级政府"), "utf-8")
    profile = tmp_path / "yz.yaml"
    text = (Path(__file__).resolve().parents[1] / "jurisdictions" / "yongzhou.yaml").read_text("utf-8")
    profile.write_text(text.replace("rulesets: [yongzhou]", "rulesets: [./rules_yz]").replace(
        "source: sources/", f"source: {Path(__file__).resolve().parents[1] / 'jurisdictions' / 'sources'}/"), "utf-8")
    failed = CliRunner().invoke(app, ["rules", "quotes", "-j", str(profile)])
    assert failed.exit_code == 1, failed.output
    assert f"{catalog}: rule yz-13-catalog-filed: field text_zh (main): " in failed.output


def test_a_clause_naming_another_article_than_its_quotation_is_said(tmp_path: Path) -> None:
    # clause 17 for 第十八条's words: quoted right, cited wrong on every finding, and nothing said
    variant = tmp_path / "yz-misnumbered.yaml"
    variant.write_text("name: yz-misnumbered\nextends: yongzhou\nrule_overrides:\n"
                       "  yz-18.2-conditional-reply: {clause: \"17.2\"}\npenalties:\n  article: \"36\"\n",
                       encoding="utf-8")
    problems = [str(p) for p in check_quotations(gp.load_jurisdiction(variant))]
    assert problems == [
        f"{variant}: rule yz-18.2-conditional-reply: field rule_overrides.yz-18.2-conditional-reply.clause (main): "
        "'17.2', but the quotation is in 第十八条 of the source (clause 18): correct the clause, or quote its own "
        "words",
        f"{variant}: penalty article 36: field penalties.article (main): '36', but the quotation is in 第三十八条 of "
        "the source (clause 38): correct the clause, or quote its own words",
    ]


def _own_yongzhou(folder: Path) -> Path:
    """Yongzhou's profile as a drafter keeps it: its source a copy beside it, under a name not bundled."""
    root = Path(__file__).resolve().parents[1] / "jurisdictions"
    (folder / "sources").mkdir(parents=True)
    shutil.copy(root / "sources" / "001_80ba6ba2609d9aa5.txt", folder / "sources" / "own-copy.txt")
    profile = folder / "yz-own.yaml"
    profile.write_text((root / "yongzhou.yaml").read_text("utf-8").replace(
        "name: yongzhou", "name: yz-own").replace("sources/001_80ba6ba2609d9aa5.txt", "sources/own-copy.txt"), "utf-8")
    return profile


def test_a_variant_in_another_folder_finds_the_source_beside_the_profile_giving_it(tmp_path: Path) -> None:
    # the source was looked for beside the variant and in the bundled folder only, so a drafter's variant kept
    # in a folder of its own failed every quotation ("cannot read its source <bundled folder>/sources/…")
    _own_yongzhou(tmp_path / "base")
    variant = tmp_path / "variants" / "yz-own-5wd.yaml"
    variant.parent.mkdir()
    variant.write_text("name: yz-own-5wd\nextends: ../base/yz-own.yaml\nparameters:\n"
                       "  yz_conditional_reply_days: {value: 5, reference: 假设}\n", "utf-8")
    profile = gp.load_jurisdiction(variant)
    assert source_path(profile, "main") == tmp_path / "base" / "sources" / "own-copy.txt"
    assert check_quotations(profile) == []


def test_a_source_not_found_names_the_profile_field_and_the_path_beside_it(tmp_path: Path) -> None:
    profile = _own_yongzhou(tmp_path)
    profile.write_text(profile.read_text("utf-8").replace("sources/own-copy.txt", "sources/own-cpy.txt"), "utf-8")
    problems = [str(p) for p in check_quotations(gp.load_jurisdiction(profile))]
    # it named the bundled folder's path, which the drafter never meant, and neither file nor field
    assert problems == [f"{profile}: document main: field documents.main.source (main): cannot read its source "
                        f"{tmp_path / 'sources' / 'own-cpy.txt'}"]
