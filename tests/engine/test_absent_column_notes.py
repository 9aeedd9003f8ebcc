"""The absent-column note names the rules a missing column silenced, and only those."""

from __future__ import annotations

import govdata_policy as gp

# A Xinjiang conditional request, reviewed and answered late, in an export without `emergency`.
# 21.2 provider reply (emergency not_in [true]) still matches: a missing flag is no emergency.
# 21.2 emergency reply (emergency: true) cannot match: the note names it.
EVENTS = [
    {"case_id": "C1", "event": "share.requested", "time": "2024-04-08 10:00", "category": "conditional",
     "requester": "博州市场监督管理局", "provider": "自治区税务局", "scenario": "信用监管"},
    {"case_id": "C1", "event": "share.compliance_reviewed", "time": "2024-04-09 10:00", "outcome": "pass"},
    {"case_id": "C1", "event": "share.provider_reviewed", "time": "2024-04-30 10:00", "outcome": "approved"},
]


def test_a_rule_a_missing_column_does_not_silence_is_not_named() -> None:
    result = gp.load_jurisdiction("xinjiang").evaluate(EVENTS, as_of="2024-12-31")
    found = set(result.violations["rule_id"])
    assert "xj-21.2-provider-reply" in found  # it matched, and is late
    [note] = [n["message"] for n in result.notes if n["kind"] == "absent_column" and "'emergency'" in n["message"]]
    assert "xj-21.2-emergency-provider-reply" in note
    assert "xj-21.2-provider-reply" not in note
    assert "1 rule(s)" in note
