"""Shared by the test folders: the benchmark's log generator, importable as ``bench_generate``.

``benchmarks/generate.py`` is a script, not a package module; tests that need realistic
logs (every process of a profile, late and missing steps, unreadable rows) import it
under that name, loaded once here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

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
