# Generated from infomaniak/_async/_client.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""``Client``: the entry point of the SDK."""

from __future__ import annotations

import os
import platform
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .. import _defaults
from .._transport._sync import SyncTransport
from .._transport._common import Secret
from .._types import RateLimit
from .._validate import (
    check_base_url,
    check_header_value,
    check_non_negative_int,
    check_positive_int,
    check_seconds,
    check_timeout,
    check_token,
)
from .._version import __version__
from ..errors import ConfigurationError
from ._pipeline import Pipeline
from ._ratelimit import RateLimiter

if TYPE_CHECKING:
    from .resources.cloud import CloudResource
    from .resources.tasks import TaskResource


class _NotGiven:
    """The default of an argument that was not given (its repr reads ``NOT_GIVEN``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


# ``with_options(timeout=None)`` means "no limit": "not given" needs its own value.
NOT_GIVEN: Any = _NotGiven()


def _user_agent() -> str:
    return f"infomaniak-python/{__version__} (Python {platform.python_version()})"


def _authorization(token: str | None) -> Secret[str] | Exception:
    """The ``Authorization`` header's value, or the error to raise (never holding the token)."""
    token = token if token is not None else os.environ.get(_defaults.TOKEN_ENV)
    if not token:
        return ConfigurationError(
            f"no API token: pass token=... or set {_defaults.TOKEN_ENV} "
            "(create one in the Infomaniak Manager, under API tokens)"
        )
    try:
        return Secret(f"Bearer {check_token(token)}")
    except (TypeError, ConfigurationError) as exc:
        # Without the frame of the check, which holds the token.
        return exc.with_traceback(None)


def _headers(authorization: Secret[str], user_agent: str | None) -> dict[str, str]:
    return {
        "Authorization": authorization.value,
        "Accept": "application/json",
        "User-Agent": check_header_value("user_agent", user_agent or _user_agent()),
    }


def _rate_limiter(rate_limit: int | RateLimit | None) -> RateLimiter | None:
    if rate_limit is None:
        return None
    if isinstance(rate_limit, RateLimit):
        return RateLimiter(rate_limit)
    return RateLimiter(RateLimit(check_positive_int("rate_limit", rate_limit), per=60.0))


