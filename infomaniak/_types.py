"""Small public value types shared by both clients."""

from __future__ import annotations

from typing import Any

from attrs import define, field

__all__ = ["RateLimit"]


def _positive(_: object, attribute: object, value: Any) -> None:
    if value <= 0:
        raise ValueError(f"RateLimit {getattr(attribute, 'name', '')} must be > 0, got {value!r}")


@define(frozen=True)
class RateLimit:
    """At most ``requests`` requests in any window of ``per`` seconds.

    ``Client(rate_limit=60)`` is ``RateLimit(60, per=60.0)``, the API's limit.

    Attributes:
        requests: How many requests may start in one window (> 0).
        per: The window's length in seconds (> 0; default 60).
    """

    requests: int = field(validator=_positive)
    per: float = field(default=60.0, validator=_positive)
