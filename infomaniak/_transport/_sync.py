"""Blocking I/O on urllib3 and threading. Never imports aiohttp or asyncio."""

from __future__ import annotations

import contextlib
import heapq
import inspect
import itertools
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import urlsplit

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

# urllib3 (~50 ms of start-up: http.client, email, ssl) is imported with the
# first request, not with `from infomaniak import Client`: see _load_urllib3.
if TYPE_CHECKING:
    import urllib3
    from urllib3.connection import HTTPConnection
    from urllib3.exceptions import (
        ConnectTimeoutError,
        EmptyPoolError,
        HTTPError,
        NewConnectionError,
        TimeoutError,
    )
else:

    class _NotLoaded(Exception):
        """Stands for urllib3's exceptions until it is loaded; never raised, matches nothing."""

    ConnectTimeoutError = EmptyPoolError = HTTPError = NewConnectionError = TimeoutError = (
        _NotLoaded
    )

__all__ = [
    "SyncLock",
    "SyncLookahead",
    "SyncSignal",
    "SyncTransport",
    "sync_callback",
    "sync_kubernetes_api_client",
    "sync_sleep",
]

T = TypeVar("T")

SyncLock = threading.Lock
sync_sleep = time.sleep

# Retries are the pipeline's: urllib3 retries nothing and follows no redirect.
# ``False`` says so; once urllib3 is loaded, the same built once (given
# ``False``, urllib3 builds this object on every request).
_NO_RETRIES: Any = False

# A blocking wait never asks the OS for more than this at once (threading
# refuses timeouts above threading.TIMEOUT_MAX); callers loop anyway.
_NAP_MAX = 3600.0


class SyncSignal:
    """A flag one caller sleeps on and others raise to wake it early.

    ``set()`` may be called from any thread. The flag stays up until ``clear()``.
    """

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    def wait(self, timeout: float | None) -> None:
        """Return once set, or after ``timeout`` seconds (``None``: only once set)."""
        self._event.wait(None if timeout is None else min(max(timeout, 0.0), _NAP_MAX))


# The watcher never sleeps longer than this at once: a deadline far away (or a
# clock jump) cannot overflow a wait, and the thread looks around now and then.
_WATCH_NAP_MAX = 60.0


class _Deadlines:
    """Ends requests that overrun their whole-request timeout.

    urllib3's read timeout bounds each socket read, not the request: an answer
    dripped a byte at a time never trips it. One daemon thread, shared by every
    blocking client, shuts the socket of a request still running at its
    deadline, which makes the blocked read return at once.

    The thread survives any error of its own work, and if it ends anyway (an
    exception sent into it, a fork), the next request starts a new one.
    """

    def __init__(self) -> None:
        self._tickets = itertools.count()
        self._reset()

    def _reset(self) -> None:
        # Also in a child process after fork(): the thread is not there, and
        # the lock may have been copied while held.
        self._cond = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int]] = []
        self._watched: dict[int, HTTPConnection] = {}
        self._thread: threading.Thread | None = None
        # When the sleeping watcher wakes next (-inf: it is about to run anyway).
        # A request whose deadline comes later does not wake it: waking it for
        # every request cost a thread switch per call (~20% of a sequential GET).
        self._wake_at = float("-inf")

    def watch(self, deadline: float, conn: HTTPConnection) -> int:
        ticket = next(self._tickets)
        with self._cond:
            heap, watched = self._heap, self._watched
            # Requests that ended left their entries behind: drop those on top,
            # so the heap stays as small as the requests in flight.
            while heap and heap[0][1] not in watched:
                heapq.heappop(heap)
            watched[ticket] = conn
            heapq.heappush(heap, (deadline, ticket))
            thread = self._thread
            if thread is None or not thread.is_alive():
                self._wake_at = float("-inf")
                self._thread = threading.Thread(
                    target=self._run, name="infomaniak-deadlines", daemon=True
                )
                self._thread.start()
            elif deadline < self._wake_at:
                self._wake_at = float("-inf")
                self._cond.notify()
        return ticket

    def unwatch(self, ticket: int) -> None:
        with self._cond:
            self._watched.pop(ticket, None)

    def _run(self) -> None:
        with self._cond:
            while True:
                try:
                    self._shut_overdue()
                    heap = self._heap
                    now = time.monotonic()
                    nap = min(heap[0][0] - now, _WATCH_NAP_MAX) if heap else None
                    self._wake_at = float("inf") if nap is None else now + nap
                    self._cond.wait(nap)
                    self._wake_at = float("-inf")
                except Exception:  # the watcher outlives any error of its own
                    # The entry on top cannot be handled: dropped, not retried forever.
                    if self._heap:
                        _, ticket = heapq.heappop(self._heap)
                        self._watched.pop(ticket, None)

    def _shut_overdue(self) -> None:
        heap = self._heap
        now = time.monotonic()
        while heap and (heap[0][0] <= now or heap[0][1] not in self._watched):
            _, ticket = heapq.heappop(heap)
            conn = self._watched.pop(ticket, None)
            if conn is not None:
                with contextlib.suppress(Exception):  # one odd connection stops no other
                    _shut(conn)


