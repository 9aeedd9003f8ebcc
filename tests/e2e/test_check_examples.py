"""End to end through the CLI: each jurisdiction's scenario log (examples/<j>.csv).

The expected findings in tests/e2e/<j>.expected.json were worked out by hand,
case by case, in examples/<j>.expected.md (which says why each one holds);
the JSON holds the same list in a form a test can compare.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
runner = CliRunner()


@pytest.mark.parametrize("name", ["guangxi", "yongzhou", "xinjiang", "xinzhou"])
def test_scenario_log_gives_the_hand_worked_findings(name: str) -> None:
    expected = json.loads((HERE / f"{name}.expected.json").read_text(encoding="utf-8"))
    outcome = runner.invoke(app, ["check", str(ROOT / "examples" / f"{name}.csv"), "-j", name,
                                  "--as-of", expected["as_of"], "--format", "json", "--obligations"])
    assert outcome.exit_code == 1, outcome.output  # violations found
    body = json.loads(outcome.stdout)
    assert body["rows"] == expected["rows"]
    found = sorted([v["case_id"], v["clause"], v["kind"], v["rule_id"], v["due"], v["working_days_late"],
                    v["penalty_clause"]] for v in body["violations"])
    assert found == expected["violations"]
    assert sorted(n["kind"] for n in body["notes"]) == expected["notes"]
    for violation in body["violations"]:
        assert violation["jurisdiction"] == name
        assert violation["message_zh"] and violation["message_en"] and violation["evidence_rows"]
    assert all(o["status"] in {"met", "late", "pending", "overdue", "missing"} for o in body["obligations"])
    # the hand-worked tally of obligations in examples/<j>.expected.md ("Obligations (20):", "- met (12): ...")
    # agrees with the run: Xinzhou's said 22 after its dedicated request stopped opening duties
    text = (ROOT / "examples" / f"{name}.expected.md").read_text(encoding="utf-8")
    tally = {status: int(count) for status, count in re.findall(r"^- (met|late|overdue|missing|pending) \((\d+)\)",
                                                               text, re.M)}
    assert int(re.search(r"^Obligations \((\d+)\):", text, re.M).group(1)) == len(body["obligations"])
    assert tally == dict(Counter(o["status"] for o in body["obligations"]))


def test_every_process_appears_in_the_scenario_logs() -> None:
    import pandas as pd

    events = set()
    for name in ("guangxi", "yongzhou", "xinjiang", "xinzhou"):
        events |= set(pd.read_csv(ROOT / "examples" / f"{name}.csv")["event"])
    prefixes = {e.split(".")[0] for e in events}
    assert prefixes >= {"share", "quality", "catalog", "resource", "open", "objection", "security", "conduct", "data"}


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("case_id,event,time,category\nA,share.requested,2024-05-06 09:00,conditional\n"
                     "A,share.provider_reviewed,2024-05-07 09:00,\n", encoding="utf-8")
    assert runner.invoke(app, ["check", str(clean), "-j", "yongzhou", "--as-of", "2024-06-30"]).exit_code == 0
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.csv"), "-j", "yongzhou"])
    assert missing.exit_code == 2 and "nope.csv" in missing.output
    unknown = runner.invoke(app, ["check", str(clean), "-j", "atlantis"])
    assert unknown.exit_code == 2 and "atlantis" in unknown.output
    no_time = tmp_path / "no_time.csv"
    no_time.write_text("case_id,event\nA,share.requested\n", encoding="utf-8")
    broken = runner.invoke(app, ["check", str(no_time), "-j", "yongzhou"])
    assert broken.exit_code == 2 and "time" in broken.output


def test_csv_and_table_formats(tmp_path: Path) -> None:
    log = str(ROOT / "examples" / "yongzhou.csv")
    csv_out = tmp_path / "v.csv"
    outcome = runner.invoke(app, ["check", log, "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv",
                                  "-o", str(csv_out)])
    assert outcome.exit_code == 1
    import pandas as pd

    table = pd.read_csv(csv_out, dtype=str)
    assert len(table) == 27 and "working_days_late" in table.columns
    assert not table["working_days_late"].dropna().str.contains(r"\.").any()  # integers, not 2.0
    shown = runner.invoke(app, ["check", log, "-j", "yongzhou", "--as-of", "2025-12-31", "--lang", "en"])
    assert shown.exit_code == 1 and "By clause and kind" in shown.stdout


def test_dask_engine_gives_the_same_document(tmp_path: Path) -> None:
    log = str(ROOT / "examples" / "xinjiang.csv")
    single, spread = tmp_path / "single.json", tmp_path / "dask.json"
    common = ["check", log, "-j", "xinjiang", "--as-of", "2025-06-30", "--format", "json", "--obligations"]
    assert runner.invoke(app, [*common, "-o", str(single)]).exit_code == 1
    outcome = runner.invoke(app, [*common, "-o", str(spread), "--engine", "dask", "--workers", "1"])
    assert outcome.exit_code == 1, outcome.output
    assert json.loads(spread.read_text(encoding="utf-8")) == json.loads(single.read_text(encoding="utf-8"))


def test_table_output_fits_the_terminal() -> None:
    """A wide terminal gets the detail table; a narrow one a line of fields and the message below it.

    YZ-04 (examples/yongzhou.expected.md): 18.2 conditional request answered 2 working days late,
    due 2025-06-10; in the table at 80 columns its message column was 8 characters wide.
    """
    from rich.cells import cell_len

    log = str(ROOT / "examples" / "yongzhou.csv")
    args = ["check", log, "-j", "yongzhou", "--as-of", "2025-12-31"]
    narrow = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert narrow.exit_code == 1
    lines = narrow.stdout.splitlines()
    # kinds as words; the clause, as the document cites it, begins the message two lines down
    at = lines.index("逾期完成  YZ-04  期限 2025-06-10  发生 2025-06-12 10:00  逾期2个工作日")
    assert lines[at + 1] == "    市卫生健康委员会 · 责令改正"
    assert lines[at + 2].startswith("    第十八条第（二）项（有条件共享申请10个工作日内提出意见并反馈）：应于")
    assert all(cell_len(line) <= 80 for line in lines[at:at + 4])  # CJK characters take two cells
    assert "┃" not in "\n".join(lines[lines.index(next(x for x in lines if "违规明细" in x)):])
    wide = runner.invoke(app, args, env={"COLUMNS": "200"})
    row = next(line for line in wide.stdout.splitlines() if "YZ-04" in line)
    assert "│ 第十八条第（二）项 " in row and "2025-06-10 23:59" in row and "18.2" not in row
    english = runner.invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "80"})
    assert "18.2 late  YZ-04  due 2025-06-10  at 2025-06-12 10:00  2 WD late" in english.stdout.splitlines()
