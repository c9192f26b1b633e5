from __future__ import annotations

from typing import Any

from attrs import Factory, define, field

from ..._converter import INTERN

# Tags, rights and status flags are frozen value objects: equal ones decoded
# from a listing share one instance, which keeps large listings small.


@define(kw_only=True, frozen=True, weakref_slot=False)
class PublicCloudTag:
    """A tag attached to a product."""

    id: int
    name: str = ""
    color: int | None = None
    product_count: int | None = None


@define(kw_only=True, frozen=True, weakref_slot=False)
class PublicCloudRights:
    """What the token's user may do with the product."""

    technical: bool | None = None
    statistic: bool | None = None
    check: bool | None = None
    sale: bool | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudData:
    """Billing and usage details of a Public Cloud (the ``public_cloud`` key)."""

    price: float | None = None
    price_updated_at: int | None = None
    updated_at: int | None = None
    project_count: int | None = None
    billing_start_at: int | None = None
    billing_end_at: int | None = None


@define(kw_only=True, frozen=True, weakref_slot=False)
class PublicCloudMaintenance:
    """Who put the product in maintenance."""

    technical: bool | None = None
    superuser: bool | None = None
    infomaniak: bool | None = None


@define(kw_only=True, frozen=True, weakref_slot=False)
class PublicCloudLock:
    """Who locked the product."""

    superuser: bool | None = None
    infomaniak: bool | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudStatus:
    """Product status details (loaded with ``with_=["status"]``).

    The spec describes ``maintenance`` and ``locked`` as objects of flags while
    live clients see plain booleans: an object is read into the flags model,
    a boolean is kept as it is.
    """

    maintenance: PublicCloudMaintenance | bool | None = None
    locked: PublicCloudLock | bool | None = None
    activated_by: list[Any] | int | None = None
    activated_at: int | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloud:
    """A Public Cloud product."""

    id: int
    account_id: int | None = None
    service_id: int | None = None
    service_name: str | None = field(default=None, metadata={INTERN: True})
    customer_name: str = ""
    internal_name: str | None = None
    created_at: int | None = None
    expired_at: int | None = None
    version: int | None = None
    has_maintenance: bool = False
    is_locked: bool = False
    has_operation_in_progress: bool = False
    tags: list[PublicCloudTag] = Factory(list)
    unique_id: int | None = None
    is_free: bool = False
    is_zero_price: bool = False
    is_trial: bool = False
    rights: PublicCloudRights | None = None
    public_cloud_id: int | None = None
    public_cloud: PublicCloudData | None = None
    deleted_at: int | None = None
    description: str | None = None
    bill_reference: str | None = None
    parent_id: int | None = None
    parent_service_id: int | None = None
    parent_service_name: str | None = field(default=None, metadata={INTERN: True})
    status: PublicCloudStatus | None = None
    users: list[dict[str, Any]] | None = None
    admin: dict[str, Any] | None = None
    fqdn: str | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudBoolResponse:
    """The API's answer to an update: ``result`` is ``"success"`` (or ``"asynchronous"``
    when the change is queued) and ``data`` is ``True`` or a status message / task id."""

    result: str
    data: bool | str | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudConfig:
    """Public Cloud configuration of an account (free tier, resource level)."""

    free_tier: float | None = None
    free_tier_used: float | None = None
    account_resource_level: int | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    project_count: int | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudAccesses:
    """Accesses and maintenance state of the Public Cloud for an account.

    Live answers are ``{"is_maintenance_ongoing": bool}``; the spec documents a
    list of access names instead, which lands in ``accesses``.
    """

    is_maintenance_ongoing: bool | None = None
    accesses: list[str] = Factory(list)

    @staticmethod
    def _structure_from_list(value: list[Any]) -> PublicCloudAccesses:
        return PublicCloudAccesses(accesses=[str(item) for item in value])
