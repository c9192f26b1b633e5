"""Blocking I/O on the standard library (http.client, ssl) and threading.

Never imports aiohttp, asyncio or urllib3."""

from __future__ import annotations

import collections
import contextlib
import errno
import heapq
import inspect
import itertools
import os
import queue
import re
import socket
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from .._handoff import clear_locals, parse_kubeconfig, require
from ..errors import ClientClosedError
from ._common import (
    RawResponse,
    TransportError,
    TransportTimeout,
    connect_failure,
    describe_cause,
    dropped_reason,
    host_port,
)

# The standard library's HTTP (http.client, ssl: ~15 ms of start-up) is
# imported with the first connection, not with `from infomaniak import
# Client`: see _load_http.
if TYPE_CHECKING:
    from ._stdhttp import HTTPException, WatchedConnection
else:

    class HTTPException(Exception):
        """Stands for http.client's exceptions until it is loaded; never raised, matches nothing."""


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

    A socket's timeout bounds each read, not the request: an answer
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
        self._watched: dict[int, WatchedConnection] = {}
        self._thread: threading.Thread | None = None
        # When the sleeping watcher wakes next (-inf: it is about to run anyway).
        # A request whose deadline comes later does not wake it: waking it for
        # every request cost a thread switch per call (~20% of a sequential GET).
        self._wake_at = float("-inf")

    def watch(self, deadline: float, conn: WatchedConnection) -> int:
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

    def unwatch(self, ticket: int) -> bool:
        """Stop watching; False when the watcher already shut the connection."""
        with self._cond:
            return self._watched.pop(ticket, None) is not None

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


def _shut(conn: WatchedConnection) -> None:
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


_load_lock = threading.Lock()


def _load_http() -> Any:
    """Import the standard library's HTTP (the ``_stdhttp`` module) and return it.

    Also binds ``HTTPException``, which ``SyncTransport.request`` catches: none
    can be raised before this ran (it runs before the first connection
    exists), and until then the name matches nothing.
    """
    global _http
    with _load_lock:
        if _http is None:
            from . import _stdhttp

            globals()["HTTPException"] = _stdhttp.HTTPException
            _http = _stdhttp
        return _http


_http: Any = None


# A base URL's path made of these alone is sent as it is written.
_PLAIN_PATH = r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*"
# What urllib3 (RFC 3986) leaves unencoded in a path.
_PATH_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~!$&'()*+,;=:@/"
)
_PERCENT = r"%[a-fA-F0-9]{2}"


def _path_prefix(base_url: str) -> str:
    """The base URL's path as sent before every target: dot segments removed,
    what a path cannot hold percent-encoded (existing escapes kept, upper-cased),
    as urllib3 (the previous transport) sent it."""
    path = urlsplit(base_url).path
    # Patterns as text: re compiles them on first use (not at import) and caches them.
    if re.fullmatch(_PLAIN_PATH, path):
        return path
    # RFC 3986 section 5.2.4.
    output: list[str] = []
    for segment in path.split("/"):
        if segment == ".":
            continue
        if segment != "..":
            output.append(segment)
        elif output:
            output.pop()
    if path.startswith("/") and (not output or output[0]):
        output.insert(0, "")
    if path.endswith(("/.", "/..")):
        output.append("")
    path = "/".join(output)
    path, escapes = re.subn(_PERCENT, lambda match: match.group(0).upper(), path)
    raw = path.encode("utf-8", "surrogatepass")
    # A '%' that starts no escape is encoded too, unless every '%' does.
    keep_percent = escapes == raw.count(b"%")
    encoded = bytearray()
    for byte in raw:
        if (keep_percent and byte == 0x25) or (byte < 128 and chr(byte) in _PATH_CHARS):
            encoded.append(byte)
        else:
            encoded += b"%%%02X" % byte
    return encoded.decode()


# Sending may fail because the server already answered and closed (a 413, say):
# the answer is read all the same (as urllib3 did).
_SEND_FAILURES_TO_READ_PAST = frozenset({errno.EPIPE, errno.EPROTOTYPE, errno.ECONNRESET})


