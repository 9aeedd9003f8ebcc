"""Where the time of ``profile.evaluate`` goes, stage by stage (``run.py --stages``): each stage
is called in turn in one process, so every stage's input stays alive (time, not a check's peak)."""

from __future__ import annotations

import resource
import time
from pathlib import Path


def stages(path: Path, jurisdiction: str, as_of: str) -> list[tuple[str, float]]:
    """Seconds per stage of the in-process path on the log at ``path`` (uses the engine's internals)."""
    import govdata_policy as gp
    from govdata_policy.engine import evaluate as ev
    from govdata_policy.engine.assemble import Outside, assemble_obligations, assemble_violations
    from govdata_policy.engine.context import Context
    from govdata_policy.engine.frame import prepare
    from govdata_policy.io import read_raw, validate
    from govdata_policy.result import Result

    profile = gp.load_jurisdiction(jurisdiction)
    calendar = profile.calendar
    out: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append((f"{name} (peak RSS so far {peak:,.0f} MB)", now - clock))
        clock = now

    raw = read_raw(path)
    lap("read (io.read_raw)")
    frame, _ = validate(raw)
    lap("validate (io.validate)")
    as_of_ns = ev.parse_as_of(as_of)
    # as engine.evaluate.check_frame does it: a mask, not a filtered copy of the log
    prep = prepare(frame.drop(columns=["source"], errors="ignore"), keep=frame["time_ns"].to_numpy() <= as_of_ns)
    lap("prepare (engine.frame)")
    ctx = Context(prep=prep, calendar=calendar, as_of_ns=as_of_ns,
                  as_of_day=(as_of_ns + ev.OFFSET_NS) // ev.NS_PER_DAY)
    found, owed = ev.run_rules(ctx, profile.rules)
    lap(f"rules ({len(profile.rules)} compilers)")
    enforce = profile.spec.enforce_validity
    violations = assemble_violations(ctx, profile, found, Outside(), enforce)
    lap("assemble violations")
    obligations = assemble_obligations(ctx, profile, owed, Outside(), enforce)
    lap("assemble obligations")
    result = Result(profile.name, as_of_ns, {"read": raw.rows_read}, violations, obligations)
    for _ in result.json_bytes(indent=2, obligations=False):  # what check --format json writes
        pass
    lap("JSON (indent 2, no obligations)")
    return out
