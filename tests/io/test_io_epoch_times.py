"""A platform's frame often holds times as Unix epoch numbers; they are not read (a number in a time
column is an Excel serial date), and the reason now says so, by the batch and the monitor alike, where
it was a bare "cannot read '1740963600' as a time"."""

from __future__ import annotations

import pandas as pd
import pytest

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.reasons_zh import reason_zh

EVENT = {"case_id": "A1", "event": "share.requested", "category": "conditional"}
SECONDS = 1740963600  # 2025-03-03 09:00 +08:00


@pytest.mark.parametrize(("value", "unit", "code"), [
    (SECONDS, "seconds", "s"), (SECONDS * 1000, "milliseconds", "ms"), (float(SECONDS), "seconds", "s"),
    (str(SECONDS * 10**9), "nanoseconds", "ns"),
])
def test_an_epoch_number_is_named_as_one(value: object, unit: str, code: str) -> None:
    _, rejected, _ = load_events(pd.DataFrame([{**EVENT, "time": value}]))
    reason = rejected[0]["reason"]
    assert reason.startswith("time: cannot read '")
    assert f"not as Unix epoch {unit} (convert them first: pd.to_datetime(values, unit='{code}', utc=True))" in reason
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    assert monitor.push({**EVENT, "time": value}) == [] and monitor.rejected[0]["reason"] == reason
    assert "不按 Unix 时间戳" in reason_zh(reason)


@pytest.mark.parametrize("value", ["20241301", "2024050609", "12", "2024-13-01", 99999999999])
def test_other_unreadable_numbers_keep_the_plain_reason(value: object) -> None:
    _, rejected, _ = load_events([{**EVENT, "time": value}])
    assert rejected[0]["reason"] == f"time: cannot read '{value}' as a time"