class SyncTransport:
    """Sends one HTTP request to ``base_url`` and reads the whole answer; thread-safe.

    At most ``max_connections`` requests are in flight at once, as in the async
    client: further threads wait for a free connection (within their timeout).

    The connections are http.client's, kept here: one host, no retries, no
    redirects, the body always read whole. TLS verifies the certificate and
    the host name against the system's CAs (``SSL_CERT_FILE`` names others).
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
        self._prefix = _path_prefix(base_url)
        # One token per connection allowed in flight; idle connections, last in first out.
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(max_connections):
            self._slots.put(None)
        self._idle: collections.deque[WatchedConnection] = collections.deque()
        # A client dropped without close() closes its connections when collected
        # (as urllib3's pools did), without a ResourceWarning.
        weakref.finalize(self, _close_all, self._idle)
        self._closed = False

    def _new_connection(self) -> WatchedConnection:
        http = _load_http()
        parts = urlsplit(self._base_url)
        host = parts.hostname or ""
        if parts.scheme == "https":
            conn: WatchedConnection = http.WatchedTLSConnection(
                host, parts.port or 443, timeout=self._connect_timeout, context=http.tls_context()
            )
            return conn
        conn = http.WatchedConnection(host, parts.port or 80, timeout=self._connect_timeout)
        return conn

    def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None,
        timeout: float | None,
    ) -> RawResponse:
        """``body``, when given, is JSON. ``timeout`` bounds the whole request,
        the wait for a free connection included.

        Failures raise :class:`TransportError` with no chained cause: the
        frames of http.client's exception hold the request headers (the token).
        """
        if self._closed:
            raise ClientClosedError("the client is closed")
        # One deadline for the whole request, the wait for a free connection included.
        deadline = None if timeout is None else time.monotonic() + timeout
        slots = self._slots
        try:
            slots.get(True, timeout)
        except queue.Empty:
            # Raised below, out of the except clause: nothing chained.
            waited: Exception = (
                ClientClosedError("the client is closed")
                if self._closed
                else self._no_free_connection(timeout)
            )
        else:
            return self._send(slots, method, target, body, timeout, deadline)
        raise waited

    def _send(
        self,
        slots: queue.SimpleQueue[None],
        method: str,
        target: str,
        body: bytes | None,
        timeout: float | None,
        deadline: float | None,
    ) -> RawResponse:
        # A slot is held: it goes back in the finally clause, whatever happens.
        conn: WatchedConnection | None = None
        ticket: int | None = None
        reusable = False
        connecting = False
        failure: Exception
        try:
            idle = self._idle
            try:
                conn = idle.pop()
            except IndexError:
                conn = self._new_connection()
            else:
                sock = conn.sock
                # Closed by the server while idle: connect again.
                if sock is not None and _http.dropped_while_idle(sock):
                    conn.close()
            read_timeout = None
            if deadline is not None:
                read_timeout = deadline - time.monotonic()
                if read_timeout <= 0:
                    raise self._no_free_connection(timeout)
                ticket = _DEADLINES.watch(deadline, conn)
            sock = conn.sock
            if sock is None:
                # Nothing is sent until connect() returns: its failures say so.
                connecting = True
                conn.timeout = (
                    self._connect_timeout
                    if read_timeout is None
                    else min(self._connect_timeout, read_timeout)
                )
                conn.connect()
                connecting = False
                sock = conn.sock
                assert sock is not None
            sock.settimeout(read_timeout)
            try:
                conn.request(
                    method,
                    self._prefix + target,
                    body=body,
                    headers=self._headers if body is None else self._json_headers,
                )
            except OSError as exc:
                if exc.errno not in _SEND_FAILURES_TO_READ_PAST:
                    raise
            answer = conn.getresponse()
            data = answer.read()
            if ticket is not None:
                shut = not _DEADLINES.unwatch(ticket)
                ticket = None
                if shut:
                    # The watcher shut the socket: a body read to the end of
                    # the connection (no Content-Length) ended there, cut short.
                    raise TimeoutError("the deadline watcher shut the connection")
            # An email.message.Message: a case-insensitive mapping in all but name.
            headers: Any = answer.msg
            encoding = headers.get("Content-Encoding")
            if encoding is not None:
                data = _http.decoded(data, encoding)
            reusable = True
            return RawResponse(answer.status, headers, data)
        except (OSError, HTTPException) as exc:
            failure = self._failure(exc, connecting, timeout, deadline)
        except UnicodeError as exc:
            if not connecting:
                raise  # a header value http.client cannot encode: the caller's mistake
            # The host name cannot be looked up at all (a label over 63 characters).
            failure = TransportError(
                f"cannot connect to {self._where}: cannot resolve the host (not a valid name)",
                sent=False,
                cause=describe_cause(exc),
            )
        finally:
            if ticket is not None:
                _DEADLINES.unwatch(ticket)
            if conn is not None:
                self._put_back(conn, reusable)
            slots.put(None)
        # Raised here, out of the except clause, so that nothing is chained to it.
        raise failure

    def _no_free_connection(self, timeout: float | None) -> TransportTimeout:
        return TransportTimeout(
            f"no free connection within {timeout:g} s (max_connections={self._max_connections})",
            sent=False,
        )

    def _failure(
        self, exc: Exception, connecting: bool, timeout: float | None, deadline: float | None
    ) -> Exception:
        """The error a request that failed with ``exc`` raises."""
        if connecting and isinstance(exc, TimeoutError):
            return TransportError(
                f"cannot connect within {self._connect_timeout:g} s to {self._where}",
                sent=False,
                cause=describe_cause(exc),
            )
        if connecting and isinstance(exc, OSError):
            return TransportError(
                f"cannot connect to {self._where}: {connect_failure(exc)}",
                sent=False,
                cause=describe_cause(exc),
            )
        if self._closed:
            return ClientClosedError("the client was closed during the request")
        if isinstance(exc, TimeoutError) or (deadline is not None and time.monotonic() >= deadline):
            return TransportTimeout(
                f"no answer within {timeout:g} s from {self._where}",
                sent=True,
                cause=describe_cause(exc),
            )
        return TransportError(
            f"connection to {self._where} failed: {dropped_reason(exc)}",
            sent=True,
            cause=describe_cause(exc),
        )

    def _put_back(self, conn: WatchedConnection, reusable: bool) -> None:
        if reusable and not self._closed:
            self._idle.append(conn)
            if self._closed:  # close() ran meanwhile and may have missed it
                self._close_idle()
        else:
            with contextlib.suppress(Exception):
                conn.close()

    def _close_idle(self) -> None:
        _close_all(self._idle)

    def reopen(self) -> None:
        """Allow requests again after :meth:`close`."""
        self._closed = False

    def close(self) -> None:
        """Close the connections; later requests raise ``ClientClosedError``.

        A request in flight ends normally; its connection is closed then.
        """
        self._closed = True
        self._close_idle()


def _close_all(idle: collections.deque[WatchedConnection]) -> None:
    while True:
        try:
            conn = idle.pop()
        except IndexError:
            return
        with contextlib.suppress(Exception):
            conn.close()


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
        finish: Callable[[Any], T],
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
        return self._finish(fetched)

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
