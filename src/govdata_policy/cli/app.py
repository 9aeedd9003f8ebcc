"""Builds the typer app from the verb modules. Each module has ``register(app)``."""

from __future__ import annotations

import importlib

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
    app()
