# Generated from infomaniak/_async/_ratelimit.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Client-side pacing so that well-behaved code never meets a 429."""

from __future__ import annotations

import logging
import time
from collections import deque

from .._deadline import DeadlineExceeded
from .._transport._sync import SyncLock, SyncSignal
from .._types import RateLimit
from ..errors import ClientClosedError

logger = logging.getLogger("infomaniak")

# A hold shorter than this is pacing nobody notices; a longer one is said once.
_NOTICEABLE_HOLD = 1.0


class RateLimiter:
    """At most ``limit.requests`` requests in any ``limit.per`` seconds, as the API counts.

    The API counts a request when it arrives, which can be later than when it
    was let through (a slow connect, a busy loop or machine). So a request
    holds a place from when it is let through until ``per`` seconds after its
    answer arrived: whatever the delays, no window the API sees holds more
    than it allows. A request that surely never left gives its place back at
    once. Bursts up to the limit go at once.

    Callers that find no place queue in arrival order. Nobody sleeps holding
    the lock: a caller sleeps on its own signal until a place frees, the one
    ahead of it gets through, its deadline passes or the client is closed.

    One limiter is shared by every task (or thread) using a client and its
    ``with_options`` views. Every :meth:`acquire` that returns is followed by
    one :meth:`release`.
    """

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        # When the answers of finished requests arrived, oldest first.
        self._ends: deque[float] = deque()
        # Requests let through whose answer has not arrived yet.
        self._running = 0
        # Callers waiting for a place, first come first.
        self._queue: deque[SyncSignal] = deque()
        self._lock = SyncLock()
        self._closed = False

    def _free(self, now: float) -> int:
        ends = self._ends
        edge = now - self.limit.per
        while ends and ends[0] <= edge:
            ends.popleft()
        return self.limit.requests - self._running - len(ends)

    def _room_at(self, now: float, position: int, free: int) -> float | None:
        """When finished requests alone leave room for the caller ``position`` back in line.

        ``None``: they never do, a running request must end first.
        """
        needed = position + 1 - free
        if needed <= 0:
            return now
        if needed <= len(self._ends):
            return self._ends[needed - 1] + self.limit.per
        return None

    def acquire(self, deadline: float | None = None) -> None:
        """Wait for a place in the window.

        Raises:
            DeadlineExceeded: no place before ``deadline`` (monotonic): raised
                at once when the limiter already knows, else at the deadline.
            ClientClosedError: the client is (or gets) closed.
        """
        with self._lock:
            if self._closed:
                raise ClientClosedError("the client is closed")
            if not self._queue and self._free(time.monotonic()) > 0:
                self._running += 1
                return
            me = SyncSignal()
            self._queue.append(me)
        said = False
        try:
            while True:
                with self._lock:
                    me.clear()
                    if self._closed:
                        raise ClientClosedError(
                            "the client was closed while the request waited for the rate limit"
                        )
                    now = time.monotonic()
                    free = self._free(now)
                    position = self._queue.index(me)
                    if position == 0 and free > 0:
                        self._queue.popleft()
                        self._running += 1
                        if self._queue:
                            # The next caller is first now: it looks again (room
                            # may be left, or its time to go is known now).
                            self._queue[0].set()
                        return
                    room_at = self._room_at(now, position, free)
                    # Only the first in line with nothing running is sure to
                    # wait that long (a running request that turns out never
                    # sent gives its place back at once): it gives up now.
                    sure = position == 0 and self._running == 0
                    if deadline is not None and (
                        now >= deadline or (sure and room_at is not None and room_at >= deadline)
                    ):
                        raise DeadlineExceeded("the rate limiter has no room before the deadline")
                # Woken early by a release, the caller ahead getting through or
                # close(); else when the first in line has room, or at the deadline.
                wake = room_at if position == 0 else None
                if deadline is not None and (wake is None or deadline < wake):
                    wake = deadline
                if not said and room_at is not None and room_at - now > _NOTICEABLE_HOLD:
                    said = True
                    logger.info(
                        "rate limit: holding a request %.1f s (client limit: %d requests per %g s)",
                        room_at - now,
                        self.limit.requests,
                        self.limit.per,
                    )
                me.wait(None if wake is None else wake - now)
        finally:
            self._leave(me)

    def _leave(self, me: SyncSignal) -> None:
        with self._lock:
            queue = self._queue
            if queue and queue[0] is me:
                queue.popleft()
                if queue:
                    # The next caller is first now: it may have room.
                    queue[0].set()
            elif me in queue:
                queue.remove(me)

    def release(self, *, counted: bool = True) -> None:
        """Give back the place of a request whose answer arrived (or that failed).

        ``counted``: the request may have reached the API, so its place frees
        ``limit.per`` seconds from now; otherwise at once.
        """
        with self._lock:
            self._running -= 1
            if counted:
                self._ends.append(time.monotonic())
            if self._queue:
                self._queue[0].set()

    def close(self) -> None:
        """End every wait at once with ``ClientClosedError``; later calls raise it too."""
        with self._lock:
            self._closed = True
            for waiter in self._queue:
                waiter.set()

    def reopen(self) -> None:
        """Let requests through again after :meth:`close`."""
        self._closed = False
