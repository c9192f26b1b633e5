from __future__ import annotations

from collections.abc import Mapping

from attrs import define


@define(slots=True, weakref_slot=False)
class RawResponse:
    """What a transport hands back: status, headers (case-insensitive mapping) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class TransportError(Exception):
    """The request got no HTTP answer. ``sent`` is False only when it surely never left."""

    def __init__(self, message: str, *, sent: bool) -> None:
        self.sent = sent
        super().__init__(message)


class TransportTimeout(TransportError):
    """No answer within the timeout."""
