from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import define

from .._model import Model


class TaskStatus(StrEnum):
    """Lifecycle of an asynchronous task: spooled -> running -> executed | failed."""

    SPOOLED = "spooled"
    RUNNING = "running"
    EXECUTED = "executed"
    FAILED = "failed"


@define(kw_only=True, weakref_slot=False, repr=False)
class AsyncTask(Model):
    """An asynchronous task of the API (``/1/async/tasks``).

    Attributes:
        uuid: The task's identifier.
        status: ``spooled``, ``running``, ``executed`` or ``failed``
            (``TaskStatus``, or the API's string when unknown).
        created_at: Unix timestamp of the creation.
        updated_at: Unix timestamp of the last change.
        executed_at: Unix timestamp when it started running.
        finished_at: Unix timestamp when it ended.
        response: The envelope the original call would have answered, e.g.
            ``{"result": "success", "data": 25454}`` (the new id), kept as it
            came: ``wait()`` reports a task whose response is not an envelope
            as a failed operation naming the task.
        error: The failure (``code``, ``description``), if any.
    """

    uuid: str
    status: TaskStatus | str = ""
    created_at: int | None = None
    updated_at: int | None = None
    executed_at: int | None = None
    finished_at: int | None = None
    response: Any = None
    error: dict[str, Any] | None = None
