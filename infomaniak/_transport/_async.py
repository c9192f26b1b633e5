"""Async I/O on aiohttp and asyncio."""

from __future__ import annotations

import asyncio
import inspect
import sys
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import aiohttp
from yarl import URL

from .._handoff import clear_locals, parse_kubeconfig, require
from ..errors import ClientClosedError
from ._common import (
    TIMEOUT_CACHE_SIZE,
    RawResponse,
    TransportError,
    TransportTimeout,
    connect_failure,
    describe_cause,
    dropped_reason,
    host_port,
)

__all__ = [
    "AsyncLock",
    "AsyncLookahead",
    "AsyncSignal",
    "AsyncTransport",
    "async_callback",
    "async_kubernetes_api_client",
    "async_sleep",
]

T = TypeVar("T")

_JSON_CONTENT = {"Content-Type": "application/json"}

async_sleep = asyncio.sleep


class AsyncLock:
    """An ``asyncio.Lock`` that follows the running loop.

    A client built once and used from successive loops (``asyncio.run`` twice,
    a test suite with a loop per test) would otherwise hit "bound to a
    different event loop" once the lock had been waited on.
    """

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        await self._lock.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._lock is not None
        self._lock.release()


class AsyncSignal:
    """A flag one caller sleeps on and others raise to wake it early.

    ``set()`` may be called from any task of any loop (the client's ``close()``
    wakes callers waiting in other loops). The flag stays up until ``clear()``.
    """

    __slots__ = ("_flag", "_future")

    def __init__(self) -> None:
        self._flag = False
        self._future: asyncio.Future[None] | None = None

    def set(self) -> None:
        self._flag = True
        future = self._future
        if future is not None and not future.done():
            loop = future.get_loop()
            try:
                same_loop = asyncio.get_running_loop() is loop
            except RuntimeError:
                same_loop = False
            if same_loop:
                future.set_result(None)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_settle, future)

    def clear(self) -> None:
        self._flag = False

    async def wait(self, timeout: float | None) -> None:
        """Return once set, or after ``timeout`` seconds (``None``: only once set)."""
        if self._flag:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._future = future
        timer = None if timeout is None else loop.call_later(max(timeout, 0.0), _settle, future)
        try:
            await future
        finally:
            self._future = None
            if timer is not None:
                timer.cancel()


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class AsyncTransport:
    """Sends one HTTP request to ``base_url`` and reads the whole answer.

    The ClientSession is created on first use, inside the running loop, and
    closed by :meth:`close` (never in ``__del__``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        connect_timeout: float,
        max_connections: int,
    ) -> None:
        self._base_url = base_url
        self._where = host_port(base_url)
        self._headers = headers
        self._connect_timeout = connect_timeout
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}
        self._closed = False
        # Pages being fetched ahead for callers: close() cancels them.
        self._lookaheads: weakref.WeakSet[AsyncLookahead[object]] = weakref.WeakSet()

    def track(self, lookahead: AsyncLookahead[object]) -> None:
        self._lookaheads.add(lookahead)

    def _session_for_this_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is not None and self._session_loop is loop:
            return self._session
        if self._closed:
            raise ClientClosedError("the client is closed")
        # First use, or a new loop (the previous one ended without close()):
        # a session cannot outlive its loop, so a fresh one is opened.
        self._session_loop = loop
        return self._open()

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self._max_connections, ttl_dns_cache=300)
        # Headers sent on every request live in the session: nothing to merge per call.
        self._session = aiohttp.ClientSession(
            connector=connector, headers=self._headers, auto_decompress=True, trust_env=False
        )
        return self._session

    def _timeout(self, total: float | None) -> aiohttp.ClientTimeout:
        timeouts = self._timeouts
        timeout = timeouts.get(total)
        if timeout is None:
            # sock_connect bounds opening a new connection only: a pooled one
            # costs no extra timer per request.
            timeout = aiohttp.ClientTimeout(total=total, sock_connect=self._connect_timeout)
            if len(timeouts) >= TIMEOUT_CACHE_SIZE:
                # The oldest goes: the client's own timeout, used most, comes back at once.
                del timeouts[next(iter(timeouts))]
            timeouts[total] = timeout
        return timeout

    async def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None,
        timeout: float | None,
    ) -> RawResponse:
        """``body``, when given, is JSON.

        Failures raise :class:`TransportError` with no chained cause: the
        frames of aiohttp's exception hold the request headers (the token).
        """
        session = self._session_for_this_loop()
        failure: Exception
        try:
            async with session.request(
                method,
                URL(self._base_url + target, encoded=True),
                headers=None if body is None else _JSON_CONTENT,
                data=body,
                timeout=self._timeout(timeout),
                allow_redirects=False,
            ) as response:
                return RawResponse(response.status, response.headers, await response.read())
        except aiohttp.ConnectionTimeoutError as exc:
            # A TimeoutError too: told apart first, since nothing was sent.
            failure = TransportError(
                f"cannot connect within {self._connect_timeout:g} s to {self._where}",
                sent=False,
                cause=describe_cause(exc),
            )
        except TimeoutError as exc:
            failure = TransportTimeout(
                f"no answer within {timeout:g} s from {self._where}",
                sent=True,
                cause=describe_cause(exc),
            )
        except aiohttp.ClientConnectorError as exc:
            failure = TransportError(
                f"cannot connect to {self._where}: {connect_failure(exc.os_error)}",
                sent=False,
                cause=describe_cause(exc),
            )
        except aiohttp.ClientError as exc:
            if self._closed:
                failure = ClientClosedError("the client was closed during the request")
            else:
                failure = TransportError(
                    f"connection to {self._where} failed: {dropped_reason(exc)}",
                    sent=True,
                    cause=describe_cause(exc),
                )
        # Raised here, out of the except clause, so that nothing is chained to it.
        raise failure

    def reopen(self) -> None:
        """Allow requests again after :meth:`close` (connections open lazily)."""
        self._closed = False

    async def close(self) -> None:
        """Cancel the pages fetched ahead and close the connections; later
        requests raise ``ClientClosedError``."""
        self._closed = True
        for lookahead in list(self._lookaheads):
            lookahead.cancel()
        if self._session is not None:
            session, self._session = self._session, None
            # A session of a loop that has ended cannot be awaited any more.
            if self._session_loop is asyncio.get_running_loop():
                await session.close()


class AsyncLookahead(Generic[T]):
    """Fetches items ``start .. stop`` (page numbers) in order, with fetches
    running ahead of the consumer as tasks.

    The window ahead grows with what the consumer takes: as many fetches
    ahead as items it has taken (counting the one it started from), up to
    ``depth`` (0: none ahead, each fetched when asked for). A consumer that
    stops early leaves at most as many fetches unused as items it took, and
    never more than ``depth``; one that keeps going reaches ``depth`` ahead
    within a few round trips (the window doubles each round trip).

    ``finish`` turns what a fetch returned into the item, in the
    consumer's turn rather than in the task (the CPU work of a page, decoding
    it, then never delays sending the next requests)."""

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[Any]],
        *,
        start: int,
        stop: int,
        depth: int,
        owner: AsyncTransport | None = None,
        finish: Callable[[Any], T],
    ) -> None:
        self._fetch = fetch
        self._finish = finish
        self._next_to_start = start
        self._next_to_give = start
        self._stop = stop
        self._depth = max(depth, 0)
        # Fetches kept running ahead: grows by one per item taken, up to depth.
        self._window = 0
        self._pending: deque[tuple[int, asyncio.Task[Any]]] = deque()
        if owner is not None:
            owner.track(self)  # type: ignore[arg-type]

    @property
    def stop(self) -> int:
        return self._stop

    def extend(self, stop: int) -> None:
        """Follow a list that grew or shrank while walked: fetch up to ``stop``."""
        self._stop = stop
        while self._pending and self._pending[-1][0] > stop:
            _discard(self._pending.pop()[1])
        self._next_to_start = min(self._next_to_start, stop + 1)

    def exhausted(self) -> bool:
        return self._next_to_give > self._stop

    def prime(self) -> None:
        """Start the first fetch now, before the consumer asks for it (the
        consumer holds the item before ``start``: one taken, one ahead)."""
        self._window = min(1, self._depth)
        self._fill(self._window)

    def _fill(self, target: int) -> bool:
        """Start fetches up to ``target`` pending; whether any was started."""
        started = False
        while len(self._pending) < target and self._next_to_start <= self._stop:
            number = self._next_to_start
            self._pending.append((number, asyncio.ensure_future(self._fetch(number))))
            self._next_to_start += 1
            started = True
        return started

    async def next(self) -> T:
        self._fill(1)
        _, task = self._pending.popleft()
        self._next_to_give += 1
        # Refill before waiting: the window's fetches stay in flight beyond
        # this one, one more for each item taken.
        if self._window < self._depth:
            self._window += 1
        started = self._fill(self._window)
        try:
            if started and task.done():
                # Let the new fetch send its request now: awaiting a finished
                # task does not yield, and pages that arrived together would
                # otherwise send the next ones together, after the caller went
                # through all of them (a walk then takes 20 ms + the caller's
                # work per ``depth`` pages instead of 20 ms per ``depth``).
                await asyncio.sleep(0)
            fetched = await task
            return self._finish(fetched)
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        for _, task in self._pending:
            _discard(task)
        self._pending.clear()
        self._next_to_start = self._next_to_give = self._stop + 1


def _discard(task: asyncio.Task[object]) -> None:
    if task.done():
        if not task.cancelled():
            # A page that failed ahead of the consumer, who stopped before
            # reaching it: nothing to report.
            task.exception()
    else:
        task.cancel()


async def async_kubernetes_api_client(fetch_kubeconfig: Callable[[], Awaitable[str]]) -> Any:
    """A ``kubernetes_asyncio.client.ApiClient`` for the kubeconfig ``fetch_kubeconfig`` gives.

    The library is imported first, so that a missing one fails before any request.
    """
    library = require("kubernetes_asyncio.config", "kubernetes-asyncio")
    keep = sys.exc_info()[1]
    try:
        return await library.new_client_from_config_dict(
            config_dict=parse_kubeconfig(await fetch_kubeconfig())
        )
    except BaseException as error:
        # The frames below held the kubeconfig (a credential) in their locals.
        clear_locals(error, keep)
        raise


# ----------------------------------------------------------------- waiting (wait())


def async_callback(name: str, callback: Callable[[T], object]) -> Callable[[T], Awaitable[None]]:
    """A user's callback as an awaitable call: ``async def`` callbacks are awaited."""
    if not callable(callback):
        raise TypeError(f"{name} must be callable")

    async def call(value: T) -> None:
        result = callback(value)
        if inspect.isawaitable(result):
            await result

    return call
