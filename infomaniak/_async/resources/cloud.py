"""``client.cloud``: Public Cloud products, their configuration and accesses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from ..._listing import Order, list_params
from ..._request import drop_none
from ..._validate import check_id, check_str
from ...models.cloud import (
    PublicCloud,
    PublicCloudAccesses,
    PublicCloudBoolResponse,
    PublicCloudConfig,
)
from .._pagination import AsyncPList
from .._pipeline import AsyncPipeline
from ._base import AsyncResource
from .projects import AsyncProjectResource

if TYPE_CHECKING:
    from .database import AsyncDatabaseResource
    from .kubernetes import AsyncKubernetesResource


class AsyncCloudConfigResource(AsyncResource):
    """``client.cloud.config``: Public Cloud configuration of an account."""

    async def get(self, *, account_id: int) -> PublicCloudConfig:
        """Free tier, resource level and project count of an account."""
        params = {"account_id": check_id("account_id", account_id)}
        return await self._get("/1/public_clouds/config", PublicCloudConfig, params=params)


class AsyncCloudAccessesResource(AsyncResource):
    """``client.cloud.accesses``: Public Cloud accesses of an account."""

    async def get(self, *, account_id: int) -> PublicCloudAccesses:
        """Accesses and maintenance state of the Public Cloud for an account."""
        params = {"account_id": check_id("account_id", account_id)}
        return await self._get("/1/public_clouds/accesses", PublicCloudAccesses, params=params)


class AsyncCloudResource(AsyncResource):
    """``client.cloud``: Public Cloud products, and the resources inside them."""

    def __init__(self, pipeline: AsyncPipeline) -> None:
        super().__init__(pipeline)
        self.config = AsyncCloudConfigResource(pipeline)
        self.accesses = AsyncCloudAccessesResource(pipeline)
        self.projects = AsyncProjectResource(pipeline)

    # Loaded on first use: a script that only lists its clouds does not pay
    # for importing the Kubernetes and database models.
    @cached_property
    def kubernetes(self) -> AsyncKubernetesResource:
        """``client.cloud.kubernetes``: managed Kubernetes clusters and their pools."""
        from .kubernetes import AsyncKubernetesResource

        return AsyncKubernetesResource(self._pipeline)

    @cached_property
    def database(self) -> AsyncDatabaseResource:
        """``client.cloud.database``: managed databases, their backups and restores."""
        from .database import AsyncDatabaseResource

        return AsyncDatabaseResource(self._pipeline)

    async def list(
        self,
        *,
        account_id: int,
        search: str | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        with_: str | Sequence[str] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> AsyncPList[PublicCloud]:
        """The Public Clouds of an account, a page at a time.

        ``search`` filters on names; ``order_by``/``order``/``order_for`` sort;
        ``with_`` loads relations (``"status"``, ``"users"``, ``"admin"``).
        Iterating the result walks every page.
        """
        params = list_params(
            account_id=check_id("account_id", account_id),
            search=search,
            order_by=order_by,
            order=order,
            order_for=order_for,
            with_=with_,
        )
        return await self._list(
            "/1/public_clouds", PublicCloud, params=params, page=page, per_page=per_page
        )

    async def get(
        self, *, public_cloud_id: int, with_: str | Sequence[str] | None = None
    ) -> PublicCloud:
        """One Public Cloud product."""
        path = f"/1/public_clouds/{check_id('public_cloud_id', public_cloud_id)}"
        return await self._get(path, PublicCloud, params=list_params(with_=with_))

    async def update(
        self,
        *,
        public_cloud_id: int,
        customer_name: str | None = None,
        description: str | None = None,
        bill_reference: str | None = None,
    ) -> PublicCloudBoolResponse:
        """Change the customer name, description or billing reference
        (each at least 2 characters; those not given stay as they are)."""
        path = f"/1/public_clouds/{check_id('public_cloud_id', public_cloud_id)}"
        body = drop_none(
            (name, check_str(name, value, min_length=2, optional=True))
            for name, value in (
                ("customer_name", customer_name),
                ("description", description),
                ("bill_reference", bill_reference),
            )
        )
        if not body:
            raise ValueError("give at least one of customer_name, description, bill_reference")
        return await self._patch(path, body)
