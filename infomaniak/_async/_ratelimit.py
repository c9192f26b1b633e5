"""Client-side pacing so that well-behaved code never meets a 429."""

from __future__ import annotations

import logging
import time
from collections import deque

from .._lifecycle import DeadlineExceeded
from .._transport._async import AsyncLock, async_sleep
from .._types import RateLimit

logger = logging.getLogger("infomaniak")

# A hold shorter than this is pacing nobody notices; a longer one is said once.
_NOTICEABLE_HOLD = 1.0


class AsyncRateLimiter:
    """At most ``limit.requests`` request starts in any window of ``limit.per`` seconds.

    A sliding log of start times. Bursts up to the limit go at once;
    after that each request waits for the oldest start to leave the window, so
    no window of the API's length ever holds more than it allows.

    One limiter is shared by every task (or thread) using a client.
    """

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._starts: deque[float] = deque()
        self._lock = AsyncLock()

    async def acquire(self, deadline: float | None = None) -> None:
        """Wait for room in the window; past ``deadline`` (monotonic), raise instead."""
        # Waiting while holding the lock queues callers in arrival order.
        async with self._lock:
            starts = self._starts
            capacity = self.limit.requests
            period = self.limit.per
            said = False
            while True:
                now = time.monotonic()
                while starts and starts[0] <= now - period:
                    starts.popleft()
                if len(starts) < capacity:
                    break
                hold = starts[0] + period - now
                if deadline is not None and now + hold >= deadline:
                    raise DeadlineExceeded("the rate limiter would hold past the deadline")
                if hold > _NOTICEABLE_HOLD and not said:
                    said = True
                    logger.info(
                        "rate limit: holding a request %.1f s (client limit: %d requests per %g s)",
                        hold,
                        capacity,
                        period,
                    )
                await async_sleep(hold)
            starts.append(now)
