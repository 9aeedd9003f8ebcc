"""Builds the typer app from the verb modules. Each module has ``register(app)``."""

from __future__ import annotations

import errno
import importlib
import os
import sys

import typer

from .usage_zh import usage_zh, wants_zh

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
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # a write that found no room


def main() -> None:
    """The console script. A usage error is one line on stderr and exit 2, as every verb's own
    errors are (CONTRACT.md §3; click would draw a box of six); an error that is not the user's
    (a bug) exits 3, not 1: 1 means "violations found" to the scripts that run ``check``."""
    try:
        code = app(standalone_mode=False, prog_name="govdata-policy")
    except Exception as exc:
        raise SystemExit(_failed(exc)) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def run() -> None:
    """The console script (and ``python -m govdata_policy``): ``main``, then out of the process at
    once, its output flushed.

    Issue 5: after a check of 1M events Python's own exit spent 0.2-0.3 s freeing the log's
    columns and the findings one object at a time, in a process about to end. ``os._exit`` skips
    that, and with it the interpreter's clean-up at exit, so it is taken only when there is none to
    miss: no thread or child process still running, Dask not loaded (its client closes at exit).
    Callers of ``main`` in the same process (tests, a platform) get its ``SystemExit`` as before.
    """
    try:
        main()
    except SystemExit as stop:
        if not isinstance(stop.code, int) or not _nothing_left_running():
            raise
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # None: closed before the command started (`>&-`), nothing to flush
                    stream.flush()
        except (OSError, ValueError):  # a reader gone, a closed stream: Python's exit says so as before
            raise stop from None
        os._exit(stop.code)


def _nothing_left_running() -> bool:
    """No thread but this one and no child process alive, and no Dask: nothing Python's exit would
    wait for, close or clean up after."""
    import threading

    if any(thread is not threading.current_thread() and thread.is_alive() and not thread.daemon
           for thread in threading.enumerate()):
        return False
    processes = sys.modules.get("multiprocessing")
    if processes is not None and processes.active_children():
        return False
    return "distributed" not in sys.modules and "dask" not in sys.modules


def _failed(exc: Exception) -> int:
    """Say why on stderr; the exit code. Click's exceptions are told by their shape: typer may
    carry its own copy of click, whose classes are not ``click``'s."""
    name = type(exc).__name__
    if name == "NoArgsIsHelpError":  # the verb's help, as click prints it
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", 2))
    if name == "Abort":  # Ctrl-C at a prompt
        typer.echo("aborted", err=True)
        return 1
    if hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int):
        context = getattr(exc, "ctx", None)
        message = " ".join(exc.format_message().split()).replace("Value error, ", "")  # pydantic's
        chinese = usage_zh(message) if wants_zh(sys.argv[1:]) else None
        if chinese is not None:  # check's and explain's officers read Chinese (their --lang zh)
            hint = f"（见 {context.command_path} --help）" if context is not None else ""
            typer.echo(f"错误：{chinese}{hint}", err=True)
        else:
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            typer.echo(f"error: {message}{hint}", err=True)
        return int(exc.exit_code)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        # only a write meets these, and a full disk is the user's to fix, not a bug: exit 2 in one line, as
        # check says it (its own handler names the file); the other verbs write to standard output
        why = exc.strerror or str(exc)
        if wants_zh(sys.argv[1:]):
            typer.echo(f"错误：无法写出结果：{why}", err=True)
        else:
            typer.echo(f"error: cannot write the output: {why}", err=True)
        return 2
    import traceback

    traceback.print_exception(exc)
    message = " ".join(str(exc).split())[:300]
    typer.echo(f"error: internal error, a bug in govdata-policy and not in your input "
               f"({name}: {message}); please report it with the command run", err=True)
    return INTERNAL_ERROR


if __name__ == "__main__":  # `python -m govdata_policy.cli.app`: without this it ran nothing and exited 0, a "pass"
    run()
