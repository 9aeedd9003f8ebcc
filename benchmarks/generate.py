"""Realistic event logs in the contract vocabulary, derived from a jurisdiction's rules.

    python benchmarks/generate.py -j guangxi xinjiang --sizes 100k 1m --formats csv parquet

writes ``benchmarks/data/<jurisdiction>_<size>.csv`` / ``.parquet`` (git-ignored).

What the log contains is read off the profile's rules, so a rule added by a
rule writer shows up in the next benchmark without touching this file:

* processes: every event a rule names (trigger, fulfil, act, requires, since,
  extension) belongs to a process (share, quality, catalog, catalog offline,
  resource offline, open data, public objection, security, data use, conduct,
  rectification, log deletion); a process's steps are its events in vocabulary
  order, which is the order the contract lists the lifecycle in;
* timing: a step that fulfils a deadline follows its trigger by a delay drawn
  inside the period, except a share that is late (``LATE_SHARE``) or never
  happens (``MISSING_SHARE``); a waiting period is mostly respected; lead times,
  retention periods and ``rectify_by`` dates are set around their rule's period;
* attributes: every attribute a condition tests gets all its allowed values
  (all categories, all levels, both outcomes, yes/no/blank flags), with the
  tested values favoured; required attributes are mostly present; IDs mostly
  carry a valid check digit;
* time: cases start across 2022-01-01 .. 2026-06-30 (crossing every Spring
  Festival and Golden Week), mostly in office hours on working days; for a
  profile whose document has a validity window (Xinjiang's trial measures)
  most cases start inside it;
* dirt: a few rows per ten thousand are unreadable (no case id, an unknown
  event word, an impossible time) and a few are exact duplicates.

Everything is numpy/Arrow on whole columns: 10M rows take about a minute.
The seed is fixed, so a size always gives the same file. This file is the command
line and the writing of files; the generator is ``benchmarks/loggen/`` (settings,
the plan read off the rules, values, times, and the column builder).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govdata_policy import load_jurisdiction
from govdata_policy.vocabulary import BOOL_ATTRIBUTES

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"

# the generator itself is the package beside this script (benchmarks/ is not a package, and this
# file is also loaded by path, by tests/conftest.py)
sys.path.insert(0, str(HERE))
from loggen.build import Generator  # noqa: E402
from loggen.settings import BAD_ROW_SHARE, JURISDICTIONS, OFFSET_NS, SEED, SIZES  # noqa: E402

__all__ = ["Generator", "as_csv_table", "as_parquet_table", "dirty", "ensure", "make_log", "small_csv"]


def make_log(jurisdiction: str | Any, rows: int, seed: int = SEED) -> pa.Table:
    """A log of ``rows`` events as an Arrow table (typed: time as timestamp, flags as text)."""
    profile = load_jurisdiction(jurisdiction) if isinstance(jurisdiction, str | Path) else jurisdiction
    return dirty(Generator(profile, seed).table(rows), seed)


def small_csv(profile: Any, rows: int, path: Path, share: float = 0.002) -> Path:
    """A test-sized log of the profile written as the benchmark's CSV, a few rows unreadable."""
    import pyarrow.csv as pcsv

    pcsv.write_csv(as_csv_table(dirty(Generator(profile).table(rows), share=share)), path)
    return path


def dirty(table: pa.Table, seed: int = SEED, share: float = BAD_ROW_SHARE) -> pa.Table:
    """A few unreadable rows: no case id, an unknown event word, or (as text) an impossible time."""
    n = table.num_rows
    rng = np.random.default_rng([seed, n])
    k = max(int(n * share), 1 if n >= 1000 else 0)
    what = np.full(n, -1, dtype=np.int64)
    if k:
        what[rng.choice(n, size=k, replace=False)] = rng.integers(0, 3, size=k)
    case_id = pc.if_else(pa.array(what == 0), pa.scalar("", pa.string()),
                         table["case_id"].combine_chunks())
    event = pc.if_else(pa.array(what == 1), pa.scalar("办结归档", pa.string()),
                       _decoded(table["event"].combine_chunks()))
    table = table.set_column(0, "case_id", case_id).set_column(1, "event", event)
    return table.append_column("_bad_time", pa.array(what == 2))


