from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ..._request import decode_data
from ..._transport._common import Secret
from ..._validate import check_positive_int
from ...models.cloud import PublicCloudBoolResponse
from .._pagination import AsyncPList, fetch_plist
from .._pipeline import AsyncPipeline

T = TypeVar("T")


class AsyncResource:
    """Base of every resource: typed shortcuts over the pipeline."""

    def __init__(self, pipeline: AsyncPipeline) -> None:
        self._pipeline = pipeline

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    async def _get(
        self, path: str, model: type[T], *, params: Mapping[str, Any] | None = None
    ) -> T:
        # No local holds the answer: a decode error's traceback shows none of it.
        return decode_data(
            await self._pipeline.request("GET", path, params=params), model, method="GET", path=path
        )

    async def _patch(
        self, path: str, body: Mapping[str, Any] | Secret[dict[str, Any]]
    ) -> PublicCloudBoolResponse:
        """PATCH and return the API's ``{result, data}`` answer as it came."""
        envelope = await self._pipeline.request("PATCH", path, json=body)
        return PublicCloudBoolResponse(
            result=str(envelope.get("result")), data=envelope.get("data")
        )

    async def _send_bool(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> bool:
        """Send a change whose answer is the API's boolean ``data``.

        PUT/DELETE of IP filters, configurations, schedules...
        """
        envelope = await self._pipeline.request(method, path, json=body)
        return envelope.get("data") is True

    async def _list(
        self,
        path: str,
        model: type[T],
        *,
        params: Mapping[str, Any],
        page: int,
        per_page: int | None,
    ) -> AsyncPList[T]:
        return await fetch_plist(
            self._pipeline,
            path,
            model,
            params=params,
            page=check_positive_int("page", page),
            per_page=check_positive_int(
                "per_page", self._pipeline.per_page if per_page is None else per_page
            ),
        )