def _shut(conn: HTTPConnection) -> None:
    # http.client drops ``conn.sock`` once the headers say ``Connection: close``
    # (the answer then reads from a file on the same socket): the socket kept
    # at connect time is shut instead.
    sock = conn.sock or getattr(conn, "_watched_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


_DEADLINES = _Deadlines()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_DEADLINES._reset)
_current = threading.local()


class _WatchedMixin:
    """A connection that puts itself under the deadline watch when a request starts."""

    _watched_sock: socket.socket | None = None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watched_sock = self.sock  # type: ignore[attr-defined]

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            _current.ticket = _DEADLINES.watch(deadline, self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


_load_lock = threading.Lock()
_connection_classes: tuple[type[HTTPConnection], type[HTTPConnection]] | None = None


def _load_urllib3() -> tuple[type[HTTPConnection], type[HTTPConnection]]:
    """Import urllib3; return the watched connection classes (plain, TLS).

    Also binds the urllib3 exceptions ``SyncTransport.request`` catches: no
    urllib3 exception can be raised before this ran (it runs before the
    first pool exists), and until then the names match nothing.
    """
    global _connection_classes
    with _load_lock:
        if _connection_classes is None:
            from urllib3 import exceptions
            from urllib3.connection import HTTPConnection, HTTPSConnection
            from urllib3.util.retry import Retry

            globals().update(
                _NO_RETRIES=Retry(total=False, redirect=False),
                ConnectTimeoutError=exceptions.ConnectTimeoutError,
                EmptyPoolError=exceptions.EmptyPoolError,
                HTTPError=exceptions.HTTPError,
                NewConnectionError=exceptions.NewConnectionError,
                TimeoutError=exceptions.TimeoutError,
            )

            class _WatchedHTTPConnection(_WatchedMixin, HTTPConnection):
                pass

            class _WatchedHTTPSConnection(_WatchedMixin, HTTPSConnection):
                pass

            _connection_classes = (_WatchedHTTPConnection, _WatchedHTTPSConnection)
        return _connection_classes


class _PoolOnFirstUse:
    """A transport's pool until its first request: opens the real one then."""

    __slots__ = ("_lock", "_transport")

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport
        self._lock = threading.Lock()

    def urlopen(self, *args: Any, **kwargs: Any) -> Any:
        transport = self._transport
        with self._lock:  # two threads' first requests open one pool
            if transport._pool is cast(Any, self):
                if transport._closed:  # close() ran since request() checked
                    raise ClientClosedError("the client was closed during the request")
                transport._pool = transport._open()
        return transport._pool.urlopen(*args, **kwargs)

    def close(self) -> None:
        """Nothing opened yet, nothing to close."""


# A base URL's path that urllib3 would send as is (else it is read by urllib3:
# percent-encoding, dot segments), so that urllib3 waits for the first request.
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")


def _path_prefix(base_url: str) -> str:
    path = urlsplit(base_url).path
    if _PLAIN_PATH.fullmatch(path):
        return path
    import urllib3

    return urllib3.util.parse_url(base_url).path or ""


class SyncTransport:
    """Sends one HTTP request to ``base_url`` and reads the whole answer; thread-safe.

    At most ``max_connections`` requests are in flight at once, as in the async
    client: further threads wait for a free connection (within their timeout).
    """

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        connect_timeout: float,
        max_connections: int,
    ) -> None:
        self._headers = headers
        self._json_headers = {**headers, "Content-Type": "application/json"}
        self._connect_timeout = connect_timeout
        self._base_url = base_url
        self._where = host_port(base_url)
        self._max_connections = max_connections
        self._pool = cast("urllib3.HTTPConnectionPool", _PoolOnFirstUse(self))
        self._prefix = _path_prefix(base_url)
        self._timeouts: dict[float | None, urllib3.Timeout] = {}
        self._closed = False

    def _open(self) -> urllib3.HTTPConnectionPool:
        # One pool for the one host: no URL parsing or pool lookup per request.
        plain, tls = _load_urllib3()
        import urllib3

        pool = urllib3.connection_from_url(
            self._base_url, maxsize=self._max_connections, block=True, retries=False
        )
        pool.ConnectionCls = tls if isinstance(pool, urllib3.HTTPSConnectionPool) else plain
        return pool

    def _timeout(self, total: float | None) -> urllib3.Timeout:
        timeouts = self._timeouts
        timeout = timeouts.get(total)
        if timeout is None:
            from urllib3 import Timeout

            timeout = Timeout(total=total, connect=self._connect_timeout)
            if len(timeouts) >= TIMEOUT_CACHE_SIZE:
                # The oldest goes: the client's own timeout, used most, comes back at once.
                with contextlib.suppress(KeyError, StopIteration, RuntimeError):
                    del timeouts[next(iter(timeouts))]
            timeouts[total] = timeout
        return timeout

    def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None,
        timeout: float | None,
    ) -> RawResponse:
        """``body``, when given, is JSON. ``timeout`` bounds the whole request.

        Failures raise :class:`TransportError` with no chained cause: the
        frames of urllib3's exception hold the request headers (the token).
        """
        if self._closed:
            raise ClientClosedError("the client is closed")
        deadline = None if timeout is None else time.monotonic() + timeout
        _current.deadline = deadline
        failure: Exception
        try:
            response = self._pool.urlopen(
                method,
                self._prefix + target,
                body=body,
                headers=self._headers if body is None else self._json_headers,
                timeout=self._timeout(timeout),
                pool_timeout=timeout,  # type: ignore[arg-type]  # a float works; the stub says int
                retries=_NO_RETRIES,
                redirect=False,
                preload_content=True,
                assert_same_host=False,
            )
            return RawResponse(response.status, response.headers, response.data)
        except NewConnectionError as exc:
            # A subclass of ConnectTimeoutError in urllib3: tell it apart first.
            failure = TransportError(
                f"cannot connect to {self._where}: {connect_failure(exc.__context__)}",
                sent=False,
                cause=describe_cause(exc.__context__ or exc),
            )
        except ConnectTimeoutError as exc:
            failure = TransportError(
                f"cannot connect within {self._connect_timeout:g} s to {self._where}",
                sent=False,
                cause=describe_cause(exc),
            )
        except EmptyPoolError as exc:
            if self._closed:
                failure = ClientClosedError("the client is closed")
            else:
                failure = TransportTimeout(
                    f"no free connection within {timeout:g} s "
                    f"(max_connections={self._max_connections})",
                    sent=False,
                    cause=describe_cause(exc),
                )
        except (TimeoutError, HTTPError, OSError) as exc:
            if self._closed:
                failure = ClientClosedError("the client was closed during the request")
            elif isinstance(exc, TimeoutError) or (
                deadline is not None and time.monotonic() >= deadline
            ):
                failure = TransportTimeout(
                    f"no answer within {timeout:g} s from {self._where}",
                    sent=True,
                    cause=describe_cause(exc),
                )
            else:
                failure = TransportError(
                    f"connection to {self._where} failed: {dropped_reason(exc)}",
                    sent=True,
                    cause=describe_cause(exc),
                )
        finally:
            _current.deadline = None
            ticket = getattr(_current, "ticket", None)
            if ticket is not None:
                _current.ticket = None
                _DEADLINES.unwatch(ticket)
        # Raised here, out of the except clause, so that nothing is chained to it.
        raise failure

    def reopen(self) -> None:
        """Allow requests again after :meth:`close`, on a fresh pool."""
        if self._closed:
            self._pool = self._open()
            self._closed = False

    def close(self) -> None:
        """Close the connections; later requests raise ``ClientClosedError``."""
        self._closed = True
        self._pool.close()


