from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Mapping
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from attrs import define, field

V = TypeVar("V")

# How many whole-request timeouts a transport keeps built (the client's own and
# a few per-call ones). wait() cuts each poll's timeout to what is left of its
# deadline, a new value every time: an unbounded cache would grow forever.
TIMEOUT_CACHE_SIZE = 8

# The text of the underlying error kept on a connection error, at most this long.
_CAUSE_MAX = 300


@define(slots=True, weakref_slot=False)
class RawResponse:
    """What a transport hands back: status, headers (case-insensitive mapping) and body.

    The body stays out of the repr: an answer can carry a password or a
    kubeconfig, and a frame holding this object may be shown with its locals.
    """

    status: int
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)


class Secret(Generic[V]):
    """A credential that shows as ``***`` in a repr.

    Error reporters (Sentry, ``traceback`` with ``capture_locals``) show each
    frame's locals by their repr: a token, a password or a request body that
    holds one, kept in one of these, never appears.
    """

    __slots__ = ("value",)

    def __init__(self, value: V) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "Secret('***')"


class TransportError(Exception):
    """The request got no HTTP answer. ``sent`` is False only when it surely never left.

    ``cause`` is the underlying error as short text. The error itself is not
    chained: the HTTP library's frames hold the request headers (the token)
    in their locals, and error reporters record those.
    """

    def __init__(self, message: str, *, sent: bool, cause: str | None = None) -> None:
        self.sent = sent
        self.cause = cause
        super().__init__(message)


class TransportTimeout(TransportError):
    """No answer within the timeout."""


def describe_cause(error: BaseException | None) -> str | None:
    """The underlying error as one short line (its class and text; never the request)."""
    if error is None:
        return None
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= _CAUSE_MAX else text[: _CAUSE_MAX - 1] + "…"


def host_port(base_url: str) -> str:
    """``host:port`` of a base URL, as a message names the place it tried."""
    parts = urlsplit(base_url)
    host = parts.hostname or "?"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def connect_failure(error: BaseException | None) -> str:
    """The same words, in both clients, for why a connection could not be opened."""
    # ssl is loaded whenever one of its errors exists: not imported here (start-up).
    ssl = sys.modules.get("ssl")
    if ssl is not None and isinstance(error, ssl.SSLCertVerificationError):
        return f"the server's certificate could not be verified ({error.verify_message})"
    if ssl is not None and isinstance(error, ssl.SSLError):
        return f"the TLS handshake failed ({error.reason or error})"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host ({error.strerror or error})"
    if isinstance(error, ConnectionRefusedError) or (
        isinstance(error, OSError) and error.errno == errno.ECONNREFUSED
    ):
        return "connection refused"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) if error is not None else "unknown error"


def dropped_reason(error: BaseException) -> str:
    """Why an opened connection gave no answer, in a few words."""
    seen: set[int] = set()
    current: BaseException | None = error
    # aiohttp wraps the OS error: look for it.
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        # http.client's RemoteDisconnected is a ConnectionResetError: named first.
        if type(current).__name__ in {"RemoteDisconnected", "ServerDisconnectedError"}:
            return "the server closed the connection without an answer"
        if isinstance(current, (ConnectionResetError, BrokenPipeError)):
            return "the server reset the connection"
        if type(current).__name__ in {"IncompleteRead", "ClientPayloadError"}:
            return "the answer was cut short"
        if type(current).__name__ == "UndecodableAnswer":
            return str(current)
        if isinstance(current, OSError) and current.strerror:
            return current.strerror[0].lower() + current.strerror[1:]
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        current = nested[0] if nested else (current.__cause__ or current.__context__)
    return f"{type(error).__name__}: {error}"
