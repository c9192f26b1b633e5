"""Small public value types shared by both clients."""

from __future__ import annotations

import math
from typing import Any

from attrs import define, field

from ._defaults import MAX_SECONDS
from ._validate import shown_number

__all__ = ["RateLimit"]


def _positive(_: object, attribute: object, value: Any) -> None:
    name = getattr(attribute, "name", "")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"RateLimit {name} must be a number, got {type(value).__name__}")
    if value > MAX_SECONDS and (isinstance(value, int) or math.isfinite(value)):
        raise ValueError(
            f"RateLimit {name} must be at most {MAX_SECONDS:g} seconds, got {shown_number(value)}"
        )
    if value <= 0 or not math.isfinite(value):
        raise ValueError(f"RateLimit {name} must be finite and > 0, got {shown_number(value)}")


def _whole(_: object, attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"RateLimit requests must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"RateLimit requests must be >= 1, got {value!r}")


@define(frozen=True)
class RateLimit:
    """At most ``requests`` requests in any window of ``per`` seconds.

    ``Client(rate_limit=60)`` is ``RateLimit(60, per=60.0)``, the API's limit.

    Attributes:
        requests: How many requests may start in one window (> 0).
        per: The window's length in seconds (> 0; default 60).
    """

    requests: int = field(validator=_whole)
    per: float = field(default=60.0, validator=_positive)
