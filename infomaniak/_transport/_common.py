from __future__ import annotations

import errno
import socket
from collections.abc import Mapping

from attrs import define, field


@define(slots=True, weakref_slot=False)
class RawResponse:
    """What a transport hands back: status, headers (case-insensitive mapping) and body."""

    status: int
    headers: Mapping[str, str]
    # Not in the repr: an error reporter recording the locals of a traceback
    # would show an answer's password or kubeconfig.
    body: bytes = field(repr=False)


class TransportError(Exception):
    """The request got no HTTP answer. ``sent`` is False only when it surely never left."""

    def __init__(self, message: str, *, sent: bool) -> None:
        self.sent = sent
        super().__init__(message)


class TransportTimeout(TransportError):
    """No answer within the timeout."""


def connect_failure(error: BaseException | None) -> str:
    """The same words, in both clients, for why a connection could not be opened."""
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host ({error.strerror or error})"
    if isinstance(error, ConnectionRefusedError) or (
        isinstance(error, OSError) and error.errno == errno.ECONNREFUSED
    ):
        return "connection refused"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) if error is not None else "unknown error"
