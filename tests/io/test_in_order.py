"""The one-thread executor of the column checks behaves as a one-thread pool: calls in the order
submitted, a call's exception raised where its result is asked for."""

from __future__ import annotations

import threading

import pytest

from govdata_policy.io.in_order import InOrder


def test_calls_run_in_order_in_this_thread() -> None:
    seen: list[tuple[int, str]] = []
    with InOrder() as pool:
        first = pool.submit(lambda: seen.append((1, threading.current_thread().name)) or "a")
        second = pool.submit(lambda x: seen.append((2, threading.current_thread().name)) or x + first.result(), "b")
    assert seen == [(1, threading.current_thread().name), (2, threading.current_thread().name)]
    assert (first.result(), second.result()) == ("a", "ba")


def test_an_exception_is_raised_by_result_not_by_submit() -> None:
    with InOrder() as pool:
        failed = pool.submit(lambda: 1 / 0)
        after = pool.submit(lambda: "still run")
    assert after.result() == "still run"
    with pytest.raises(ZeroDivisionError):
        failed.result()


def test_ctrl_c_stops_at_once() -> None:
    """Ctrl-C in a column check was kept in its future like an error: every later column was still
    checked, further Ctrl-Cs kept alike, before validation said so. A pool's thread never gets it: the
    calling thread, waiting, is interrupted at once."""
    def interrupted() -> None:
        raise KeyboardInterrupt

    ran: list[str] = []
    with pytest.raises(KeyboardInterrupt), InOrder() as pool:
        pool.submit(interrupted)
        pool.submit(lambda: ran.append("next column"))
    assert ran == []
