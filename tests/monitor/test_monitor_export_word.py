"""An export's own event word pushed to the monitor is told to be translated before pushing, not mapped.

The monitor applies no column mapping, yet its reason for 审核通过 was the batch's "map it under values: event:
in a mapping file (govdata-policy mapping init)", advice a platform pushing events cannot follow. It now says to
translate the word to the contract's vocabulary before pushing, naming the word guessed where the batch does;
the batch's reasons are unchanged.
"""

from __future__ import annotations

import pytest

from govdata_policy.io import load_events
from govdata_policy.reasons_zh import reason_zh

PUSHED = {
    "审核通过": ("event: unknown event '审核通过' (an export's own word: translate it to an event of the contract's "
             "vocabulary (docs/contract.md) before pushing, as the monitor maps no words)",
             "event：未知事件'审核通过'（导出系统自己的用词：请在推送前译为数据契约词表（docs/contract.md）中的事件，"
             "监控不做映射）"),
    "目录更新": ("event: unknown event '目录更新' (it looks like 'catalog.updated': translate it to that word before "
             "pushing, as the monitor maps no words)",
             "event：未知事件'目录更新'（看来是'catalog.updated'：请在推送前译为该词，监控不做映射）"),
    "报备": ("event: unknown event '报备' (it could be 'catalog.filed' or 'share.filed': translate it to the one "
           "meant before pushing, as the monitor maps no words)",
           "event：未知事件'报备'（可能是'catalog.filed'或'share.filed'：请在推送前译为所指的那个词，监控不做映射）"),
}
BATCH = {
    "审核通过": "(an export's own word: map it under values: event: in a mapping file (govdata-policy mapping init))",
    "目录更新": "(it looks like 'catalog.updated': map it under values: event: in the mapping file)",
    "报备": "(it could be 'catalog.filed' or 'share.filed': map it in the mapping file)",
}


@pytest.mark.parametrize("word", list(PUSHED))
def test_a_pushed_export_word_is_told_to_be_translated_before_pushing(profiles, word):
    monitor = profiles["yongzhou"].monitor()
    assert monitor.push({"case_id": "A", "event": word, "time": "2024-05-06 09:00"}) == []
    said, zh = PUSHED[word]
    assert [r["reason"] for r in monitor.rejected] == [said]
    assert "values: event" not in said and "mapping init" not in said
    assert reason_zh(said) == zh


@pytest.mark.parametrize("word", list(BATCH))
def test_the_batch_still_says_to_map_it(word):
    _, rejected, _ = load_events([{"case_id": "A", "event": word, "time": "2024-05-06 09:00"}])
    assert rejected[0]["reason"] == f"event: unknown event '{word}' {BATCH[word]}"
