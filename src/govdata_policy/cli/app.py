"""Builds the typer app from the verb modules. Each module has ``register(app)``."""

from __future__ import annotations

import importlib
import os

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Check government data-sharing event logs against cited, executable rules.",
)

# One module per verb (or group of verbs).
VERB_MODULES = (
    "check_cmd",
    "calendar_cmds",
    "rules_cmd",
    "compare_cmd",
    "mapping_cmd",
    "explain_cmd",
    "test_cmd",
)

for _name in VERB_MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def main() -> None:
    # Before Arrow is loaded: its allocator (mimalloc) then gives freed memory back at once
    # rather than after 10 ms of further allocations. issue 5: a 1M-event check's peak is
    # 560 MB instead of 630 MB (Guangxi CSV), in the same time; a command line process
    # only, a program importing the library keeps its own allocator settings.
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
    app()
