from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import define


class TaskStatus(StrEnum):
    """Lifecycle of an asynchronous task: spooled -> running -> executed | failed."""

    SPOOLED = "spooled"
    RUNNING = "running"
    EXECUTED = "executed"
    FAILED = "failed"


@define(kw_only=True, weakref_slot=False)
class AsyncTask:
    """An asynchronous task of the API (``/1/async/tasks``).

    ``response`` is the envelope the original call would have answered
    (``{"result": "success", "data": 25454}``), ``error`` the failure, if any.
    """

    uuid: str
    status: TaskStatus | str = ""
    created_at: int | None = None
    updated_at: int | None = None
    executed_at: int | None = None
    finished_at: int | None = None
    response: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