class SyncLookahead(Generic[T]):
    """Fetches items ``start .. stop`` in order, each only when asked for:
    the blocking client stays strictly lazy (``depth`` is ignored)."""

    def __init__(
        self,
        fetch: Callable[[int], Any],
        *,
        start: int,
        stop: int,
        depth: int,
        owner: SyncTransport | None = None,
        finish: Callable[[Any], T] | None = None,
    ) -> None:
        self._fetch = fetch
        self._finish = finish
        self._next = start
        self._stop = stop

    @property
    def stop(self) -> int:
        return self._stop

    def extend(self, stop: int) -> None:
        """Follow a list that grew (or shrank) while walked: fetch up to ``stop``."""
        self._stop = stop

    def prime(self) -> None:
        """Nothing to do: a page is fetched only when asked for."""

    def exhausted(self) -> bool:
        return self._next > self._stop

    def next(self) -> T:
        number = self._next
        self._next += 1
        fetched = self._fetch(number)
        return fetched if self._finish is None else self._finish(fetched)

    def cancel(self) -> None:
        self._next = self._stop + 1


def sync_kubernetes_api_client(fetch_kubeconfig: Callable[[], str]) -> Any:
    """A ``kubernetes.client.ApiClient`` for the kubeconfig ``fetch_kubeconfig`` gives.

    The library is imported first, so that a missing one fails before any request.
    """
    library = require("kubernetes.config", "kubernetes")
    keep = sys.exc_info()[1]
    try:
        # persist_config: there is no file to write refreshed credentials back to.
        return library.new_client_from_config_dict(
            config_dict=parse_kubeconfig(fetch_kubeconfig()), persist_config=False
        )
    except BaseException as error:
        # The frames below held the kubeconfig (a credential) in their locals.
        clear_locals(error, keep)
        raise


# ----------------------------------------------------------------- waiting (wait())


def _is_async_callable(callback: object) -> bool:
    return inspect.iscoroutinefunction(callback) or inspect.iscoroutinefunction(
        getattr(callback, "__call__", None)  # noqa: B004 - an object with an async __call__
    )


def sync_callback(name: str, callback: Callable[[T], object]) -> Callable[[T], None]:
    """A user's callback, checked: the blocking client cannot run ``async def`` ones."""
    if not callable(callback):
        raise TypeError(f"{name} must be callable")
    if _is_async_callable(callback):
        raise TypeError(
            f"{name} is an async function: the blocking Client cannot await it "
            "(pass a plain function, or use AsyncClient)"
        )

    def call(value: T) -> None:
        result = callback(value)
        if inspect.iscoroutine(result):
            result.close()
            raise TypeError(f"{name} returned a coroutine: the blocking Client cannot await it")

    return call
