"""Benchmark of the working-day calendar: build once, then vectorised lookups.

    python benchmarks/bench_calendar.py [--size 1000000] [--repeat 5]

Reports the one-time build (holidays schedule + arrays, national and Guangxi),
the cached rebuild, and the throughput of ``wd_add`` on random day numbers and
of ``add_working_days`` on timestamps (naive, and tz-aware) - best of --repeat.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from govdata_policy.calendar import build_calendar, clear_cache
from govdata_policy.calendar.national import national_schedule
from govdata_policy.paths import jurisdictions_dir
from govdata_policy.timeutil import day_number


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250926)
    args = parser.parse_args()
    regional = jurisdictions_dir() / "calendars" / "guangxi.yaml"
    rows: list[tuple[str, str, str]] = []

    start = time.perf_counter()
    national_schedule()
    rows.append(
        # read from the user's cache when there is one (GOVDATA_POLICY_CACHE= builds it: ~0.1 s)
        ("load: national schedule (holidays.China, 2003-2036; cached, else built)",
         f"{time.perf_counter() - start:.3f} s", "")
    )
    clear_cache()
    start = time.perf_counter()
    cal = build_calendar(regional)
    rows.append(
        ("build: arrays + guangxi.yaml (schedule cached)", f"{time.perf_counter() - start:.3f} s", "")
    )
    start = time.perf_counter()
    build_calendar(regional)
    rows.append(
        ("build_calendar again (process cache hit)", f"{(time.perf_counter() - start) * 1e6:.0f} us", "")
    )

    rng = np.random.default_rng(args.seed)
    lo, hi = day_number(pd.Timestamp("2004-01-01").date()), day_number(pd.Timestamp("2026-12-31").date())
    days = rng.integers(lo, hi + 1, size=args.size, dtype=np.int64)
    ns = rng.integers(0, 60, size=args.size, dtype=np.int64)
    seconds = rng.integers(0, 86_400, size=args.size)
    naive = pd.DatetimeIndex((days * 86_400 + seconds).astype("M8[s]"))
    aware = naive.tz_localize("Asia/Shanghai")

    cases: list[tuple[str, Callable[[], object]]] = [
        (f"wd_add, {args.size:,} day numbers, n=5", lambda: cal.wd_add(days, 5)),
        (f"wd_add, {args.size:,} day numbers, n random 0..59", lambda: cal.wd_add(days, ns)),
        (f"cd_add, {args.size:,} day numbers, n=30", lambda: cal.cd_add(days, 30)),
        (f"wd_between, {args.size:,} pairs", lambda: cal.wd_between(days, days[::-1])),
        (f"add_working_days, {args.size:,} naive timestamps, n=5", lambda: cal.add_working_days(naive, 5)),
        (f"add_working_days, {args.size:,} +08:00 timestamps, n=5", lambda: cal.add_working_days(aware, 5)),
        (
            f"add_working_days, Series of {args.size:,}, n random",
            lambda: cal.add_working_days(pd.Series(aware), ns),
        ),
    ]
    for label, fn in cases:
        elapsed = best_of(args.repeat, fn)
        rows.append((label, f"{elapsed * 1e3:.1f} ms", f"{args.size / elapsed / 1e6:.1f} M/s"))

    width = max(len(r[0]) for r in rows)
    print(f"calendar: {cal.name}; numpy {np.__version__}, pandas {pd.__version__}; best of {args.repeat}")
    print(f"{'step'.ljust(width)}  {'time':>10}  {'throughput':>10}")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}")
    for label, took, rate in rows:
        print(f"{label.ljust(width)}  {took:>10}  {rate:>10}")


if __name__ == "__main__":
    main()
