"""Handles for long-running operations and the waiting they need.

Projects and users change asynchronously: the API answers 202 with
``result: "asynchronous"`` (or ``"delayed"``) and ``data`` holding either a
task UUID to poll on ``/1/async/tasks/{uuid}`` or, as the spec says, the new
id. :meth:`AsyncOperation.wait` polls the task (if any), then the resource's
own status until it is ready, with growing intervals and an overall deadline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar, cast

from .._request import decode_data
from .._transport._async import async_sleep
from .._validate import check_seconds
from ..errors import NotFoundError, OperationFailedError, WaitTimeoutError
from ..models.cloud import AsyncTask, TaskStatus
from ._pipeline import AsyncPipeline

T = TypeVar("T")

_READY = "ok"
_FAILED = frozenset({"error"})
_GONE = frozenset({"deleted"})
_GROWTH = 1.5


class _ResourceFetch(Protocol):
    async def __call__(self, resource_id: int, /) -> Any: ...


class AsyncOperation(Generic[T]):
    """What the API accepted for a long-running change.

    ``result`` and ``data`` are the API's answer; ``task_uuid`` is the task
    to follow (when the API gave one) and ``resource_id`` the id of the
    resource concerned (when known). Call :meth:`wait` to block until it is
    done, or don't: the change goes on either way.
    """

    def __init__(
        self,
        pipeline: AsyncPipeline,
        envelope: Mapping[str, Any],
        *,
        resource: str,
        fetch: _ResourceFetch,
        resource_id: int | None = None,
        deletes: bool = False,
    ) -> None:
        self._pipeline = pipeline
        self._fetch = fetch
        self._deletes = deletes
        self.resource = resource
        self.result: str = str(envelope.get("result"))
        self.data: Any = envelope.get("data")
        self.task_uuid: str | None = self.data if isinstance(self.data, str) else None
        self.resource_id: int | None = resource_id
        if resource_id is None and self.data.__class__ is int:
            self.resource_id = self.data
        self.task: AsyncTask | None = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(resource={self.resource!r}, result={self.result!r}, "
            f"task_uuid={self.task_uuid!r}, resource_id={self.resource_id!r})"
        )

    async def wait(self, *, timeout: float | None = None, poll_interval: float | None = None) -> T:
        """Poll until the operation is done and return the final resource
        (``None`` for a deletion).

        ``timeout`` bounds the whole wait (seconds, default: the client's
        ``wait_timeout``); ``poll_interval`` is the first pause between polls
        (it grows up to the client's ``poll_interval_max``).

        Raises :class:`~infomaniak.errors.OperationFailedError` when the task
        fails or the resource ends in ``error``, and
        :class:`~infomaniak.errors.WaitTimeoutError` when time runs out.
        """
        pipeline = self._pipeline
        timeout = pipeline.wait_timeout if timeout is None else check_seconds("timeout", timeout)
        interval = (
            pipeline.poll_interval
            if poll_interval is None
            else check_seconds("poll_interval", poll_interval)
        )
        poller = _Poller(interval, self._pipeline.poll_interval_max, time.monotonic() + timeout)
        if self.task_uuid is not None:
            await self._wait_for_task(poller)
        if self.resource_id is None:
            if self._deletes:
                return cast(T, None)
            raise OperationFailedError(
                f"the API did not say which {self.resource} this operation concerns",
                task_uuid=self.task_uuid,
                resource=self.resource,
            )
        return cast(T, await self._wait_for_resource(poller, self.resource_id))

    async def _wait_for_task(self, poller: _Poller) -> None:
        path = f"/1/async/tasks/{self.task_uuid}"
        while True:
            envelope = await self._pipeline.request("GET", path)
            task = decode_data(envelope, AsyncTask, method="GET", path=path)
            self.task = task
            if task.status == TaskStatus.EXECUTED:
                response = task.response or {}
                if response.get("result") == "error":
                    self._task_failed(task, response.get("error"))
                new_id = response.get("data")
                if self.resource_id is None and new_id.__class__ is int:
                    self.resource_id = new_id
                return
            if task.status == TaskStatus.FAILED:
                self._task_failed(task, task.error or (task.response or {}).get("error"))
            await poller.pause(
                WaitTimeoutError(
                    f"task {self.task_uuid} of this {self.resource} operation still "
                    f"{task.status} when the wait timed out",
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                    resource_id=self.resource_id,
                    last_status=str(task.status),
                )
            )

    def _task_failed(self, task: AsyncTask, error: Any) -> None:
        error = error if isinstance(error, Mapping) else {}
        code = error.get("code")
        description = error.get("description")
        raise OperationFailedError(
            f"task {task.uuid} of this {self.resource} operation failed: "
            f"{code or 'no error code'}: {description or 'no description'}",
            task_uuid=task.uuid,
            resource=self.resource,
            resource_id=self.resource_id,
            status=str(task.status),
            code=None if code is None else str(code),
            description=None if description is None else str(description),
        )

    async def _wait_for_resource(self, poller: _Poller, resource_id: int) -> Any:
        while True:
            try:
                current = await self._fetch(resource_id)
            except NotFoundError:
                if self._deletes:
                    return None
                raise
            status = str(getattr(current, "status", ""))
            if self._deletes:
                if status in _GONE:
                    return None
            elif status == _READY:
                return current
            if status in _FAILED:
                raise OperationFailedError(
                    f"{self.resource} {resource_id} ended in status {status!r}",
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                    resource_id=resource_id,
                    status=status,
                )
            await poller.pause(
                WaitTimeoutError(
                    f"{self.resource} {resource_id} still {status!r} when the wait timed out",
                    task_uuid=self.task_uuid,
                    resource=self.resource,
                    resource_id=resource_id,
                    last_status=status,
                )
            )


class _Poller:
    """Growing pauses between polls, never past the deadline."""

    def __init__(self, interval: float, maximum: float, deadline: float) -> None:
        self._interval = interval
        self._maximum = max(maximum, interval)
        self._deadline = deadline

    async def pause(self, timed_out: WaitTimeoutError) -> None:
        """Sleep until the next poll, or raise ``timed_out`` past the deadline."""
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise timed_out
        await async_sleep(min(self._interval, remaining))
        self._interval = min(self._interval * _GROWTH, self._maximum)
