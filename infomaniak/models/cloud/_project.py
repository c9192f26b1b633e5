from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import Factory, define

from .._model import Model
from ._public_cloud import PublicCloudTag


class ProjectStatus(StrEnum):
    """Lifecycle of a project. Values the SDK does not know arrive as plain strings."""

    BLOCKED = "blocked"
    BLOCKING = "blocking"
    CREATING = "creating"
    DELETED = "deleted"
    DELETING = "deleting"
    DISABLED = "disabled"
    DISABLING = "disabling"
    ERROR = "error"
    OK = "ok"
    RESTORING = "restoring"
    SUSPENDED = "suspended"
    SUSPENDING = "suspending"
    UPDATING = "updating"


class UserStatus(StrEnum):
    """Lifecycle of a project (OpenStack) user. Unknown values arrive as plain strings."""

    CREATING = "creating"
    DELETING = "deleting"
    DISABLED = "disabled"
    DISABLING = "disabling"
    ERROR = "error"
    OK = "ok"
    UPDATING = "updating"


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudProject(Model):
    """A project (an OpenStack project) inside a Public Cloud.

    Attributes:
        public_cloud_project_id: Unique identifier of the project.
        public_cloud_id: The Public Cloud it belongs to.
        open_stack_name: The OpenStack project name (``PCP-...``).
        name: The project's name.
        price: The current price of the project's usage.
        resource_level: The project's resource level (quota tier).
        status: The lifecycle status (``ProjectStatus``, or the API's
            string when the SDK does not know it).
        price_updated_at: Unix timestamp of the last price computation.
        billing_start_at: Unix timestamp when billing started, if it did.
        billing_end_at: Unix timestamp when billing ends, if set.
        created_at: Unix timestamp of the creation.
        updated_at: Unix timestamp of the last change.
        user_count: The number of OpenStack users.
        tags: The tags attached to the project.
        meta: Free-form metadata (an empty map when none).
        services: The project's services (loaded with ``with_="services"``).
        deleted_at: Unix timestamp of the deletion, when deleted.
    """

    public_cloud_project_id: int
    public_cloud_id: int | None = None
    open_stack_name: str | None = None
    name: str = ""
    price: float | None = None
    resource_level: int | None = None
    status: ProjectStatus | str = ""
    price_updated_at: int | None = None
    billing_start_at: int | None = None
    billing_end_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    user_count: int | None = None
    tags: list[PublicCloudTag] = Factory(list)
    meta: dict[str, Any] = Factory(dict)
    services: list[Any] | None = None
    deleted_at: int | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class PublicCloudUser(Model):
    """An OpenStack user of a project. Passwords and e-mails are write-only.

    Attributes:
        public_cloud_user_id: Unique identifier of the user.
        public_cloud_project_id: The project it belongs to.
        open_stack_name: The OpenStack user name (``PCU-...``), to log in with.
        description: What the user is for.
        status: The lifecycle status (``UserStatus``, or the API's
            string when the SDK does not know it).
        created_at: Unix timestamp of the creation.
        updated_at: Unix timestamp of the last change.
    """

    public_cloud_user_id: int
    public_cloud_project_id: int | None = None
    open_stack_name: str | None = None
    description: str | None = None
    status: UserStatus | str = ""
    created_at: int | None = None
    updated_at: int | None = None
