"""Blocking I/O on urllib3 and threading. Never imports aiohttp or asyncio."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    TimeoutError,
)

from ._common import RawResponse, TransportError, TransportTimeout

__all__ = ["SyncLock", "SyncLookahead", "SyncTransport", "sync_sleep"]

T = TypeVar("T")

SyncLock = threading.Lock
sync_sleep = time.sleep


class SyncTransport:
    """Sends one HTTP request to ``base_url`` and reads the whole answer; thread-safe."""

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
        self._max_connections = max_connections
        self._pool = self._open()
        self._prefix = urllib3.util.parse_url(base_url).path or ""
        self._timeouts: dict[float | None, urllib3.Timeout] = {}

    def _open(self) -> urllib3.HTTPConnectionPool:
        # One pool for the one host: no URL parsing or pool lookup per request.
        return urllib3.connection_from_url(
            self._base_url, maxsize=self._max_connections, block=False, retries=False
        )

    def _timeout(self, total: float | None) -> urllib3.Timeout:
        timeout = self._timeouts.get(total)
        if timeout is None:
            timeout = urllib3.Timeout(total=total, connect=self._connect_timeout)
            self._timeouts[total] = timeout
        return timeout

    def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None,
        timeout: float | None,
    ) -> RawResponse:
        """``body``, when given, is JSON."""
        try:
            response = self._pool.urlopen(
                method,
                self._prefix + target,
                body=body,
                headers=self._headers if body is None else self._json_headers,
                timeout=self._timeout(timeout),
                retries=False,
                redirect=False,
                preload_content=True,
                assert_same_host=False,
            )
        except ConnectTimeoutError as exc:
            raise TransportError(
                f"cannot connect within {self._connect_timeout} s", sent=False
            ) from exc
        except NewConnectionError as exc:
            raise TransportError(f"cannot connect: {exc}", sent=False) from exc
        except TimeoutError as exc:
            raise TransportTimeout(f"no answer within {timeout} s", sent=True) from exc
        except HTTPError as exc:
            raise TransportError(
                f"connection failed: {type(exc).__name__}: {exc}", sent=True
            ) from exc
        return RawResponse(response.status, response.headers, response.data)

    def close(self) -> None:
        # Like the async transport, a later request opens new connections.
        pool, self._pool = self._pool, self._open()
        pool.close()


class SyncLookahead(Generic[T]):
    """Fetches items ``start .. stop`` in order, each only when asked for:
    the blocking client stays strictly lazy (``depth`` is ignored)."""

    def __init__(self, fetch: Callable[[int], T], *, start: int, stop: int, depth: int) -> None:
        self._fetch = fetch
        self._next = start
        self._stop = stop

    def prime(self) -> None:
        """Nothing to do: a page is fetched only when asked for."""

    def next(self) -> T:
        number = self._next
        self._next += 1
        return self._fetch(number)

    def cancel(self) -> None:
        self._next = self._stop + 1
