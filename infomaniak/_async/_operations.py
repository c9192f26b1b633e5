"""Handles for long-running operations, and the one loop that waits for them.

Two mechanisms exist in the API (CATALOG §3.8). Projects and users answer 202
with ``result: "asynchronous"`` (or ``"delayed"``) and ``data`` holding a task
UUID to poll on ``/1/async/tasks/{uuid}`` (or, as the spec says, the new id).
Clusters, pools, databases, backups and restores answer at once and then
converge through their own ``status``. ``wait()`` serves
both: it follows the task when there is one, then polls the resource until
its ``Lifecycle`` says it is ready, failed or
gone, with growing intervals under one deadline that bounds everything inside
it (each poll's timeout, retries and their pauses).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar, cast

from .._deadline import WAIT_DEADLINE, DeadlineExceeded
from .._lifecycle import PROJECT_LIFECYCLE, Lifecycle, StatusChange, status_of
from .._request import decode_data
from .._transport._async import async_callback, async_sleep
from .._validate import check_seconds, check_uuid
from ..errors import (
    APIConnectionError,
    APIError,
    NotFoundError,
    OperationFailedError,
    WaitTimeoutError,
)
from ..models.cloud import AsyncTask, TaskStatus
from ._pipeline import AsyncPipeline
from ._polling import FETCH, SharedList, hub_for

T = TypeVar("T")

logger = logging.getLogger("infomaniak")

_GROWTH = 1.5
# A poll shared with other waits may come this share of a pause early.
_EARLY = 0.5
# Heartbeats: the first after this many poll intervals, then twice as far
# apart each time, never more than a minute apart.
_HEARTBEAT_FIRST = 10
_HEARTBEAT_MAX = 60.0

# Async tasks, newest first: the ones being waited for are on the first page.
_TASKS = "/1/async/tasks"
_TASK_LIST = {"order_by": "created_at", "order": "desc"}

OnStatus = Callable[[StatusChange], object]


class _ResourceFetch(Protocol):
    async def __call__(self, resource_id: Any, /) -> Any: ...


class AsyncOperation(Generic[T]):
    """What the API accepted for a long-running change.

    Call ``wait()`` to block until it is done, or don't: the change goes on
    either way.

    Attributes:
        resource: what the operation concerns (``"project"``, ``"kubernetes cluster"``...).
        result: the API's ``result`` (``"asynchronous"``, ``"delayed"``, ``"success"``).
        data: the API's ``data``, as it came.
        task_uuid: the task to follow, when the API gave one.
        resource_id: the id of the resource concerned, when known (an int,
            or a string for DBaaS backups and restores).
        task: the last state of the task, once ``wait()`` has followed it.
    """

    def __init__(
        self,
        pipeline: AsyncPipeline,
        envelope: Mapping[str, Any],
        *,
        resource: str,
        fetch: _ResourceFetch,
        resource_id: int | str | None = None,
        deletes: bool = False,
        lifecycle: Lifecycle = PROJECT_LIFECYCLE,
        shared: SharedList | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._fetch = fetch
        self._shared = shared
        self._deletes = deletes
        self._lifecycle = lifecycle
        self.resource = resource
        self.result: str = str(envelope.get("result"))
        self.data: Any = envelope.get("data")
        self.task_uuid: str | None = self.data if isinstance(self.data, str) else None
        self.resource_id: int | str | None = resource_id
        if resource_id is None and self.data.__class__ is int:
            self.resource_id = self.data
        self.task: AsyncTask | None = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(resource={self.resource!r}, result={self.result!r}, "
            f"task_uuid={self.task_uuid!r}, resource_id={self.resource_id!r})"
        )

    async def wait(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_status: OnStatus | None = None,
        heartbeats: bool = False,
        shared: bool = True,
    ) -> T:
        """Poll until the operation is done and return the final resource (``None`` for a deletion).

        Args:
            timeout: seconds for the whole wait (default: the client's
                ``wait_timeout``). It bounds everything inside: each poll's
                request timeout, its retries, the pauses between polls and
                the rate limiter's holds.
            poll_interval: the first pause between polls, in seconds; it grows
                up to the client's ``poll_interval_max``.
            on_status: called with a ``StatusChange`` each
                time the followed status changes (the task's, then the
                resource's). Each change is also logged at INFO on the
                ``infomaniak`` logger. With ``AsyncClient`` it may be an
                ``async def`` (it is awaited); the blocking ``Client``
                refuses one with ``TypeError`` before polling.
            heartbeats: also call ``on_status`` while the status stays the
                same, with ``heartbeat=True``, at the times the wait logs
                "still waiting" (the first after ten poll intervals, then
                twice as far apart each time, at most a minute apart).
            shared: let concurrent waits of this client on resources of the
                same kind and scope share one list request per interval
                (the default). ``False``: this wait GETs its own resource
                at each poll.

        Returns:
            The resource once ready, or ``None`` once a deletion is done.

        Raises:
            OperationFailedError: the task failed, or the resource reached a
                failure status (with the API's messages, if any).
            WaitTimeoutError: time ran out, whatever was in progress; its
                message gives the time really waited. One raised by
                ``on_status`` itself passes through unchanged.
            TypeError: ``on_status`` is not callable (or, with ``Client``,
                is an ``async def``).
        """
        pipeline = self._pipeline
        timeout = pipeline.wait_timeout if timeout is None else check_seconds("timeout", timeout)
        interval = (
            pipeline.poll_interval
            if poll_interval is None
            else check_seconds("poll_interval", poll_interval)
        )
        notify = None if on_status is None else async_callback("on_status", on_status)
        if not isinstance(heartbeats, bool):
            raise TypeError("heartbeats must be a bool")
        if not isinstance(shared, bool):
            raise TypeError("shared must be a bool")
        started = time.monotonic()
        # Heartbeats come with polls, which may come up to poll_interval_max
        # late: spacing them that much under a minute keeps them within one.
        most = max(_HEARTBEAT_MAX - pipeline.poll_interval_max, interval)
        watch = _Watch(started, notify, heartbeats, interval * _HEARTBEAT_FIRST, most)
        poller = _Poller(interval, pipeline.poll_interval_max, started + timeout)
        poller.shared = shared
        token = WAIT_DEADLINE.set(started + timeout)
        try:
            if self.task_uuid is not None:
                await self._wait_for_task(poller, watch)
            if self.resource_id is None:
                if self._deletes:
                    return cast(T, None)
                raise OperationFailedError(
                    f"the API did not say which {self.resource} this operation concerns",
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                )
            return cast(T, await self._wait_for_resource(poller, watch, self.resource_id))
        except (DeadlineExceeded, APIError, APIConnectionError) as exc:
            if watch.in_callback:
                raise  # the caller's own error, from its on_status
            if isinstance(exc, DeadlineExceeded) or time.monotonic() >= poller.deadline:
                raise self._timed_out(watch, started, timeout, exc) from exc
            raise
        finally:
            WAIT_DEADLINE.reset(token)

    def _timed_out(
        self, watch: _Watch, started: float, timeout: float, cause: Exception
    ) -> WaitTimeoutError:
        following_task = self.task_uuid is not None and watch.resource == "task"
        status = watch.status
        what = (
            f"task {self.task_uuid} of this {self.resource} operation"
            if following_task
            else f"{self.resource} {self.resource_id}"
        )
        state = f"still {status!r}" if status is not None else "not yet polled"
        waited = time.monotonic() - started
        if isinstance(cause, DeadlineExceeded):
            reason = "" if cause.args == _OUT_OF_TIME.args else f": {cause}"
        else:
            reason = f" (last: {cause})"
        return WaitTimeoutError(
            f"{what} {state} when the wait gave up after {waited:.1f} s "
            f"(timeout {timeout:g} s){reason}",
            task_uuid=self.task_uuid,
            resource=self.resource,
            resource_id=self.resource_id,
            last_status=status,
        )

    async def _look(
        self,
        poller: _Poller,
        spec: SharedList | None,
        resource_id: int | str,
        fetch: _ResourceFetch,
    ) -> Any:
        """The resource as seen at the next poll: in a shared list, or by its own GET."""
        if spec is not None and poller.shared:
            seen, _ = await hub_for(self._pipeline).look(
                self._pipeline,
                spec,
                resource_id,
                due=poller.due,
                window=poller.window,
                deadline=poller.deadline,
            )
            if seen is not FETCH:
                path, item = seen
                return decode_data({"data": item}, spec.model, method="GET", path=path)
        else:
            await poller.sleep()
        return await fetch(resource_id)

    async def _wait_for_task(self, poller: _Poller, watch: _Watch) -> None:
        try:
            uuid = check_uuid("task_uuid", self.task_uuid)
            path = f"{_TASKS}/{uuid}"
        except ValueError:
            raise OperationFailedError(
                f"the API gave this {self.resource} operation a task id that is not a UUID",
                resource=self.resource,
                resource_id=self.resource_id,
            ) from None
        pipeline = self._pipeline

        async def fetch(_: int | str) -> AsyncTask:
            envelope = await pipeline.request("GET", path)
            return decode_data(envelope, AsyncTask, method="GET", path=path)

        spec = SharedList(
            key=("task",), path=_TASKS, id_field="uuid", model=AsyncTask, params=_TASK_LIST
        )
        while True:
            task = await self._look(poller, spec, uuid, fetch)
            poller.looked()
            self.task = task
            await watch.saw("task", task.uuid, str(task.status))
            if task.status == TaskStatus.EXECUTED:
                response = self._task_response(task)
                if response.get("result") == "error":
                    self._task_failed(task, response.get("error"))
                new_id = response.get("data")
                if self.resource_id is None and new_id.__class__ is int:
                    self.resource_id = new_id
                return
            if task.status == TaskStatus.FAILED:
                error = task.error
                if error is None and isinstance(task.response, Mapping):
                    error = task.response.get("error")
                self._task_failed(task, error)
            poller.schedule()

    def _task_response(self, task: AsyncTask) -> Mapping[str, Any]:
        response: Any = task.response
        if response is None:
            return {}
        if not isinstance(response, Mapping):
            raise self._task_error(
                task,
                f"answered a {type(response).__name__} where an envelope was expected",
            )
        return response

    def _task_failed(self, task: AsyncTask, error: Any) -> None:
        if isinstance(error, Mapping):
            code, description = error.get("code"), error.get("description")
        else:
            code, description = None, error
        raise self._task_error(
            task,
            f"failed: {code or 'no error code'}: {description or 'no description'}",
            code=None if code is None else str(code),
            description=None if description is None else str(description),
        )

    def _task_error(
        self,
        task: AsyncTask,
        what: str,
        *,
        code: str | None = None,
        description: str | None = None,
    ) -> OperationFailedError:
        return OperationFailedError(
            f"task {task.uuid} of this {self.resource} operation {what}",
            task_uuid=task.uuid,
            resource=self.resource,
            resource_id=self.resource_id,
            status=str(task.status),
            code=code,
            description=description,
        )

    async def _wait_for_resource(
        self, poller: _Poller, watch: _Watch, resource_id: int | str
    ) -> Any:
        lifecycle = self._lifecycle
        while True:
            try:
                current = await self._look(poller, self._shared, resource_id, self._fetch)
            except NotFoundError:
                if self._deletes:
                    await watch.saw(self.resource, resource_id, "gone")
                    return None
                raise
            poller.looked()
            status = status_of(current)
            await watch.saw(self.resource, resource_id, status)
            problems = list(lifecycle.problems(current)) if lifecycle.problems else []
            if status in lifecycle.failed or problems:
                detail = "; ".join(str(p) for p in problems)
                raise OperationFailedError(
                    f"{self.resource} {resource_id} ended in status {status!r}"
                    + (f": {detail}" if detail else ""),
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                    resource_id=resource_id,
                    status=status,
                    description=detail or None,
                    messages=problems,
                )
            if self._deletes:
                if status in lifecycle.gone:
                    return None
            elif status in lifecycle.ready and (
                lifecycle.settled is None or lifecycle.settled(current)
            ):
                return current
            poller.schedule()


class _Watch:
    """Remembers the followed status; tells the log and the callback of changes and heartbeats."""

    def __init__(
        self,
        started: float,
        notify: Callable[[StatusChange], Any] | None,
        heartbeats: bool,
        first_heartbeat: float,
        most: float,
    ) -> None:
        self._started = started
        self._notify = notify
        self._heartbeats = heartbeats
        self._most = most
        self._gap = min(max(first_heartbeat, 0.001), most)
        self._next_heartbeat = started + self._gap
        self.resource: str | None = None
        self.status: str | None = None
        self.in_callback = False

    async def saw(self, resource: str, resource_id: int | str | None, status: str) -> None:
        now = time.monotonic()
        waited = now - self._started
        if resource == self.resource and status == self.status:
            if now < self._next_heartbeat:
                return
            # Still waiting: say so, further apart each time (at most a minute).
            self._gap = min(self._gap * 2, self._most)
            self._next_heartbeat = now + self._gap
            logger.info(
                "still waiting: %s %s is %s after %.1f s",
                resource,
                resource_id,
                status or "''",
                waited,
            )
            if self._heartbeats:
                await self._tell(resource, resource_id, status, status, waited, heartbeat=True)
            return
        previous = self.status if resource == self.resource else None
        self.resource, self.status = resource, status
        self._next_heartbeat = now + self._gap
        logger.info(
            "waiting: %s %s is %s after %.1f s", resource, resource_id, status or "''", waited
        )
        await self._tell(resource, resource_id, status, previous, waited, heartbeat=False)

    async def _tell(
        self,
        resource: str,
        resource_id: int | str | None,
        status: str,
        previous: str | None,
        waited: float,
        *,
        heartbeat: bool,
    ) -> None:
        if self._notify is None:
            return
        self.in_callback = True
        await self._notify(
            StatusChange(
                resource=resource,
                resource_id=resource_id,
                status=status,
                previous=previous,
                waited=waited,
                heartbeat=heartbeat,
            )
        )
        self.in_callback = False


_OUT_OF_TIME = DeadlineExceeded("the wait timed out")


class _Poller:
    """When the next poll is due: growing pauses, never past the deadline.

    ``due`` is the time of the next look, ``window`` how much earlier a look
    shared with other waits may come (half the pause: never more than twice
    as often as alone, never later).
    """

    def __init__(self, interval: float, maximum: float, deadline: float) -> None:
        self._interval = interval
        self._maximum = max(maximum, interval)
        self.deadline = deadline
        self.due = time.monotonic()
        self.window = 0.0
        self.shared = True
        self._looked = self.due

    def looked(self) -> None:
        """A poll has answered: the next pause counts from now."""
        self._looked = time.monotonic()

    def schedule(self) -> None:
        """Set the next poll one pause after the last; past the deadline, raise."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded(*_OUT_OF_TIME.args)
        pause = min(self._interval, self.deadline - self._looked)
        self.due = self._looked + pause
        self.window = pause * _EARLY
        self._interval = min(self._interval * _GROWTH, self._maximum)

    async def sleep(self) -> None:
        """Sleep until the next poll is due."""
        left = min(self.due, self.deadline) - time.monotonic()
        if left > 0:
            await async_sleep(left)
