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


INTERNAL_ERROR = 3


def main() -> None:
    """The console script. An error that is not the user's (a bug) exits 3, not 1: 1 means
    "violations found" to the scripts that run ``check`` (CONTRACT.md §3)."""
    try:
        app(standalone_mode=True)
    except Exception as exc:  # anything typer/click did not turn into an exit code
        import traceback

        traceback.print_exc()
        message = " ".join(str(exc).split())[:300]
        typer.echo(f"error: internal error, a bug in govdata-policy and not in your input "
                   f"({type(exc).__name__}: {message}); please report it with the command run", err=True)
        raise SystemExit(INTERNAL_ERROR) from None
