"""The Dask scheduler ``check --engine dask --scheduler ADDRESS`` names: reached, asked who it is, then used."""

from __future__ import annotations

from typing import Any

from .errors import Bilingual, BilingualError, zh_of


class ClosedPort(Bilingual, OSError):
    """Nothing listens at the scheduler's address (``refuse_closed_port``), said in Chinese too."""


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
    refuse_closed_port(address, min(seconds, PROBE_SECONDS))

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


# how long the plain TCP connection of ``refuse_closed_port`` may take: a refusal comes back at once (a round
# trip), so this bounds only a host that does not answer, which then waits dask's connect timeout besides
PROBE_SECONDS = 1.0


def refuse_closed_port(address: str, seconds: float) -> None:
    """An OSError at once when the host at a tcp:// or tls:// ``address`` refuses the connection: nothing
    listens on that port. Dask takes a refusal for a scheduler still starting and tries again until its connect
    timeout, so a mistyped port or a scheduler that is down cost 30 s before exit 2. Anything else (no answer
    within ``seconds``, a name not found, no route, an address dask alone can read) is left to dask, which
    waits and says it in its own words. The connection taken here is closed at once: a scheduler logs it as
    "closed before handshake completed" (INFO), as it does the ones that ask it who it is."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except (ValueError, TypeError):  # no port ("localhost"): dask's own message says what is missing
        return
    if scheme not in ("tcp", "tls"):  # inproc://, ucx://: no plain TCP port to try
        return
    try:
        with socket.create_connection((host, port), timeout=seconds):
            return
    except ConnectionRefusedError:
        raise ClosedPort(f"nothing listens at {address}: the connection was refused (is the scheduler running, "
                         "and on that port?)",
                         zh="该地址无程序监听，连接被拒绝（调度器是否在运行，端口是否正确？）") from None
    except OSError:  # no answer in time, no such host, no route: dask tries for its connect timeout
        return


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
        reason_zh = zh_of(exc) or first  # a closed port's own Chinese; dask's words stay English
    gc.collect()  # the client, no longer held by the traceback, closes itself (it sits in reference cycles)
    dask.config.config.clear()
    dask.config.config.update(before)
    raise BilingualError(first, zh=f"无法使用 Dask 调度器 {address}：{reason_zh}")
