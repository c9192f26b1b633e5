"""The request pipeline: rate limit, auth, retries, envelope, errors.

Resource methods call ``request()`` (or the typed helpers of
``resources/_base.py``); only this module talks to the transport.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from attrs import define, evolve

from .. import _defaults
from .._deadline import WAIT_DEADLINE, DeadlineExceeded
from .._request import (
    IDEMPOTENT_METHODS,
    RETRYABLE_SERVER_STATUSES,
    api_error,
    backoff_delay,
    check_path,
    decode_json,
    encode_body,
    encode_query,
    parse_retry_after,
)
from .._transport._async import AsyncTransport, async_sleep
from .._transport._common import RawResponse, Secret, TransportError, TransportTimeout
from ..errors import APIConnectionError, APITimeoutError, ResponseDecodeError
from ._ratelimit import AsyncRateLimiter

logger = logging.getLogger("infomaniak")


@define(slots=True, kw_only=True, repr=False)
class AsyncPipeline:
    """Everything a request needs.

    ``with_options`` copies it and shares the transport and the rate limiter,
    so every view of a client is paced together.
    """

    base_url: str
    transport: AsyncTransport
    limiter: AsyncRateLimiter | None
    timeout: float | None = _defaults.TIMEOUT
    max_retries: int = _defaults.MAX_RETRIES
    backoff_initial: float = _defaults.BACKOFF_INITIAL
    backoff_max: float = _defaults.BACKOFF_MAX
    retry_after_max: float = _defaults.RETRY_AFTER_MAX
    per_page: int = _defaults.PER_PAGE
    prefetch_pages: int = _defaults.PREFETCH_PAGES
    wait_timeout: float = _defaults.WAIT_TIMEOUT
    poll_interval: float = _defaults.POLL_INTERVAL
    poll_interval_max: float = _defaults.POLL_INTERVAL_MAX

    def __repr__(self) -> str:
        return f"AsyncPipeline(base_url={self.base_url!r})"

    def copy_with(self, **changes: Any) -> AsyncPipeline:
        return evolve(self, **changes)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        text: bool = False,
        decode: bool = True,
    ) -> Any:
        """Send a request and return the decoded envelope (a dict).

        With ``text`` set, return the body as text (raw file downloads).
        With ``decode`` off, return a function of no argument that decodes
        the answer (raising as a decoded answer would): pages fetched ahead
        keep their compact bytes until the caller reaches them.
        A ``json`` body holding a password is given as a ``Secret``.

        Raises an ``APIError`` subclass for an error
        answer, ``APIConnectionError`` or
        ``APITimeoutError`` when no answer came.
        """
        check_path(path)
        target = path
        query: str | None = None
        if params:
            query = encode_query(params)
            if query:
                target = f"{path}?{query}"
        # A body with a password comes wrapped in a Secret (the callers' frames
        # show it as ***); a failed call's frames keep it only as bytes hidden in a _Sent.
        if json.__class__ is Secret:
            json = json.value
        body = None if json is None else encode_body(json)
        sent_body = None if body is None else _Sent(body)
        del json, body
        idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        started = time.monotonic()
        # Inside wait(), its deadline bounds this request, its retries and their pauses.
        deadline = WAIT_DEADLINE.get()
        limiter = self.limiter
        while True:
            if limiter is not None:
                await limiter.acquire(deadline)
            failure: TransportError | None = None
            # Whether the API may have counted the request (for the limiter).
            counted = False
            try:
                timeout = self.timeout
                if deadline is not None:
                    left = _time_left(deadline, method, path)
                    timeout = left if timeout is None else min(timeout, left)
                counted = True
                raw = await self.transport.request(
                    method,
                    target,
                    body=None if sent_body is None else sent_body.data,
                    timeout=timeout,
                )
            except TransportError as exc:
                # Kept without its traceback: the transport's frames hold the body.
                failure = exc.with_traceback(None)
                counted = exc.sent
            finally:
                if limiter is not None:
                    await limiter.release(counted=counted)
            # Errors are raised out of the except clause above: nothing is
            # chained to them (the HTTP library's frames hold the token).
            if failure is not None:
                # A request that surely never left can be sent again whatever
                # its method; one that may have reached the API only if idempotent.
                if (idempotent or not failure.sent) and attempt < self.max_retries:
                    delay = backoff_delay(
                        attempt, initial=self.backoff_initial, maximum=self.backoff_max
                    )
                    _check_room(deadline, delay, method, path)
                    _log_retry(method, path, str(failure), attempt + 1, delay)
                    await async_sleep(delay)
                    attempt += 1
                    continue
                _log_done(method, path, type(failure).__name__, started, attempt)
                error_class = (
                    APITimeoutError if isinstance(failure, TransportTimeout) else APIConnectionError
                )
                raise error_class(str(failure), method=method, path=path, cause=failure.cause)

            status = raw.status
            if 200 <= status < 300:
                _log_done(method, path, status, started, attempt)
                if text:
                    return raw.body.decode("utf-8", errors="replace")
                if not decode:
                    return partial(_read_envelope, raw, method, path, query)
                return _read_envelope(raw, method, path, query)

            retry_after = parse_retry_after(raw.headers.get("Retry-After"))
            if (
                status == 429 or (idempotent and status in RETRYABLE_SERVER_STATUSES)
            ) and attempt < self.max_retries:
                delay = (
                    retry_after
                    if retry_after is not None
                    else backoff_delay(
                        attempt, initial=self.backoff_initial, maximum=self.backoff_max
                    )
                )
                if delay <= self.retry_after_max:
                    _check_room(deadline, delay, method, path)
                    _log_retry(method, path, f"HTTP {status}", attempt + 1, delay)
                    await async_sleep(delay)
                    attempt += 1
                    continue
            _log_done(method, path, status, started, attempt)
            raise api_error(
                status, raw.body, method=method, path=path, retry_after=retry_after
            )._with_query(query)


def _read_envelope(raw: RawResponse, method: str, path: str, query: str | None) -> Any:
    """The envelope of a successful answer; an error one raises."""
    envelope = decode_json(
        raw.body,
        method=method,
        path=path,
        # Read only for a message: a header lookup costs ~1 us
        # (http.client's headers are an email.message.Message).
        headers=raw.headers,
    )
    if envelope.__class__ is not dict:
        raise ResponseDecodeError("answer is not an API envelope", method=method, path=path)
    if envelope.get("result") == "error":
        raise api_error(raw.status, raw.body, method=method, path=path)._with_query(query)
    return envelope


class _Sent:
    """A request body, shown as its size only."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"<request body, {len(self.data)} bytes>"


def _time_left(deadline: float, method: str, path: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(f"no time left for {method} {path}")
    return left


def _check_room(deadline: float | None, delay: float, method: str, path: str) -> None:
    """A retry whose pause alone passes the wait's deadline is not attempted."""
    if deadline is not None and time.monotonic() + delay >= deadline:
        raise DeadlineExceeded(f"{method} {path}: a retry in {delay:.2f} s would pass the deadline")


def _log_retry(method: str, path: str, reason: str, retry: int, delay: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s %s: %s, retry %d in %.2f s", method, path, reason, retry, delay)


def _log_done(method: str, path: str, outcome: object, started: float, retries: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        elapsed = (time.monotonic() - started) * 1000
        logger.debug("%s %s -> %s in %.1f ms (%d retries)", method, path, outcome, elapsed, retries)
