"""Findings do not depend on the order of the input's columns (a helper's property audit found
the same-instant tie-break hashing the columns in input order, so a header order changed who a
finding named)."""

from __future__ import annotations

import itertools
from pathlib import Path

import govdata_policy as gp

# Guangxi, one case, three leaks at the same second: the first names its actor, the second none,
# the third another actor. Their order among themselves decides whom the second one names.
ROWS = [
    {"case_id": "C1", "event": "conduct.leak", "time": "2024-08-22 09:32:11", "actor": "县民政局",
     "actor_role": "department"},
    {"case_id": "C1", "event": "conduct.leak", "time": "2024-08-22 09:32:11", "actor": "", "actor_role": ""},
    {"case_id": "C1", "event": "conduct.leak", "time": "2024-08-22 09:32:11", "actor": "自治区大数据局",
     "actor_role": ""},
]


def _findings(result) -> list[tuple]:
    v = result.violations
    return sorted(zip(v["rule_id"], v["kind"], v["responsible_party"].astype(str),
                      v["evidence_rows"].map(tuple), strict=True))


def test_the_header_order_of_an_export_never_changes_the_findings(tmp_path: Path) -> None:
    profile = gp.load_jurisdiction("guangxi")
    seen = set()
    for i, header in enumerate(itertools.permutations(["case_id", "event", "time", "actor", "actor_role"])):
        path = tmp_path / f"log{i}.csv"
        path.write_text(",".join(header) + "\n" + "".join(",".join(r[k] for k in header) + "\n" for r in ROWS),
                        encoding="utf-8")
        seen.add(tuple(_findings(profile.evaluate(path, as_of="2024-12-31"))))
    assert len(seen) == 1
    [findings] = seen
    assert findings  # the leaks are found: the test compares findings, not nothings
