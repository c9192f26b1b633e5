"""``client.tasks``: the asynchronous tasks behind long-running operations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..._listing import Order, list_params
from ..._validate import check_uuid
from ...models.cloud import AsyncTask
from .._pagination import AsyncPList
from ._base import AsyncResource


class AsyncTaskResource(AsyncResource):
    """``client.tasks``: list and read asynchronous tasks."""

    async def list(
        self,
        *,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> AsyncPList[AsyncTask]:
        """The tasks of the token's user, a page at a time."""
        params = list_params(order_by=order_by, order=order, order_for=order_for)
        return await self._list(
            "/1/async/tasks", AsyncTask, params=params, page=page, per_page=per_page
        )

    async def get(self, *, task_uuid: str) -> AsyncTask:
        """One task: ``status`` is spooled, running, executed or failed."""
        uuid = check_uuid("task_uuid", task_uuid)
        return await self._get(f"/1/async/tasks/{uuid}", AsyncTask)
