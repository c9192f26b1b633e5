# Generated from infomaniak/_async/resources/cloud.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
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
from .._pagination import plist
from .._pipeline import Pipeline
from ._base import Resource
from .projects import ProjectResource

if TYPE_CHECKING:
    from .database import DatabaseResource
    from .kubernetes import KubernetesResource


class CloudConfigResource(Resource):
    """``client.cloud.config``: Public Cloud configuration of an account."""

    def get(self, *, account_id: int) -> PublicCloudConfig:
        """Free tier, resource level and project count of an account."""
        params = {"account_id": check_id("account_id", account_id)}
        return self._get("/1/public_clouds/config", PublicCloudConfig, params=params)


class CloudAccessesResource(Resource):
    """``client.cloud.accesses``: Public Cloud accesses of an account."""

    def get(self, *, account_id: int) -> PublicCloudAccesses:
        """Accesses and maintenance state of the Public Cloud for an account."""
        params = {"account_id": check_id("account_id", account_id)}
        return self._get("/1/public_clouds/accesses", PublicCloudAccesses, params=params)


class CloudResource(Resource):
    """``client.cloud``: Public Cloud products, and the resources inside them."""

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(pipeline)
        self.config = CloudConfigResource(pipeline)
        self.accesses = CloudAccessesResource(pipeline)
        self.projects = ProjectResource(pipeline)

    # Loaded on first use: a script that only lists its clouds does not pay
    # for importing the Kubernetes and database models.
    @cached_property
    def kubernetes(self) -> KubernetesResource:
        """``client.cloud.kubernetes``: managed Kubernetes clusters and their pools."""
        from .kubernetes import KubernetesResource

        return KubernetesResource(self._pipeline)

    @cached_property
    def database(self) -> DatabaseResource:
        """``client.cloud.database``: managed databases, their backups and restores."""
        from .database import DatabaseResource

        return DatabaseResource(self._pipeline)

    def list(
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
    ) -> plist[PublicCloud]:
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
        return self._list(
            "/1/public_clouds", PublicCloud, params=params, page=page, per_page=per_page
        )

    def get(
        self, *, public_cloud_id: int, with_: str | Sequence[str] | None = None
    ) -> PublicCloud:
        """One Public Cloud product."""
        path = f"/1/public_clouds/{check_id('public_cloud_id', public_cloud_id)}"
        return self._get(path, PublicCloud, params=list_params(with_=with_))

    def update(
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
        return self._patch(path, body)