class Client:
    """Client of the Infomaniak API.

    Use it as ``with Client() as client:`` or call ``close()``.
    A closed client sends nothing: any later call raises
    ``ClientClosedError``, until it is entered again as a context manager
    (so that an async client can serve several ``asyncio.run`` calls). For
    one call with other settings use ``with_options()``. Every default lives
    in ``infomaniak/_defaults.py``.

    Args:
        token: The API token (default: ``$INFOMANIAK_API_TOKEN``).
        base_url: The API's address (default: ``$INFOMANIAK_BASE_URL``, else
            ``https://api.infomaniak.com``).
        timeout: Seconds per request (``None``: no limit). Default 30.
        connect_timeout: Seconds to establish a connection. Default 10.
        max_retries: Retries of 429 answers, and for idempotent methods of
            502/503/504, timeouts and dropped connections, with exponential
            backoff and full jitter (0 disables). Default 2.
        rate_limit: Client-side pacing: requests per minute, or a
            ``RateLimit``; ``None`` switches it off. Default 60.
        per_page: Items per page when listing. Default 100.
        prefetch_pages: Most pages fetched ahead while iterating a list
            (the async client only; the blocking one is strictly lazy;
            0: none). The window starts at one page and grows by one with
            each page the iteration takes, up to this: a loop that stops
            early leaves at most as many pages fetched and unread as it
            read (and never more than this), one that keeps going has this
            many in flight within a few round trips. Default 8.
        wait_timeout: Default seconds for ``Operation.wait()``. Default 600.
        poll_interval: First pause between polls in ``wait()``. Default 1.
        poll_interval_max: Longest pause between polls. Default 10.
        backoff_initial: First retry pause before jitter, in seconds. Default 0.5.
        backoff_max: Longest retry pause, in seconds. Default 8.
        max_connections: Connections kept open to the API. Default 100.
        user_agent: The ``User-Agent`` header (default: ``infomaniak-python/<version>``).

    Raises:
        infomaniak.errors.ConfigurationError: no token, or a base URL that is
            not http(s).
        TypeError: an argument has the wrong type.
        ValueError: a number is out of range (e.g. a negative timeout, or a
            duration above a year).
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | None = _defaults.TIMEOUT,
        connect_timeout: float = _defaults.CONNECT_TIMEOUT,
        max_retries: int = _defaults.MAX_RETRIES,
        rate_limit: int | RateLimit | None = _defaults.RATE_LIMIT_PER_MINUTE,
        per_page: int = _defaults.PER_PAGE,
        prefetch_pages: int = _defaults.PREFETCH_PAGES,
        wait_timeout: float = _defaults.WAIT_TIMEOUT,
        poll_interval: float = _defaults.POLL_INTERVAL,
        poll_interval_max: float = _defaults.POLL_INTERVAL_MAX,
        backoff_initial: float = _defaults.BACKOFF_INITIAL,
        backoff_max: float = _defaults.BACKOFF_MAX,
        max_connections: int = _defaults.MAX_CONNECTIONS,
        user_agent: str | None = None,
    ) -> None:
        # The token never stays in this frame as it is: an error raised below
        # (a bad timeout...) is shown by error reporters with its locals.
        authorization = _authorization(token)
        del token
        if isinstance(authorization, Exception):
            raise authorization
        base_url = check_base_url(
            base_url or os.environ.get(_defaults.BASE_URL_ENV) or _defaults.BASE_URL
        )
        self._pipeline = Pipeline(
            base_url=base_url,
            transport=SyncTransport(
                base_url,
                headers=_headers(authorization, user_agent),
                connect_timeout=check_seconds("connect_timeout", connect_timeout),
                max_connections=check_positive_int("max_connections", max_connections),
            ),
            limiter=_rate_limiter(rate_limit),
            timeout=check_timeout("timeout", timeout),
            max_retries=check_non_negative_int("max_retries", max_retries),
            backoff_initial=check_seconds("backoff_initial", backoff_initial),
            backoff_max=check_seconds("backoff_max", backoff_max),
            per_page=check_positive_int("per_page", per_page),
            prefetch_pages=check_non_negative_int("prefetch_pages", prefetch_pages),
            wait_timeout=check_seconds("wait_timeout", wait_timeout),
            poll_interval=check_seconds("poll_interval", poll_interval),
            poll_interval_max=check_seconds("poll_interval_max", poll_interval_max),
        )
        self._bind_resources()

    def _bind_resources(self) -> None:
        # Made on first use: importing the client does not import the
        # resources and their models (start-up, issue 21).
        self._cloud: CloudResource | None = None
        self._tasks: TaskResource | None = None

    @property
    def cloud(self) -> CloudResource:
        """The Cloud section of the API, where every product call starts.

        Public Clouds (``client.cloud.list / get / update``), their
        ``config`` and ``accesses``, ``projects`` and their ``users``,
        managed Kubernetes (``kubernetes``: clusters, ``pools``,
        ``apiserver``, ``ip_filters``) and managed databases (``database``:
        services, ``backups``, ``backup_schedules``, ``restores``,
        ``configuration``, ``ip_filters``).
        """
        if self._cloud is None:
            from .resources.cloud import CloudResource

            self._cloud = CloudResource(self._pipeline)
        return self._cloud

    @property
    def tasks(self) -> TaskResource:
        """The API's asynchronous tasks (``client.tasks.list()``, ``.get(task_uuid=...)``).

        Long operations return an operation whose ``wait()`` follows its task
        for you; this is for looking one up by its id.
        """
        if self._tasks is None:
            from .resources.tasks import TaskResource

            self._tasks = TaskResource(self._pipeline)
        return self._tasks

    @property
    def base_url(self) -> str:
        """The API's address this client talks to."""
        return self._pipeline.base_url

    def __repr__(self) -> str:
        # Never the token. A client whose construction failed has no pipeline
        # (error reporters show it among the locals of the failed __init__).
        pipeline = getattr(self, "_pipeline", None)
        base_url = None if pipeline is None else pipeline.base_url
        return f"{type(self).__name__}(base_url={base_url!r})"

    def with_options(
        self,
        *,
        timeout: float | None = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        per_page: int = NOT_GIVEN,
        wait_timeout: float = NOT_GIVEN,
        poll_interval: float = NOT_GIVEN,
    ) -> Client:
        """Return a view of this client with other settings for the calls made through it.

        For example ``client.with_options(timeout=5, max_retries=0).cloud.get(...)``.
        The view shares the connection pool and the rate limiter; close the
        original, not the view. Settings not given stay as they are.

        Args:
            timeout: Seconds per request (``None``: no limit).
            max_retries: Retries (0 disables).
            per_page: Items per page when listing.
            wait_timeout: Default seconds for ``wait()``.
            poll_interval: First pause between polls in ``wait()``.

        Returns:
            A client of the same kind sharing this one's connections.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: a number is out of range (a duration: > 0, at most a year).
        """
        changes: dict[str, Any] = {}
        if timeout is not NOT_GIVEN:
            changes["timeout"] = check_timeout("timeout", timeout)
        if max_retries is not NOT_GIVEN:
            changes["max_retries"] = check_non_negative_int("max_retries", max_retries)
        if per_page is not NOT_GIVEN:
            changes["per_page"] = check_positive_int("per_page", per_page)
        if wait_timeout is not NOT_GIVEN:
            changes["wait_timeout"] = check_seconds("wait_timeout", wait_timeout)
        if poll_interval is not NOT_GIVEN:
            changes["poll_interval"] = check_seconds("poll_interval", poll_interval)
        view = object.__new__(type(self))
        view._pipeline = self._pipeline.copy_with(**changes)
        view._bind_resources()
        return view

    def close(self) -> None:
        """Close the connections and end what is pending.

        The pages being fetched ahead are cancelled; calls held by the rate
        limiter end at once with ``ClientClosedError``. Calling it again does
        nothing. Afterwards (and from its :meth:`with_options` views) every call raises
        :class:`~infomaniak.errors.ClientClosedError` before sending anything,
        until the client is entered again with ``with``.
        """
        limiter = self._pipeline.limiter
        if limiter is not None:
            # Calls held by the rate limiter end now, not when a place frees.
            limiter.close()
        self._pipeline.transport.close()

    def __enter__(self) -> Client:
        # Entering is the one way back from close(): explicit, never by accident.
        self._pipeline.transport.reopen()
        if self._pipeline.limiter is not None:
            self._pipeline.limiter.reopen()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
