"""The deadline of the wait() running in this task or thread.

Apart from ``_lifecycle`` (whose attrs classes cost about 2 ms to create)
because every request reads it, ``wait()`` or not.
"""

from __future__ import annotations

import contextvars

__all__ = ["WAIT_DEADLINE", "DeadlineExceeded"]

# The deadline (time.monotonic()) of the wait() running in this task or thread:
# the request pipeline cuts every timeout, retry and pause to what is left of it.
WAIT_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "infomaniak_wait_deadline", default=None
)


class DeadlineExceeded(Exception):
    """Internal: the wait()'s deadline leaves no time for this request or retry."""
