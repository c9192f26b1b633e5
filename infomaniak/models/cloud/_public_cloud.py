from __future__ import annotations

from typing import Any

from attrs import Factory, define, field

from ..._converter import INTERN, DecodeError, json_name
from .._model import Model

# Tags, rights and status flags are frozen value objects: equal ones decoded
# from a listing share one instance, which keeps large listings small.


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class PublicCloudTag(Model):
    """A tag attached to a product or a project.

    Attributes:
        id: The tag's identifier.
        name: The tag's name.
        color: The tag's colour, as an index in the Manager's palette.
        product_count: How many products carry the tag, when the API says.
    """

    id: int
    name: str = ""
    color: int | None = None
    product_count: int | None = None


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class PublicCloudRights(Model):
    """What the token's user may do with the product.

    Attributes:
        technical: May manage the product (create projects, users...).
        statistic: May read its statistics.
        check: May read it.
        sale: May order, renew or cancel it.
    """

    technical: bool | None = None
    statistic: bool | None = None
    check: bool | None = None
    sale: bool | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudData(Model):
    """Billing and usage details of a Public Cloud (the ``public_cloud`` key).

    Attributes:
        price: The current price of the Public Cloud's usage.
        price_updated_at: Unix timestamp of the last price computation.
        updated_at: Unix timestamp of the last change.
        project_count: The number of projects in it.
        billing_start_at: Unix timestamp when billing started, if it did.
        billing_end_at: Unix timestamp when billing ends, if set.
    """

    price: float | None = None
    price_updated_at: int | None = None
    updated_at: int | None = None
    project_count: int | None = None
    billing_start_at: int | None = None
    billing_end_at: int | None = None


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class PublicCloudMaintenance(Model):
    """Who put the product in maintenance.

    Attributes:
        technical: A technical maintenance.
        superuser: Set by a super user.
        infomaniak: Set by Infomaniak.
    """

    technical: bool | None = None
    superuser: bool | None = None
    infomaniak: bool | None = None


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class PublicCloudLock(Model):
    """Who locked the product.

    Attributes:
        superuser: Locked by a super user.
        infomaniak: Locked by Infomaniak.
    """

    superuser: bool | None = None
    infomaniak: bool | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudStatus(Model):
    """Product status details (loaded with ``with_=["status"]``).

    The spec describes ``maintenance`` and ``locked`` as objects of flags while
    live clients see plain booleans: an object is read into the flags model,
    a boolean is kept as it is.

    Attributes:
        maintenance: Who put the product in maintenance, or a plain boolean.
        locked: Who locked the product, or a plain boolean.
        activated_by: Who activated the product (as the API sent it).
        activated_at: Unix timestamp of the activation.
    """

    maintenance: PublicCloudMaintenance | bool | None = None
    locked: PublicCloudLock | bool | None = None
    activated_by: list[Any] | int | None = None
    activated_at: int | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloud(Model):
    """A Public Cloud product.

    Attributes:
        id: Unique identifier of the Public Cloud product.
        account_id: The account that owns the product.
        service_id: Identifier of the linked service.
        service_name: Name of the linked service (``"public_cloud"``).
        customer_name: Customer-facing name of the product.
        internal_name: Internal name of the product, when available.
        created_at: Unix timestamp of the product's creation.
        expired_at: Unix timestamp when the product expires, when set.
        version: Version number of the product payload.
        has_maintenance: Whether the product has maintenance enabled.
        is_locked: Whether the product is locked.
        has_operation_in_progress: Whether an operation is in progress.
        tags: The tags attached to the product.
        unique_id: Unique identifier of the product in the API payload.
        is_free: Whether the product is free of charge.
        is_zero_price: Whether the product currently costs nothing.
        is_trial: Whether the product is a trial.
        rights: What the token's user may do with the product.
        public_cloud_id: The Public Cloud identifier the other routes take.
        public_cloud: Billing and usage details.
        deleted_at: Unix timestamp of the deletion, when deleted.
        description: The product's description, when set.
        bill_reference: The billing reference, when set.
        parent_id: Identifier of the parent product, when any.
        parent_service_id: Identifier of the parent service, when any.
        parent_service_name: Name of the parent service, when any.
        status: Status details (loaded with ``with_="status"``).
        users: The users with access and their rights, as the API sent them
            (loaded with ``with_="users"``).
        admin: The product's administrator, as the API sent it (loaded with
            ``with_="admin"``).
        fqdn: Fully qualified domain name of the product, when any.
    """

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


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudBoolResponse(Model):
    """The API's answer to an update.

    Attributes:
        result: ``"success"``, or ``"asynchronous"`` when the change is queued.
        data: ``True``, or a status message or task id.
    """

    result: str
    data: bool | str | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudConfig(Model):
    """Public Cloud configuration of an account (free tier, resource level).

    Attributes:
        free_tier: The free tier credit available to the account.
        free_tier_used: How much of the free tier is used.
        account_resource_level: The resource level (quota tier) of the account.
        valid_from: Unix timestamp from which the free tier is valid.
        valid_to: Unix timestamp until which the free tier is valid.
        project_count: The number of projects of the account.
    """

    free_tier: float | None = None
    free_tier_used: float | None = None
    account_resource_level: int | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    project_count: int | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudAccesses(Model):
    """Accesses and maintenance state of the Public Cloud for an account.

    Live answers are ``{"is_maintenance_ongoing": bool}``; the spec documents a
    list of access names instead, which lands in ``accesses``.

    Attributes:
        is_maintenance_ongoing: Whether a Public Cloud maintenance is ongoing.
        accesses: Access names, when the API answers a list of them.
    """

    is_maintenance_ongoing: bool | None = None
    accesses: list[str] = Factory(list)

    @staticmethod
    def _structure_from_list(value: list[Any]) -> PublicCloudAccesses:
        for item in value:
            if item.__class__ is not str:
                raise DecodeError(
                    f"PublicCloudAccesses: expected an array of strings, "
                    f"got {json_name(item)} in it"
                )
        return PublicCloudAccesses(accesses=list(value))
