# Generated from infomaniak/_async/resources/tasks.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""``client.tasks``: the asynchronous tasks behind long-running operations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..._listing import Order, list_params
from ..._validate import check_uuid
from ...models.cloud import AsyncTask
from .._pagination import plist
from ._base import Resource


class TaskResource(Resource):
    """``client.tasks``: list and read asynchronous tasks."""

    def list(
        self,
        *,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> plist[AsyncTask]:
        """List the asynchronous tasks of the token's user, a page at a time.

        Iterating the result walks every item of this and all later pages.

        Args:
            order_by: Field name(s) to sort on, e.g. ``"created_at"``.
            order: ``"asc"`` or ``"desc"``, for ``order_by``.
            order_for: Direction per field, e.g. ``{"created_at": "desc"}``.
            page: The page to fetch first (from 1).
            per_page: Items per page (default: the client's ``per_page``, 100).

        Returns:
            The requested page of ``AsyncTask``.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: ``page`` or ``per_page`` is not positive, or ``order``
                is not ``"asc"``/``"desc"``.
            infomaniak.errors.APIError: the API answered an error.
        """
        params = list_params(order_by=order_by, order=order, order_for=order_for)
        return self._list(
            "/1/async/tasks", AsyncTask, params=params, page=page, per_page=per_page
        )

    def get(self, *, task_uuid: str) -> AsyncTask:
        """Get one asynchronous task.

        Args:
            task_uuid: The task's UUID (an operation's ``task_uuid``).

        Returns:
            The task; its ``status`` is spooled, running, executed or failed.

        Raises:
            TypeError: ``task_uuid`` is not a str.
            ValueError: ``task_uuid`` is not a UUID (8-4-4-4-12 form).
            infomaniak.errors.NotFoundError: no such task for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        uuid = check_uuid("task_uuid", task_uuid)
        return self._get(f"/1/async/tasks/{uuid}", AsyncTask)
