"""The Dask scheduler ``check --engine dask --scheduler ADDRESS`` names: reached, asked who it is, then used."""

from __future__ import annotations

from typing import Any

from .errors import BilingualError


def answer_as_scheduler(address: str) -> None:
    """Ask what listens at ``address`` who it is: the connection within dask's connect timeout
    (``distributed.comm.timeouts.connect``, 30 s unless configured), each answer within as long again. An
    OSError when nothing takes the connection (dask's words) or nothing answers in time, a ValueError when
    something other than a scheduler does (a worker's address, say).

    The question is asked on a loop of its own, in a thread of its own: the caller may be running one
    (a platform's asyncio service, a notebook)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import dask
    from dask.utils import parse_timedelta
    from distributed.comm import connect

    seconds = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="s")

    async def identity() -> Any:
        # dask gives up on a port where nothing takes the connection after ``seconds``, in its own words
        # ("Timed out trying to connect ...", as Client said it); its handshake after the connection has no
        # deadline, so the server is given as long again to answer it. One deadline of ``seconds`` over both
        # took a port where nothing listens for a server that says nothing
        comm = await asyncio.wait_for(connect(address, timeout=seconds), 2 * seconds)
        try:
            return await asyncio.wait_for(_ask_identity(comm), seconds)
        finally:
            comm.abort()

    with ThreadPoolExecutor(1) as thread:
        try:
            said = thread.submit(asyncio.run, identity()).result()
        except TimeoutError:
            raise OSError(f"nothing at {address} answered as a Dask scheduler within {seconds:g} s (it takes "
                          "the connection and says nothing: another program's port?)") from None
    kind = said.get("type") if isinstance(said, dict) else None
    if kind != "Scheduler":
        raise ValueError(f"what answers at {address} is not a Dask scheduler ({kind or type(said).__name__})")


async def _ask_identity(comm: Any) -> Any:
    await comm.write({"op": "identity", "reply": True})
    return await comm.read()


def client_at(address: str) -> Any:
    """A client of the scheduler at ``address``; one that cannot be used is a bilingual error (exit 2).
    A Client makes itself dask's default (the configuration's scheduler, the global client) before it
    connects, and undoes that only when it is closed or freed. One that failed to connect stayed alive
    through the error's traceback, so every later dask computation of the process (a platform's, the
    next test's) went to it and failed ("no Client active") or hung. The error is said without the
    traceback (its first line), the half-made client freed, and the configuration put back.

    A server that takes the connection and then says nothing (a port held by another program, a proxy,
    a firewall's tarpit) made ``Client(address)`` wait for ever, its ``timeout`` notwithstanding (it
    bounds the connection, not the scheduler's first answer): ``answer_as_scheduler`` asks first.
    """
    import copy
    import gc

    import dask
    from dask.distributed import Client

    before = copy.deepcopy(dask.config.config)
    try:
        answer_as_scheduler(address)  # before the Client, which would wait for ever on a server that says nothing
        return Client(address)
    except Exception as exc:  # unreachable, no address, or no scheduler there: the user's to fix, in Chinese too
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not isinstance(exc, OSError | ValueError):  # an SSH or HTTP server's answer read as a message's size
            first = f"what answers at {address} is not a Dask scheduler ({type(exc).__name__}: {first})"
    gc.collect()  # the client, no longer held by the traceback, closes itself (it sits in reference cycles)
    dask.config.config.clear()
    dask.config.config.update(before)
    raise BilingualError(first, zh=f"无法使用 Dask 调度器 {address}：{first}")
