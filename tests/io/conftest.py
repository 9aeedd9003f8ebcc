"""Shared fixtures for the input tests (tests import nothing from here, only fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

@pytest.fixture
def gbk_csv() -> Path:
    return DATA / "gbk_export.csv"


@pytest.fixture
def write_csv(tmp_path: Path):
    """write_csv(rows, name="log.csv", encoding="utf-8") -> path; rows are dicts of text."""

    def write(rows: list[dict[str, str]], name: str = "log.csv", encoding: str = "utf-8") -> Path:
        columns = list(dict.fromkeys(k for r in rows for k in r))
        lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write
