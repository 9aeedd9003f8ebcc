"""Fixtures for the calendar tests: the three bundled calendars, built once."""

from __future__ import annotations

import pytest

from govdata_policy.calendar import WorkingCalendar, build_calendar
from govdata_policy.paths import jurisdictions_dir

CALENDARS = jurisdictions_dir() / "calendars"


@pytest.fixture(scope="session")
def national() -> WorkingCalendar:
    return build_calendar()


@pytest.fixture(scope="session")
def guangxi() -> WorkingCalendar:
    return build_calendar(CALENDARS / "guangxi.yaml")


@pytest.fixture(scope="session")
def xinjiang() -> WorkingCalendar:
    return build_calendar(CALENDARS / "xinjiang.yaml")
