"""Output files written whole or not at all.

A report is written where a compliance officer, or a script of theirs, will read it.
Written in place, a run that fails half way (a full disk, a bug: exit 3) left a
file cut short where the last report was: a CSV that reads as fewer violations, a
workbook that will not open. Here the text goes to a file beside the target, which
replaces the target only when it is complete (``os.replace``, atomic on one file
system); on failure it is removed and the previous report is left as it was.

Where that cannot be done the file is written in place, as before: a target that
is no regular file (``/dev/null``, a named pipe: replacing it would put a file
where the device was), a file we may not write (read-only: refused, as writing it
in place is), or a folder where no file of our own may be made beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_whole(path: str | Path, write: Callable[[Path], T]) -> T:
    """Call ``write`` with a path to write to, then put what it wrote at ``path``; returns its result.

    A symbolic link is followed (its target is replaced, not the link), and an existing file's
    permission bits are kept.
    """
    target = Path(path)
    if target.is_symlink():
        try:
            target = target.resolve()
        except (OSError, RuntimeError):  # a loop of links (RuntimeError before 3.13): in place, failing as before
            return write(target)
    if target.exists() and (not target.is_file() or not os.access(target, os.W_OK)):
        # a device; or a file we may not write (read-only, another's): in place, refused as before, not
        # replaced from the folder (os.replace needs only the folder's permission)
        return write(target)
    # a name of this run alone: a file left by a run killed before it could clean up (same process id
    # after a restart) would otherwise send every later write in place
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        partial.touch(exist_ok=False)
    except OSError:  # a folder we may not add to, a name too long with the suffix: in place
        return write(target)
    try:
        result = write(partial)
        if target.exists():
            with contextlib.suppress(OSError):
                shutil.copymode(target, partial)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return result
