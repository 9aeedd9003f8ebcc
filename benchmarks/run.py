"""Batch benchmark: ``check`` and ``evaluate`` against the floor of reading the same file.

    python benchmarks/run.py                       # 100k and 1M, every jurisdiction, CSV and Parquet
    python benchmarks/run.py --with-10m            # and 10M (long: generating alone takes minutes)
    python benchmarks/run.py -j xinjiang --sizes 100k --repeat 5 --no-write
    python benchmarks/run.py --stages -j xinjiang --sizes 1m   # where the time goes, stage by stage

Measured, interleaved (each round runs every command once, in a rotating order,
so a slow spell of a shared machine hits all of them alike), median of ``--repeat``:

* ``check``: ``govdata-policy check FILE -j J --as-of 2026-12-31 --format json -o /dev/null``
  as a subprocess, process start included; peak RSS of that process (its VmHWM at exit);
* ``evaluate``: ``profile.evaluate(FILE)`` timed inside a Python process that has
  already imported the library and loaded the profile; peak RSS growth during it;
* floor: ``pyarrow.csv.read_csv(FILE)`` for CSV, ``pandas.read_parquet(FILE)`` for Parquet,
  inside a warm process, the same way;
* naive: a per-event Python loop over the same rules, as in-house scripts do it (without
  C6 validity, make-up days, duplicates or extensions: its findings are not the engine's)
  (``pandas.read_csv`` then ``iterrows``, open triggers in a dict per case, due
  dates counted day by day with the ``holidays`` package per event), on 100k events.

The log's in-memory size is the Arrow table ``pyarrow.csv.read_csv`` returns for the
CSV export of the log (text columns); memory ratios are peak RSS over that size.
Results go into the "Batch" section of docs/performance.md (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)
from naive import naive_check  # noqa: E402
from stages import stages  # noqa: E402

AS_OF = "2026-12-31"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
SECTION = "## Batch"

# What a child process runs for one in-process measurement; prints one JSON line.
CHILD = r"""
import json, resource, sys, time
mode, path, jurisdiction, as_of = sys.argv[1:5]
def status_mb(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
def rss_mb():
    return status_mb("VmRSS")
if mode == "floor-csv":
    import pyarrow.csv as pcsv
    pcsv.read_csv(path)  # warm: imports, allocator, page cache
    before = rss_mb(); start = time.perf_counter()
    table = pcsv.read_csv(path)
    took = time.perf_counter() - start
    extra = {"log_bytes": table.nbytes, "rows": table.num_rows}
elif mode == "floor-parquet":
    import pandas as pd
    pd.read_parquet(path)
    before = rss_mb(); start = time.perf_counter()
    frame = pd.read_parquet(path)
    took = time.perf_counter() - start
    extra = {"rows": len(frame)}
else:
    import govdata_policy as gp
    import pandas, pyarrow.csv  # noqa: F401  (imports are not what is measured)
    profile = gp.load_jurisdiction(jurisdiction)
    profile.calendar
    before = rss_mb(); start = time.perf_counter()
    result = profile.evaluate(path, as_of=as_of)
    took = time.perf_counter() - start
    extra = {"violations": len(result.violations), "obligations": len(result.obligations),
             "rows": result.rows["read"]}
peak = status_mb("VmHWM")  # this process image's own peak (ru_maxrss would count the parent's at fork)
print(json.dumps({"seconds": took, "peak_mb": peak, "grew_mb": peak - before, **extra}))
"""

# ``check`` as the command line runs it (``cli.app.run``: out by os._exit once done), reporting its own
# peak RSS (VmHWM) when the verb has finished.
CHECK = r"""
import sys
def peak():
    with open("/proc/self/status") as fh:
        kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    # and the peaks of the processes a check forks to use every core (engine.parallel):
    # their sum counts the pages they share with this one twice, an upper bound
    workers = sys.modules.get("govdata_policy.engine.parallel")
    kb += sum(workers.CHILD_PEAKS_KB) if workers else 0
    print(f"VMHWM_KB {kb}", file=sys.__stderr__, flush=True)
sys.argv = ["govdata-policy", *sys.argv[1:]]
from govdata_policy.cli import app
verb = app.main
def main():
    try:
        verb()
    finally:
        peak()
app.main = main
app.run()
"""


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")


def child_env() -> dict[str, str]:
    """The environment of the measured processes: as a user's, with Python's bytecode cache.

    A sandbox or CI job may set PYTHONDONTWRITEBYTECODE; then every ``check`` would compile
    the package's ~50 modules from source (about 0.08 s), which no installed tool does.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_child(mode: str, path: Path, jurisdiction: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), jurisdiction, AS_OF],
        capture_output=True, text=True, check=True, env=child_env(),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_check(path: Path, jurisdiction: str) -> tuple[float, float]:
    """Wall time (process start included) and peak RSS in MB of one ``check``.

    The process is the ``govdata-policy`` entry point's own: a Python interpreter that
    imports the CLI and runs it; a hook prints its VmHWM on exit.
    """
    command = [sys.executable, "-c", CHECK, "check", str(path), "-j", jurisdiction, "--as-of", AS_OF,
               "--format", "json", "-o", os.devnull]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env())
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"check failed ({done.returncode}): {done.stderr.strip()}")
    kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("VMHWM_KB "))
    return took, kb / 1024


