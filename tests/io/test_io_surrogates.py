"""Half a UTF-16 surrogate pair in one value (a JSON "\\ud800" escape, valid JSON) is that row's problem.

Before, a JSON Lines file or a list of records holding one anywhere was refused whole ("cannot read:
'utf-8' codec can't encode character '\\ud800'", or a bare UnicodeEncodeError from ``evaluate``):
pandas' text columns are Arrow's, which hold UTF-8 only.
"""

from __future__ import annotations

from pathlib import Path

import govdata_policy as gp
from govdata_policy.reasons_zh import reason_zh

EVENT = {"event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional"}
REASON = "case_id: holds half of a UTF-16 surrogate pair (a broken \\u escape), which is no character"


def test_a_json_line_with_a_lone_surrogate_is_a_rejected_row(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    rest = '"event": "share.requested", "time": "2025-03-03 09:00"'
    path.write_text('{"case_id": "A\\ud800", ' + rest + '}\n{"case_id": "B", ' + rest + "}\n", encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2025-12-31")
    assert result.rows == {"read": 2, "accepted": 1, "rejected": 1}
    assert result.rejected_rows[0]["reason"].startswith(REASON)
    assert reason_zh(REASON) == "case_id：含有半个 UTF-16 代理对（\\u 转义不完整），不是字符"


def test_records_and_a_list_in_a_cell() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    result = profile.evaluate([{"case_id": "A\udcff", **EVENT}, {"case_id": "B", **EVENT}], as_of="2025-12-31")
    assert result.rows == {"read": 2, "accepted": 1, "rejected": 1}
    # a list is kept as its JSON text, where the half pair stays the escape it was
    result = profile.evaluate([{"case_id": "B", "reason": ["x\udcff"], **EVENT}], as_of="2025-12-31", obligations=True)
    assert result.rows["accepted"] == 1
    result.to_json()
