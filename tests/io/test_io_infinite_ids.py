"""A case id that is an infinite number (JSON 1e400 or Infinity, a frame's inf) is a rejected row.

Before, each was accepted as the case "inf" (or "-inf"): every such row, from any source, one case,
checked and reported under an id the log does not have, in the batch and in the monitor alike. A
rounded float id mixed with text ids in records was accepted too (only a float column was looked at).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import govdata_policy as gp
from govdata_policy.reasons_zh import reason_zh

REASON = "case_id: {} is an infinite number, not an id (a number too large to read, such as 1e400)"
EVENT = '"event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional"'


def test_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join("{" + f'"case_id": {v}, {EVENT}' + "}" for v in ("1e400", "-Infinity", '"A"')) + "\n",
                    encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2025-12-31")
    assert result.rows == {"read": 3, "accepted": 1, "rejected": 2}
    assert [r["reason"] for r in result.rejected_rows] == [REASON.format("inf"), REASON.format("-inf")]
    assert reason_zh(REASON.format("inf")) == "case_id：inf是无穷大的数值，不是编号（数值过大无法读取，如 1e400）"


def test_frames_records_and_the_monitor() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    event = {"event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional"}
    frame = pd.DataFrame({"case_id": [np.inf, 1.0], **{k: [v, v] for k, v in event.items()}})
    assert profile.evaluate(frame, as_of="2025-12-31").rows["rejected"] == 1
    records = [{"case_id": float("inf"), **event}, {"case_id": "A", **event}, {"case_id": 2.0**60, **event}]
    result = profile.evaluate(records, as_of="2025-12-31")
    assert result.rows == {"read": 3, "accepted": 1, "rejected": 2}
    assert "too large for a float to keep every digit" in result.rejected_rows[1]["reason"]
    monitor = profile.monitor()
    monitor.push({"case_id": float("-inf"), **event})
    assert [r["reason"] for r in monitor.rejected] == [REASON.format("-inf")]