@dataclass
class Row:
    jurisdiction: str
    size: str
    fmt: str
    events: int
    log_mb: float
    check: Sample
    evaluate: Sample
    floor: Sample


def measure(jurisdiction: str, size: str, fmt: str, repeat: int, log_mb: float) -> Row:
    path = generate.data_path(jurisdiction, size, fmt)
    check, evaluate, floor = Sample(), Sample(), Sample()

    def do_check() -> None:
        took, peak = run_check(path, jurisdiction)
        check.seconds.append(took)
        check.peak_mb.append(peak)

    def do_evaluate() -> None:
        got = run_child("evaluate", path, jurisdiction)
        evaluate.seconds.append(got["seconds"])
        evaluate.peak_mb.append(got["grew_mb"])
        evaluate.extra = got

    def do_floor() -> None:
        got = run_child(f"floor-{fmt}", path, jurisdiction)
        floor.seconds.append(got["seconds"])
        floor.peak_mb.append(got["grew_mb"])
        floor.extra = got

    commands = [do_floor, do_check, do_evaluate]
    for round_ in range(repeat):
        shift = round_ % len(commands)
        for command in commands[shift:] + commands[:shift]:
            command()
    return Row(jurisdiction, size, fmt, generate.SIZES[size], log_mb, check, evaluate, floor)


def log_size_mb(jurisdiction: str, size: str) -> float:
    got = run_child("floor-csv", generate.data_path(jurisdiction, size, "csv"), jurisdiction)
    return got["log_bytes"] / 2**20


def measure_naive(jurisdiction: str, repeat: int) -> Sample:
    import govdata_policy as gp

    profile = gp.load_jurisdiction(jurisdiction)
    path = generate.data_path(jurisdiction, "100k", "csv")
    sample = Sample()
    for _ in range(repeat):
        start = time.perf_counter()
        sample.extra["found"] = naive_check(path, profile, dt.date.fromisoformat(AS_OF))
        sample.seconds.append(time.perf_counter() - start)
    return sample


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    with open("/proc/meminfo") as handle:
        kib = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    import pandas
    import pyarrow

    return (f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
            f"{kib / 2**20:.0f} GiB RAM, Linux {platform.release()}; Python {platform.python_version()}, "
            f"pandas {pandas.__version__}, pyarrow {pyarrow.__version__}; load average at the end {load}")


def table(rows: list[Row], naive: dict[str, Sample], repeat: int) -> str:
    lines = [
        "| jurisdiction | events | input | `check` s | events/s | × floor | `evaluate` s | floor s "
        "| check peak MB | × log | evaluate +MB | × log | violations |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.jurisdiction} | {r.events:,} | {r.fmt} | {r.check.median:.2f} | "
            f"{r.events / r.check.median:,.0f} | {r.check.median / r.floor.median:.1f} | "
            f"{r.evaluate.median:.2f} | {r.floor.median:.2f} | {r.check.peak:,.0f} | "
            f"{r.check.peak / r.log_mb:.1f} | {r.evaluate.peak:,.0f} | {r.evaluate.peak / r.log_mb:.1f} | "
            f"{r.evaluate.extra.get('violations', 0):,} |"
        )
    text = "\n".join(lines)
    if naive:
        text += ("\n\nNaive per-event Python loop (`pandas.read_csv` + `iterrows`, open triggers in a dict per "
                 "case, due dates counted with `holidays` per event; deadline and prohibited rules only, "
                 "without C6 validity, make-up days, duplicates or extensions, so its findings are not the "
                 "engine's), 100k events, CSV:\n\n")
        text += "| jurisdiction | seconds | events/s | findings | `check` on the same file, s |\n"
        text += "|---|---:|---:|---:|---:|\n"
        for j, sample in naive.items():
            same = next((r for r in rows if r.jurisdiction == j and r.size == "100k" and r.fmt == "csv"), None)
            text += (f"| {j} | {sample.median:.2f} | {100_000 / sample.median:,.0f} | {sample.extra['found']:,} "
                     f"| {same.check.median:.2f} |\n" if same else
                     f"| {j} | {sample.median:.2f} | {100_000 / sample.median:,.0f} | {sample.extra['found']:,} "
                     "| - |\n")
    growth = []
    for j in dict.fromkeys(r.jurisdiction for r in rows):
        for fmt in ("csv", "parquet"):
            mine = sorted((r for r in rows if r.jurisdiction == j and r.fmt == fmt), key=lambda r: r.events)
            if len(mine) >= 2:
                per = ", ".join(f"{r.check.median / r.events * 1e6:.1f}" for r in mine)
                growth.append(f"{j} {fmt}: {per}")
    if growth:
        text += "\n\n`check` seconds per million events at " + " → ".join(
            f"{events:,}" for events in sorted({r.events for r in rows})) + ": " + "; ".join(growth) + "."
    text += f"\n\nMedians of {repeat} interleaved runs."
    return text


