"""What every verb shares: failing with exit code 2 and a one-line reason."""

from __future__ import annotations

from typing import NoReturn

import typer

USAGE_ERROR = 2


def fail(message: str) -> NoReturn:
    """Usage or input error: one line on stderr, exit code 2 (CONTRACT.md §3)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USAGE_ERROR)
