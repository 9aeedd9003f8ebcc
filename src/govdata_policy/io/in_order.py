"""An executor for one thread that is the calling thread (``io.validate``'s column checks)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class InOrder:
    """One thread's executor: each call made at once, in this thread, as it is submitted.

    issue 5: with one worker thread the peak of a 1M-row Guangxi check was 516 or 565 MB from one
    run to the next (the C library's allocator serving that thread from an arena of its own, or
    not); made here, 513-514 MB in six runs of six.
    """

    def __enter__(self) -> InOrder:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, call: Callable[..., T], *args: Any) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(call(*args))
        except Exception as exc:  # noqa: BLE001 - raised where its result is asked for, as a pool's is
            done.set_exception(exc)
        # not KeyboardInterrupt or SystemExit: a pool's thread never sees Ctrl-C, the calling thread does at once
        return done
