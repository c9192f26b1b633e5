"""Exceptions raised by the SDK, all under ``InfomaniakError``.

``APIError`` and its subclasses mean the API answered with an error; the
``APIConnectionError`` family means no usable answer arrived. Messages name
the method, the path, the status and the API's own code and description, and
never contain the token or any password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigurationError",
    "InfomaniakError",
    "NotFoundError",
    "OperationFailedError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseDecodeError",
    "ServerError",
    "ValidationError",
    "WaitTimeoutError",
]


class InfomaniakError(Exception):
    """Root of every exception this SDK raises on purpose.

    Every one survives a pickle round trip with its attributes (process pools,
    task queues), whatever its ``__init__`` takes.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (type(self), self.args, self.__dict__.copy()))


def _rebuild_error(
    cls: type[InfomaniakError], args: tuple[Any, ...], state: dict[str, Any]
) -> InfomaniakError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


# An error's message shows at most this much of the API's text; the whole of it
# stays in the exception's attributes (``description``, ``errors``, ``body``).
_MESSAGE_TEXT_MAX = 500


def _shorten(text: str, limit: int = _MESSAGE_TEXT_MAX) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text)} characters)"


# A query longer than this is shortened in messages (the attribute keeps it whole).
_MESSAGE_QUERY_MAX = 300

# Query parameters whose value never appears in a message (the API's queries
# carry none today; a future one might). Compiled by `re` on first use, not
# when the SDK is imported.
_SECRET_NAME = r"token|passw|secret|auth|key|credential"


def _redact_query(query: str) -> str:
    parts = []
    for part in query.split("&"):
        name, equals, _ = part.partition("=")
        parts.append(
            f"{name}=***" if equals and re.search(_SECRET_NAME, name, re.IGNORECASE) else part
        )
    return "&".join(parts)


# What to do about the API's codes whose description says only what failed
# (CATALOG §3.4: the description is the code in sentence case).
HINTS: dict[str, str] = {
    "not_authorized": (
        "check the API token (INFOMANIAK_API_TOKEN): it may be wrong, revoked,"
        " or not allowed on this account"
    ),
    "object_not_found": (
        "no such object for this token: check the ids in the path and the query"
        " (account_id, public_cloud_id, project...)"
    ),
    "cannot_create_worker_pool": (
        "the cluster must be Active before a pool can be created;"
        " wait for the cluster first (op.wait())"
    ),
    "cannot_update_worker_pool": (
        "a pool being created or deleted is likely refused changes; wait for it first"
    ),
    "cannot_create_worker_pool_not_enough_available_nodes": (
        "the project's quota has no room for that many instances;"
        " ask for fewer or for a smaller flavor"
    ),
    "cannot_update_worker_pool_not_enough_available_nodes": (
        "the project's quota has no room for that many instances; ask for fewer"
    ),
    "cannot_update_kaas": (
        "Kubernetes upgrades go one minor version up at a time, never down; a cluster"
        " that is not Active (still Creating or Updating) is likely refused changes"
    ),
    "kaas_pack_limit_reached": (
        "this pack allows a limited number of clusters per project (the pack's"
        " limit_per_project); delete one or choose another pack"
    ),
    "cannot_retrieve_connection_information": (
        "the database service is likely not ready yet; wait for it first (op.wait())"
    ),
    "backup_schedule_already_exists": (
        "change the existing schedule of this database service instead of adding one"
    ),
    "cannot_restore_no_backup_found": (
        "no successful backup to restore from (before the point in time asked, if any)"
    ),
    "cannot_restore_to_downgraded_dbaas": (
        "a restore into a new service needs a pack at least as large as the source's"
    ),
}


class ConfigurationError(InfomaniakError, ValueError):
    """The client cannot be built as asked (no token, bad base URL...)."""


class ClientClosedError(InfomaniakError, RuntimeError):
    """The client was closed: it sends nothing more. Build a new one."""


