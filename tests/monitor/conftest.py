"""Fixtures for the streaming monitor tests; helpers live in monitor_helpers.py."""

from __future__ import annotations

from typing import Any

import pytest
from monitor_helpers import JURISDICTIONS

import govdata_policy as gp


@pytest.fixture(scope="session")
def profiles() -> dict[str, Any]:
    return {name: gp.load_jurisdiction(name) for name in JURISDICTIONS}
