# Generated from infomaniak/_async/_operations.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
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

from .._lifecycle import (
    PROJECT_LIFECYCLE,
    WAIT_DEADLINE,
    DeadlineExceeded,
    Lifecycle,
    StatusChange,
    status_of,
)
from .._request import decode_data
from .._transport._sync import sync_sleep
from .._validate import check_seconds, check_uuid
from ..errors import (
    APIConnectionError,
    APIError,
    NotFoundError,
    OperationFailedError,
    WaitTimeoutError,
)
from ..models.cloud import AsyncTask, TaskStatus
from ._pipeline import Pipeline

T = TypeVar("T")

logger = logging.getLogger("infomaniak")

_GROWTH = 1.5

OnStatus = Callable[[StatusChange], object]


class _ResourceFetch(Protocol):
    def __call__(self, resource_id: Any, /) -> Any: ...


class Operation(Generic[T]):
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
        pipeline: Pipeline,
        envelope: Mapping[str, Any],
        *,
        resource: str,
        fetch: _ResourceFetch,
        resource_id: int | str | None = None,
        deletes: bool = False,
        lifecycle: Lifecycle = PROJECT_LIFECYCLE,
    ) -> None:
        self._pipeline = pipeline
        self._fetch = fetch
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

    def wait(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_status: OnStatus | None = None,
    ) -> T:
        """Poll until the operation is done and return the final resource (``None`` for a deletion).

        Args:
            timeout: seconds for the whole wait (default: the client's
                ``wait_timeout``). It bounds everything inside: each poll's
                request timeout, its retries and the pauses between polls.
            poll_interval: the first pause between polls, in seconds; it grows
                up to the client's ``poll_interval_max``.
            on_status: called with a ``StatusChange`` each
                time the followed status changes (the task's, then the
                resource's). Each change is also logged at INFO on the
                ``infomaniak`` logger.

        Returns:
            The resource once ready, or ``None`` once a deletion is done.

        Raises:
            OperationFailedError: the task failed, or the resource reached a
                failure status (with the API's messages, if any).
            WaitTimeoutError: time ran out, whatever was in progress.
        """
        pipeline = self._pipeline
        timeout = pipeline.wait_timeout if timeout is None else check_seconds("timeout", timeout)
        interval = (
            pipeline.poll_interval
            if poll_interval is None
            else check_seconds("poll_interval", poll_interval)
        )
        if on_status is not None and not callable(on_status):
            raise TypeError("on_status must be callable")
        started = time.monotonic()
        watch = _Watch(started, on_status)
        poller = _Poller(interval, pipeline.poll_interval_max, started + timeout)
        token = WAIT_DEADLINE.set(started + timeout)
        try:
            if self.task_uuid is not None:
                self._wait_for_task(poller, watch)
            if self.resource_id is None:
                if self._deletes:
                    return cast(T, None)
                raise OperationFailedError(
                    f"the API did not say which {self.resource} this operation concerns",
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                )
            return cast(T, self._wait_for_resource(poller, watch, self.resource_id))
        except WaitTimeoutError:
            raise self._timed_out(watch, timeout, None) from None
        except (DeadlineExceeded, APIError, APIConnectionError) as exc:
            if isinstance(exc, DeadlineExceeded) or time.monotonic() >= poller.deadline:
                raise self._timed_out(watch, timeout, exc) from exc
            raise
        finally:
            WAIT_DEADLINE.reset(token)

    def _timed_out(
        self, watch: _Watch, timeout: float, cause: Exception | None
    ) -> WaitTimeoutError:
        following_task = self.task_uuid is not None and watch.resource == "task"
        status = watch.status
        what = (
            f"task {self.task_uuid} of this {self.resource} operation"
            if following_task
            else f"{self.resource} {self.resource_id}"
        )
        state = f"still {status!r}" if status is not None else "not yet polled"
        reason = "" if cause is None else f" (last: {cause})"
        return WaitTimeoutError(
            f"{what} {state} when the wait timed out after {timeout:g} s{reason}",
            task_uuid=self.task_uuid,
            resource=self.resource,
            resource_id=self.resource_id,
            last_status=status,
        )

    def _wait_for_task(self, poller: _Poller, watch: _Watch) -> None:
        try:
            path = f"/1/async/tasks/{check_uuid('task_uuid', self.task_uuid)}"
        except ValueError:
            raise OperationFailedError(
                f"the API gave this {self.resource} operation a task id that is not a UUID",
                resource=self.resource,
                resource_id=self.resource_id,
            ) from None
        while True:
            envelope = self._pipeline.request("GET", path)
            task = decode_data(envelope, AsyncTask, method="GET", path=path)
            self.task = task
            watch.saw("task", task.uuid, str(task.status))
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
            poller.pause()

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

    def _wait_for_resource(
        self, poller: _Poller, watch: _Watch, resource_id: int | str
    ) -> Any:
        lifecycle = self._lifecycle
        while True:
            try:
                current = self._fetch(resource_id)
            except NotFoundError:
                if self._deletes:
                    watch.saw(self.resource, resource_id, "gone")
                    return None
                raise
            status = status_of(current)
            watch.saw(self.resource, resource_id, status)
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
            poller.pause()


class _Watch:
    """Remembers the followed status; reports each change to the log and the callback."""

    def __init__(self, started: float, on_status: OnStatus | None) -> None:
        self._started = started
        self._on_status = on_status
        self.resource: str | None = None
        self.status: str | None = None

    def saw(self, resource: str, resource_id: int | str | None, status: str) -> None:
        if resource == self.resource and status == self.status:
            return
        previous = self.status if resource == self.resource else None
        self.resource, self.status = resource, status
        waited = time.monotonic() - self._started
        logger.info(
            "waiting: %s %s is %s after %.1f s", resource, resource_id, status or "''", waited
        )
        if self._on_status is not None:
            self._on_status(
                StatusChange(
                    resource=resource,
                    resource_id=resource_id,
                    status=status,
                    previous=previous,
                    waited=waited,
                )
            )


class _Poller:
    """Growing pauses between polls, never past the deadline."""

    def __init__(self, interval: float, maximum: float, deadline: float) -> None:
        self._interval = interval
        self._maximum = max(maximum, interval)
        self.deadline = deadline

    def pause(self) -> None:
        """Sleep until the next poll, or raise ``WaitTimeoutError`` past the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeoutError("the wait timed out")
        sync_sleep(min(self._interval, remaining))
        self._interval = min(self._interval * _GROWTH, self._maximum)
