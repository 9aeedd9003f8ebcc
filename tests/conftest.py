"""Shared by the test folders: the benchmark's log generator, importable as ``bench_generate``.

``benchmarks/generate.py`` is a script, not a package module; tests that need realistic
logs (every process of a profile, late and missing steps, unreadable rows) import it
under that name, loaded once here.

Hypothesis: ``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) draws the same examples on every run, so
a CI verdict depends on the commit alone; a run without it explores new examples each time.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

_GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _register_generator() -> None:
    if "bench_generate" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location("bench_generate", _GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


_register_generator()
# the user's cache folder is no place for what tests keep (the holiday schedule, profiles of their own
# files): one folder for the session, its processes and the CLI's subprocesses (tests of the cache
# itself set their own)
_CACHE = tempfile.mkdtemp(prefix="govdata-policy-test-cache-")
os.environ["GOVDATA_POLICY_CACHE"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def variant_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """``variant_file(name, body)``: a profile file ``name.yaml`` holding ``name: name`` and ``body``
    (its ``extends:`` and what it changes)."""

    def make(name: str, body: str) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\n{body}", encoding="utf-8")
        return path

    return make


@pytest.fixture
def reading_variant(variant_file: Callable[[str, str], Path]) -> Callable[..., Path]:
    """``reading_variant(base, param, value, name=None)``: a variant profile file of ``base`` choosing
    one reading (named ``base-value`` unless ``name`` is given)."""

    def make(base: str, param: str, value: str, name: str | None = None) -> Path:
        return variant_file(name or f"{base}-{value}", f"extends: {base}\nparameters:\n"
                            f"  {param}: {{value: {value}, reference: test, description: test}}\n")

    return make
