"""An export's own event word (审核通过) refused while a mapping is in use says to add it to that mapping.

The hint was "map it under values: event: in a mapping file (govdata-policy mapping init)" whether or not
``--mapping FILE`` was given, sending an officer who had a mapping off to draft another. With a mapping it
now names the file (or "the mapping given" for a dict given in Python); without one it is as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.io import load_events
from govdata_policy.io.mapping import load_mapping
from govdata_policy.reasons_zh import reason_zh

MAPPING = {"columns": {"申请编号": "case_id", "环节": "event", "办理时间": "time"},
           "values": {"event": {"提交申请": "share.requested"}}}


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "log.csv"
    log.write_text("申请编号,环节,办理时间\nA1,提交申请,2024-05-06 09:00\nA1,审核通过,2024-05-07 09:00\n",
                   encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {申请编号: case_id, 环节: event, 办理时间: time}\n"
                       "values:\n  event: {提交申请: share.requested}\n", encoding="utf-8")
    return log, mapping


def _reason(log: Path, mapping: object) -> str:
    events, rejected, n = load_events(log, mapping=mapping)
    assert n == 2 and len(events) == 1 and len(rejected) == 1
    return rejected[0]["reason"]


def test_a_mapping_file_in_use_is_named_as_where_the_word_goes(export: tuple[Path, Path]) -> None:
    log, mapping = export
    said = ("event: unknown event '审核通过' (an export's own word: add it under values: event: in the mapping "
            f"file {mapping})")
    assert _reason(log, mapping) == _reason(log, str(mapping)) == _reason(log, load_mapping(mapping)) == said
    assert reason_zh(said) == (f"event：未知事件'审核通过'（导出系统自己的用词：请在映射文件 {mapping} 的 "
                               "values: event: 下添加）")


def test_a_mapping_given_in_python_is_the_mapping_given(export: tuple[Path, Path]) -> None:
    said = _reason(export[0], MAPPING)
    assert said == ("event: unknown event '审核通过' (an export's own word: add it under values: event: in the "
                    "mapping given)")
    assert reason_zh(said) == "event：未知事件'审核通过'（导出系统自己的用词：请在所给映射的 values: event: 下添加）"


def test_without_a_mapping_the_hint_still_says_to_draft_one() -> None:
    _, rejected, _ = load_events([{"case_id": "A", "event": "审核通过", "time": "2024-05-06 09:00"}])
    assert rejected[0]["reason"].endswith("(an export's own word: map it under values: event: in a mapping file "
                                          "(govdata-policy mapping init))")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_with_mapping_names_the_file(export: tuple[Path, Path], lang: str) -> None:
    log, mapping = export
    result = CliRunner().invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-12-31",
                                      "--mapping", str(mapping), "--lang", lang], env={"COLUMNS": "400"})
    assert result.exit_code in (0, 1), result.output
    text = " ".join(result.stdout.split())  # the table may wrap a long reason
    assert "mapping init" not in text
    assert (f"请在映射文件 {mapping} 的 values: event: 下添加" if lang == "zh"
            else f"add it under values: event: in the mapping file {mapping}") in text


def test_the_dask_path_names_the_file_too(export: tuple[Path, Path]) -> None:
    pytest.importorskip("dask.dataframe")
    from govdata_policy.distributed import evaluate_dask

    log, mapping = export
    found = evaluate_dask(gp.load_jurisdiction("yongzhou"), log, as_of="2024-12-31", mapping=mapping)
    assert found.rejected_rows[0]["reason"].endswith(f"in the mapping file {mapping})")