class APIError(InfomaniakError):
    """The API answered with an error (any non-2xx status or ``result: "error"``).

    The message shortens long texts; the attributes keep them whole.

    Attributes:
        status: HTTP status code.
        code: the API's machine code (``error.code``), e.g. ``"object_not_found"``.
        description: the API's human text (``error.description``).
        errors: the nested errors (``error.errors``), each a dict with ``code``,
            ``description`` and often ``context.attribute`` naming the field.
        context: the API's ``error.context``, if any.
        method: the method of the request that failed.
        path: the path of the request that failed (without the query string).
        query: the query string sent, if any (values of parameters named like
            a secret are masked in the message).
        hint: what usually helps with this ``code``, if the SDK knows.
        body_excerpt: the start of a body that was not JSON (an HTML error page).
        retry_after: the seconds a ``Retry-After`` header asked to wait, if any.
        body: the whole answer body, as received.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        path: str,
        code: str | None = None,
        description: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        context: Mapping[str, Any] | None = None,
        body_excerpt: str | None = None,
        retry_after: float | None = None,
        body: bytes | None = None,
        query: str | None = None,
    ) -> None:
        self.body = body
        self.status = status
        self.method = method
        self.path = path
        self.query = query or None
        self.code = code
        self.hint = HINTS.get(code) if code else None
        self.description = description
        self.errors: list[Mapping[str, Any]] = list(errors)
        self.context: Mapping[str, Any] = context or {}
        self.body_excerpt = body_excerpt
        self.retry_after = retry_after
        super().__init__(self._message())

    def _with_query(self, query: str | None) -> APIError:
        """Name the query sent in the message too (the pipeline knows it, not the decoder)."""
        self.query = query or None
        self.args = (self._message(),)
        return self

    def _message(self) -> str:
        target = self.path
        if self.query:
            target += "?" + _shorten(_redact_query(self.query), _MESSAGE_QUERY_MAX)
        head = f"{self.method} {target} -> HTTP {self.status}"
        if self.code:
            head += f" {self.code}"
        if self.description:
            head += f": {_shorten(self.description)}"
        details = [_describe_nested(e) for e in self.errors[:10]]
        if len(self.errors) > 10:
            details.append(f"and {len(self.errors) - 10} more")
        if details:
            head += " [" + _shorten("; ".join(details)) + "]"
        if self.body_excerpt is not None:
            head += f" (non-JSON body: {self.body_excerpt!r})"
        if self.hint:
            head += f" (hint: {self.hint})"
        return head


def _describe_nested(error: Mapping[str, Any]) -> str:
    context = error.get("context")
    attribute = context.get("attribute") if isinstance(context, Mapping) else None
    text = _shorten(str(error.get("description") or error.get("code") or "error"), 200)
    return f"{attribute}: {text}" if attribute else text


class AuthenticationError(APIError):
    """401: the token is missing, invalid or expired."""


class PermissionDeniedError(APIError):
    """403: the token is valid but may not do this."""


class NotFoundError(APIError):
    """404: the object does not exist or is not accessible with this token."""


class ValidationError(APIError):
    """422: the API rejected the input; ``fields`` says which fields and why."""

    @property
    def fields(self) -> dict[str, list[str]]:
        """Messages per field name, from ``errors[].context.attribute``."""
        by_field: dict[str, list[str]] = {}
        for error in self.errors:
            context = error.get("context")
            attribute = context.get("attribute") if isinstance(context, Mapping) else None
            message = str(error.get("description") or error.get("code") or "invalid")
            by_field.setdefault(str(attribute) if attribute else "", []).append(message)
        return by_field


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` is the wait the API asked for, if any."""


class ServerError(APIError):
    """5xx: the API failed."""


class ResponseDecodeError(InfomaniakError):
    """A successful answer did not have the shape the SDK expects.

    The message says what was wrong (where the JSON breaks, the body's length
    and content type, which field had which JSON type) and never quotes the
    answer: a successful answer can hold a password, a kubeconfig or a
    connection URI.

    Attributes:
        method: the method of the request.
        path: the path of the request.
        position: for a body that is not JSON, the character where reading stopped.
        length: for a body that is not JSON, its length in bytes.
        content_type: the ``Content-Type`` the answer declared, when known.
        body: the answer's bytes, when the body was not JSON. It may hold
            secrets: it is never in the message or the repr, and it is
            dropped when the exception is pickled.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        body: bytes | None = None,
        position: int | None = None,
        content_type: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.position = position
        self.length = None if body is None else len(body)
        self.content_type = content_type
        self.body = body
        super().__init__(f"{method} {path}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        state = self.__dict__.copy()
        state["body"] = None  # it may hold a secret: it never leaves the process
        return (_rebuild_error, (type(self), self.args, state))


class APIConnectionError(InfomaniakError):
    """No answer: the connection failed or was dropped.

    The message says which host and port were tried. The HTTP library's own
    exception is not chained (its frames hold the request headers, with the
    token, and error reporters record frame locals): its text is in ``cause``.

    Attributes:
        method: the method of the request.
        path: the path of the request.
        cause: the underlying error as short text (class and message), if any.
    """

    def __init__(self, message: str, *, method: str, path: str, cause: str | None = None) -> None:
        self.method = method
        self.path = path
        self.cause = cause
        super().__init__(f"{method} {path}: {message}")


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""


class OperationFailedError(InfomaniakError):
    """A long-running operation ended in failure (task ``failed`` or resource ``error``).

    Attributes:
        task_uuid: the task followed, if any.
        resource: what the operation concerns (``"project"``, ``"user"``...).
        resource_id: the id of the resource, when known.
        status: the status that meant failure (the task's or the resource's).
        code: the API's error code, when the task failed with one.
        description: the API's error description, or the resource's messages.
        messages: the resource's own failure messages, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        task_uuid: str | None = None,
        resource: str | None = None,
        resource_id: int | str | None = None,
        status: str | None = None,
        code: str | None = None,
        description: str | None = None,
        messages: Sequence[str] = (),
    ) -> None:
        self.task_uuid = task_uuid
        self.resource = resource
        self.resource_id = resource_id
        self.status = status
        self.code = code
        self.description = description
        self.messages: list[str] = [str(m) for m in messages]
        super().__init__(message)


class WaitTimeoutError(InfomaniakError, TimeoutError):
    """A long-running operation did not finish within the time given to ``wait()``.

    Attributes:
        task_uuid: the task followed, if any.
        resource: what the operation concerns.
        resource_id: the id of the resource, when known.
        last_status: the last status seen (``None`` if nothing was polled).
    """

    def __init__(
        self,
        message: str,
        *,
        task_uuid: str | None = None,
        resource: str | None = None,
        resource_id: int | str | None = None,
        last_status: str | None = None,
    ) -> None:
        self.task_uuid = task_uuid
        self.resource = resource
        self.resource_id = resource_id
        self.last_status = last_status
        super().__init__(message)


_STATUS_ERRORS: dict[int, type[APIError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The most specific ``APIError`` subclass for an HTTP status."""
    if status >= 500:
        return ServerError
    return _STATUS_ERRORS.get(status, APIError)