def _decoded(column: pa.Array) -> pa.Array:
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


def as_csv_table(table: pa.Table) -> pa.Table:
    """The export as text: local times 'YYYY-MM-DD HH:MM:SS', flags 是/否, bad times impossible."""
    out = {}
    bad = table["_bad_time"].combine_chunks() if "_bad_time" in table.column_names else None
    for name in table.column_names:
        if name == "_bad_time":
            continue
        column = table[name].combine_chunks()
        if pa.types.is_timestamp(column.type):
            local = pc.cast(pc.add(pc.cast(column, pa.int64()), OFFSET_NS), pa.timestamp("ns"))
            text = pc.strftime(pc.cast(local, pa.timestamp("s")), "%Y-%m-%d %H:%M:%S")
            if name == "time" and bad is not None:
                text = pc.if_else(bad, pa.scalar("2024-02-30 25:61:00"), text)
            column = pc.fill_null(text, "")
        elif name in BOOL_ATTRIBUTES and pa.types.is_dictionary(column.type):
            words = pc.replace_substring(pc.replace_substring(column.dictionary, "true", "是"), "false", "否")
            column = pa.DictionaryArray.from_arrays(column.indices, words)
        elif not pa.types.is_dictionary(column.type):  # a dictionary's nulls are written empty already
            column = pc.fill_null(column, "")
        out[name] = column
    return pa.table(out)


def as_parquet_table(table: pa.Table) -> pa.Table:
    """The export as typed columns: times as timestamps (+08:00), flags as booleans."""
    out = {}
    bad = table["_bad_time"].combine_chunks() if "_bad_time" in table.column_names else None
    for name in table.column_names:
        if name == "_bad_time":
            continue
        column = _decoded(table[name].combine_chunks())
        if name == "time" and bad is not None:
            column = pc.if_else(bad, pa.scalar(None, column.type), column)  # a typed file cannot hold it
        elif name in BOOL_ATTRIBUTES:
            column = pc.equal(column, "true")
        out[name] = column
    return pa.table(out)


def write(table: pa.Table, stem: Path, formats: Sequence[str]) -> list[Path]:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    written = []
    stem.parent.mkdir(parents=True, exist_ok=True)
    if "csv" in formats:
        path = stem.with_suffix(".csv")
        pcsv.write_csv(as_csv_table(table), path, write_options=pcsv.WriteOptions(quoting_style="needed"))
        written.append(path)
    if "parquet" in formats:
        path = stem.with_suffix(".parquet")
        pq.write_table(as_parquet_table(table), path, row_group_size=1 << 20)
        written.append(path)
    return written


def data_path(jurisdiction: str, size: str, fmt: str, folder: Path = DATA_DIR) -> Path:
    return folder / f"{jurisdiction}_{size}.{fmt}"


def ensure(jurisdiction: str, size: str, formats: Sequence[str] = ("csv", "parquet"), folder: Path = DATA_DIR,
           seed: int = SEED) -> list[Path]:
    """The files for a size, generated if missing."""
    wanted = [data_path(jurisdiction, size, f, folder) for f in formats]
    missing = [f for f, p in zip(formats, wanted, strict=True) if not p.exists()]
    if missing:
        write(make_log(jurisdiction, SIZES[size], seed), folder / f"{jurisdiction}_{size}", missing)
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jurisdiction", nargs="+", default=list(JURISDICTIONS))
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k", "1m"], choices=list(SIZES))
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="Regenerate files that exist.")
    args = parser.parse_args(argv)
    for jurisdiction in args.jurisdiction:
        for size in args.sizes:
            started = time.perf_counter()
            if args.force:
                for fmt in args.formats:
                    data_path(jurisdiction, size, fmt, args.out).unlink(missing_ok=True)
            paths = ensure(jurisdiction, size, args.formats, args.out, args.seed)
            took = time.perf_counter() - started
            print(f"{jurisdiction} {size}: {', '.join(p.name for p in paths)} ({took:.1f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
