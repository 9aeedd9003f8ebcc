"""The national schedule's cache file (issue 5: start-up time) never changes a day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govdata_policy.calendar import national


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GOVDATA_POLICY_CACHE", str(tmp_path / "cache"))
    national.national_schedule.cache_clear()
    yield tmp_path / "cache"
    national.national_schedule.cache_clear()


def test_cached_schedule_is_the_computed_one(fresh: Path) -> None:
    computed = national.compute_national_schedule()
    first = national.national_schedule()  # computes and writes the file
    assert list(fresh.glob("national-*.json")), "the cache file was not written"
    national.national_schedule.cache_clear()
    second = national.national_schedule()  # read back from the file
    assert first == computed
    assert second == computed
    # 2025-01-26 (Sunday) was worked for the Spring Festival: named after its partner day
    assert "调休上班" in second.work[national.day_number(dt.date(2025, 1, 26))]


def test_damaged_cache_is_recomputed(fresh: Path) -> None:
    national.national_schedule()
    [path] = fresh.glob("national-*.json")
    path.write_text('{"off": {"x": ', encoding="utf-8")
    national.national_schedule.cache_clear()
    assert national.national_schedule() == national.compute_national_schedule()


def test_unwritable_cache_folder_is_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GOVDATA_POLICY_CACHE", str(blocker / "cache"))
    national.national_schedule.cache_clear()
    try:
        assert national.national_schedule() == national.compute_national_schedule()
    finally:
        national.national_schedule.cache_clear()


def test_empty_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDATA_POLICY_CACHE", "")
    assert national.cache_dir() is None
