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

if TYPE_CHECKING:
    from .database import DatabaseResource
    from .kubernetes import KubernetesResource
    from .projects import ProjectResource


class CloudConfigResource(Resource):
    """``client.cloud.config``: Public Cloud configuration of an account."""

    def get(self, *, account_id: int) -> PublicCloudConfig:
        """Get the Public Cloud configuration of an account.

        Args:
            account_id: The account (a positive integer).

        Returns:
            The free tier, its use, the resource level and the project count.

        Raises:
            TypeError: ``account_id`` is not an int.
            ValueError: ``account_id`` is not positive.
            infomaniak.errors.NotFoundError: an account this token cannot see.
            infomaniak.errors.APIError: the API answered another error.
        """
        params = {"account_id": check_id("account_id", account_id)}
        return self._get("/1/public_clouds/config", PublicCloudConfig, params=params)


class CloudAccessesResource(Resource):
    """``client.cloud.accesses``: Public Cloud accesses of an account."""

    def get(self, *, account_id: int) -> PublicCloudAccesses:
        """Get the Public Cloud accesses and maintenance state of an account.

        Args:
            account_id: The account (a positive integer).

        Returns:
            Whether a maintenance is ongoing (and the access names, where the
            API lists them).

        Raises:
            TypeError: ``account_id`` is not an int.
            ValueError: ``account_id`` is not positive.
            infomaniak.errors.APIError: the API answered an error.
        """
        params = {"account_id": check_id("account_id", account_id)}
        return self._get("/1/public_clouds/accesses", PublicCloudAccesses, params=params)


class CloudResource(Resource):
    """``client.cloud``: Public Cloud products, and the resources inside them."""

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(pipeline)
        self.config = CloudConfigResource(pipeline)
        self.accesses = CloudAccessesResource(pipeline)

    # Loaded on first use: a script that only lists its clouds does not pay
    # for importing the projects', Kubernetes and database models.
    @cached_property
    def projects(self) -> ProjectResource:
        """``client.cloud.projects``: the projects of a Public Cloud."""
        from .projects import ProjectResource

        return ProjectResource(self._pipeline)

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
        """List the Public Clouds of an account, a page at a time.

        Iterating the result walks every item of this and all later pages.

        Args:
            account_id: The account whose Public Clouds to list.
            search: Keep the products whose names contain this text.
            order_by: Field name(s) to sort on: ``"customer_name"``,
                ``"internal_name"``, ``"expired_at"``, ``"price"``, ``"project_count"``.
            order: ``"asc"`` or ``"desc"``, for ``order_by``.
            order_for: Direction per field, e.g. ``{"price": "desc"}``.
            with_: Relations to load: ``"status"``, ``"users"``, ``"admin"``.
            page: The page to fetch first (from 1).
            per_page: Items per page (default: the client's ``per_page``, 100).

        Returns:
            The requested page of ``PublicCloud``.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: ``account_id``, ``page`` or ``per_page`` is not
                positive, or ``order`` is not ``"asc"``/``"desc"``.
            infomaniak.errors.APIError: the API answered an error, on this
                page or, while iterating, on a later one.
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
        """Get one Public Cloud product.

        Args:
            public_cloud_id: The Public Cloud product.
            with_: Relations to load: ``"status"``, ``"users"``, ``"admin"``.

        Returns:
            The product.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: ``public_cloud_id`` is not positive.
            infomaniak.errors.NotFoundError: no such product for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
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
        """Change the customer name, description or billing reference of a product.

        Those not given stay as they are; give at least one.

        Args:
            public_cloud_id: The Public Cloud product.
            customer_name: The new customer name (at least 2 characters).
            description: The new description (at least 2 characters).
            bill_reference: The new billing reference (at least 2 characters).

        Returns:
            The API's answer: ``result`` ``"success"`` and ``data`` ``True``.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: a text is shorter than 2 characters, none is given,
                or ``public_cloud_id`` is not positive.
            infomaniak.errors.ValidationError: the API rejected a value.
            infomaniak.errors.APIError: the API answered another error.
        """
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