def write_section(body: str, doc: Path = PERFORMANCE_DOC) -> None:
    """Replace the "Batch" section of docs/performance.md (others own the other sections)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    start = text.find(SECTION + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + SECTION + "\n\n" + body.strip() + "\n"
    else:
        nxt = text.find("\n## ", start + len(SECTION))
        end = len(text) if nxt < 0 else nxt + 1
        text = text[:start] + SECTION + "\n\n" + body.strip() + "\n" + ("\n" + text[end:] if nxt >= 0 else "")
    doc.write_text(text, encoding="utf-8")


RESULTS_MARK = "<!-- results: benchmarks/run.py writes below this line -->"


def update_results(results: str, doc: Path = PERFORMANCE_DOC) -> None:
    """Keep the hand-written part of the Batch section; replace the measured part."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    start = text.find(SECTION + "\n")
    section = ""
    if start >= 0:
        nxt = text.find("\n## ", start + len(SECTION))
        section = text[start + len(SECTION) + 1: len(text) if nxt < 0 else nxt + 1]
    intro = section.split(RESULTS_MARK)[0].strip() if RESULTS_MARK in section else section.strip()
    write_section((intro + "\n\n" if intro else "") + RESULTS_MARK + "\n\n" + results.strip(), doc)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jurisdiction", nargs="+", default=list(generate.JURISDICTIONS))
    parser.add_argument("--sizes", nargs="+", default=["100k", "1m"], choices=list(generate.SIZES))
    parser.add_argument("--with-10m", nargs="*", metavar="J", default=None,
                        help="Also 10M events, for these jurisdictions (none named: all); generated if needed.")
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true", help="Skip the naive per-event loop.")
    parser.add_argument("--no-write", action="store_true", help="Print the table; leave docs/performance.md.")
    parser.add_argument("--stages", action="store_true", help="Only the per-stage breakdown of evaluate.")
    args = parser.parse_args(argv)
    big = [] if args.with_10m is None else (args.with_10m or args.jurisdiction)
    sizes = list(dict.fromkeys([*args.sizes, *(["10m"] if big else [])]))
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    def wanted(j: str, size: str) -> bool:
        return size != "10m" or j in big

    # generated in a child process: this one stays small while it measures
    for j in args.jurisdiction:
        needed = [size for size in sizes if wanted(j, size)] + ([] if args.no_naive else ["100k"])
        subprocess.run([sys.executable, str(HERE / "generate.py"), "-j", j, "--sizes", *dict.fromkeys(needed),
                        "--formats", *dict.fromkeys(["csv", *args.formats])], check=True)

    if args.stages:
        for j in args.jurisdiction:
            for size in (s for s in sizes if wanted(j, s)):
                for fmt in args.formats:
                    parts = stages(generate.data_path(j, size, fmt), j, AS_OF)
                    total = sum(s for _, s in parts)
                    print(f"\n{j} {size} {fmt}: {total:.2f} s")
                    for name, seconds in parts:
                        print(f"  {name:<64} {seconds:7.2f} s  {seconds / total:5.0%}")
        return 0

    rows: list[Row] = []
    started = dt.datetime.now().astimezone()
    for size in sizes:
        for j in (j for j in args.jurisdiction if wanted(j, size)):
            log_mb = log_size_mb(j, size)
            for fmt in args.formats:
                row = measure(j, size, fmt, args.repeat, log_mb)
                rows.append(row)
                print(f"{j} {size} {fmt}: check {row.check.median:.2f}s, evaluate {row.evaluate.median:.2f}s, "
                      f"floor {row.floor.median:.2f}s, check peak {row.check.peak:.0f} MB "
                      f"(log {log_mb:.0f} MB)", file=sys.stderr, flush=True)
    naive: dict[str, Sample] = {}
    if not args.no_naive:
        for j in args.jurisdiction:
            naive[j] = measure_naive(j, args.repeat)
            print(f"{j} naive 100k: {naive[j].median:.2f}s", file=sys.stderr, flush=True)
    body = (f"Run {started:%Y-%m-%d %H:%M %Z} on {machine()}.\n\n" + table(rows, naive, args.repeat))
    print(body)
    if not args.no_write:
        update_results(body)
        print(f"wrote the Batch section of {PERFORMANCE_DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
